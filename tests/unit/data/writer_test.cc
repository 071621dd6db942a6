#include "zhsenti/data/writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti::data {
namespace {

std::vector<Example> nasty_examples() {
  const std::vector<std::string> texts = {
      "plain 文本",
      "tab\tinside",
      "newline\ninside",
      "crlf\r\ninside and lone \r cr",
      "\"starts with a quote\" and ends\"",
      "inner \"quote\" only",
      "comma, and ,, more",
      "",
      "   leading and trailing spaces   ",
      "backslash \\n \\t not escapes",
      "\"",
      "\"\"",
      "label\ttext",
      "{\"json\": \"like\"}",
      "[心]//@user: http://t.cn/x #话题#"};
  std::vector<Example> out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    out.push_back(Example{texts[i], i % 3 == 0 ? "0" : (i % 3 == 1 ? "happy" : "负面"), 0});
  }
  return out;
}

class WriterRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(WriterRoundTrip, ReaderReadsBackIdentically) {
  const std::string format = GetParam();
  const std::vector<Example> examples = nasty_examples();
  const std::string bytes = format_examples(examples, format);
  const Dataset d = read_dataset_from_string(bytes, "out" + format_extension(format));
  EXPECT_EQ(d.format, format);
  ASSERT_EQ(d.examples.size(), examples.size()) << bytes;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    EXPECT_EQ(d.examples[i].text, examples[i].text) << i;
    EXPECT_EQ(d.examples[i].label, examples[i].label) << i;
  }
  // Writing what was read gives the same bytes again.
  EXPECT_EQ(format_examples(d.examples, format), bytes);
}

INSTANTIATE_TEST_SUITE_P(Formats, WriterRoundTrip, ::testing::Values("tsv", "csv", "jsonl"));

TEST(Writer, TsvHeaderAndQuotingOnlyWhenNeeded) {
  const std::string out = format_examples(
      {Example{"好", "1", 0}, Example{"a\tb", "0", 0}, Example{"他说\"好\"", "1", 0}}, "tsv");
  EXPECT_EQ(out, "label\ttext\n1\t好\n0\t\"a\tb\"\n1\t他说\"好\"\n");
}

TEST(Writer, AtomicFileAndUnknownFormat) {
  const auto path = std::filesystem::temp_directory_path() / "zhsenti_writer_test.tsv";
  write_examples(path, {Example{"好", "1", 0}}, "tsv");
  EXPECT_EQ(read_file(path), "label\ttext\n1\t好\n");
  std::filesystem::remove(path);
  EXPECT_THROW(format_examples({}, "xlsx"), Error);
  EXPECT_THROW(format_extension("json"), Error);
}

}  // namespace
}  // namespace zhsenti::data
