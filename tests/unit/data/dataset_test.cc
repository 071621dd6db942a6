// Format choice, column detection, whole-file errors, labels(), data_root().
#include "zhsenti/data/dataset.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace zhsenti::data {
namespace {

namespace fs = std::filesystem;
using test::read_error;

const std::string kFixtures = std::string(ZHSENTI_TEST_DATA_DIR) + "/data/";

TEST(ReadDataset, FixtureFilesByExtension) {
  const Dataset tsv = read_dataset(kFixtures + "tiny.tsv");
  EXPECT_EQ(tsv.format, "tsv");
  EXPECT_EQ(tsv.examples.size(), 6u);
  EXPECT_EQ(tsv.source, kFixtures + "tiny.tsv");
  const Dataset csv = read_dataset(kFixtures + "weibo.csv");
  EXPECT_EQ(csv.format, "csv");
  ASSERT_EQ(csv.examples.size(), 4u);
  EXPECT_EQ(csv.examples[1].text, "第一行\r\n第二行，还有\"引号\"");
  EXPECT_EQ(csv.examples[3].line, 6u);
  const Dataset jsonl = read_dataset(kFixtures + "reviews.jsonl");
  EXPECT_EQ(jsonl.format, "jsonl");
  EXPECT_EQ(jsonl.labels(), (std::vector<std::string>{"0", "1", "2"}));
  const Dataset array = read_dataset(kFixtures + "virus_sample.txt");
  EXPECT_EQ(array.format, "json");
  EXPECT_EQ(array.examples.size(), 5u);
}

TEST(ReadDataset, SniffsFormatOfOtherNames) {
  EXPECT_EQ(read_dataset_from_string("label\ttext\n1\ta,b\n", "x.txt").format, "tsv");
  EXPECT_EQ(read_dataset_from_string("label,text\n1,a\tb\n", "x.txt").format, "csv");
  EXPECT_EQ(read_dataset_from_string("  [{\"text\":\"a\",\"label\":1}]", "x").format, "json");
  EXPECT_EQ(read_dataset_from_string("{\"text\":\"a\",\"label\":1}\n", "<stdin>").format, "jsonl");
  EXPECT_EQ(read_dataset_from_string("{\"text\":\"a\",\"label\":1}\n", "x.json").format, "jsonl");
}

TEST(ReadDataset, ExplicitFormatOverridesTheExtension) {
  ReadOptions options;
  options.format = "csv";
  const Dataset d = read_dataset_from_string("label,text\n1,a\tb\n", "x.tsv", options);
  EXPECT_EQ(d.examples[0].text, "a\tb");
  options.format = "xml";
  EXPECT_NE(read_error("label,text\n1,a\n", "x.tsv", options).find("unknown data format 'xml'"),
            std::string::npos);
}

TEST(ReadDataset, AutoColumnsIncludingChineseAndMixedCase) {
  struct Case {
    std::string header;
    std::string row;
  };
  for (const Case& c : {Case{"Label,Text_A", "1,x"}, Case{"review,label", "x,1"},
                        Case{"数据编号,文本,情绪标签", "7,x,1"}, Case{"微博中文内容,情感倾向", "x,1"},
                        Case{"SENTENCE,id,labels", "x,9,1"}}) {
    const Dataset d = read_dataset_from_string(c.header + "\n" + c.row + "\n", "x.csv");
    ASSERT_EQ(d.examples.size(), 1u) << c.header;
    EXPECT_EQ(d.examples[0].text, "x") << c.header;
    EXPECT_EQ(d.examples[0].label, "1") << c.header;
  }
}

TEST(ReadDataset, PreferredNamesWinWhenSeveralMatch) {
  // "text" comes before "content" in the preference list.
  const Dataset d = read_dataset_from_string("content,text,label\nc,t,1\n", "x.csv");
  EXPECT_EQ(d.examples[0].text, "t");
}

TEST(ReadDataset, ExplicitColumns) {
  ReadOptions options;
  options.text_col = "Body";
  options.label_col = "stars";
  const Dataset d = read_dataset_from_string("id,body,stars\n1,好,5\n", "x.csv", options);
  EXPECT_EQ(d.examples[0].text, "好");
  EXPECT_EQ(d.examples[0].label, "5");
  options.label_col = "rating";
  EXPECT_EQ(read_error("id,body,stars\n1,好,5\n", "x.csv", options),
            "x.csv:1: no column 'rating' for the labels; the columns are [id, body, stars]; check "
            "--label-col");
}

TEST(ReadDataset, MissingColumnListsTheColumnsFound) {
  const std::string err = read_error("id,review\n1,x\n", "x.csv");
  EXPECT_EQ(err.substr(0, 51), "x.csv:1: no label column; the columns are [id, revi");
  EXPECT_NE(err.find("or --label-col"), std::string::npos);
}

TEST(ReadDataset, UnlabelledInputWhenLabelsAreNotRequired) {
  ReadOptions options;
  options.require_labels = false;
  const Dataset d = read_dataset_from_string("text\n好\n\"\"\n差\n", "x.csv", options);
  ASSERT_EQ(d.examples.size(), 2u);  // a line holding only "" is blank, like an empty line
  EXPECT_EQ(d.examples[0].label, "");
  EXPECT_TRUE(d.labels().empty());
  const Dataset with_labels = read_dataset_from_string("text,label\n好,\n差,0\n", "x.csv", options);
  EXPECT_EQ(with_labels.examples.size(), 2u);
}

TEST(ReadDataset, WholeFileErrors) {
  EXPECT_EQ(read_error("", "e.tsv"), "e.tsv: empty file (no header, no rows)");
  EXPECT_EQ(read_error("\xEF\xBB\xBF \r\n\n", "e.csv"), "e.csv: empty file (no header, no rows)");
  EXPECT_EQ(read_error("label\ttext_a\n", "h.tsv"), "h.tsv: no data rows (only a header)");
  EXPECT_EQ(read_error("label,text\r\n\r\n", "h.csv"), "h.csv: no data rows (only a header)");
  ReadOptions skip;
  skip.on_bad_row = BadRowPolicy::kSkip;
  EXPECT_EQ(read_error("label,text\n,a\n1,b,c\n", "b.csv", skip),
            "b.csv: no valid rows: all 2 rows were bad (first, line 2: empty label)");
}

TEST(ReadDataset, InvalidUtf8NamesLineColumnAndOffset) {
  const std::string content = "label,text\n1,ok\n0,ab\xC3\x28z\n";
  EXPECT_EQ(read_error(content, "g.csv"),
            "g.csv:3: invalid UTF-8 at byte offset 20 (column 5, byte 0xC3); data files must be "
            "UTF-8 (convert GBK with iconv -f GBK -t UTF-8)");
  // The offset counts the BOM: it is a byte of the file.
  EXPECT_NE(read_error("\xEF\xBB\xBF" + content, "g.csv").find("byte offset 23"), std::string::npos);
}

TEST(ReadDataset, MissingFileIsAnIoError) {
  try {
    read_dataset("/nonexistent/zhsenti/none.tsv");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/zhsenti/none.tsv"), std::string::npos);
  }
}

TEST(ReadDataset, FiftyMegabyteLine) {
  const fs::path dir = fs::temp_directory_path() / "zhsenti_data_bigline";
  fs::create_directories(dir);
  const fs::path path = dir / "big.tsv";
  constexpr std::size_t kBytes = (50u << 20) / 3 * 3;  // 50 MiB of 3-byte characters
  std::string text = "很好吃";
  text.reserve(kBytes);
  while (text.size() * 2 <= kBytes) text += text;
  text.append(text, 0, kBytes - text.size());
  {
    std::ofstream out(path, std::ios::binary);
    out << "label\ttext\n1\t" << text << "\n0\tshort\n";
  }
  const Dataset d = read_dataset(path);
  ASSERT_EQ(d.examples.size(), 2u);
  EXPECT_EQ(d.examples[0].text.size(), text.size());
  EXPECT_TRUE(d.examples[0].text == text);
  EXPECT_EQ(d.examples[1].line, 3u);
  fs::remove_all(dir);
}

TEST(DatasetLabels, IntegersNumericallyThenStrings) {
  Dataset d;
  for (const char* label : {"10", "2", "b", "-1", "a", "2", "", "+3"}) {
    d.examples.push_back(Example{"t", label, 1});
  }
  EXPECT_EQ(d.labels(), (std::vector<std::string>{"-1", "2", "+3", "10", "a", "b"}));
}

TEST(IntegerLabel, Recognition) {
  EXPECT_TRUE(is_integer_label("0"));
  EXPECT_TRUE(is_integer_label("-12"));
  EXPECT_FALSE(is_integer_label(""));
  EXPECT_FALSE(is_integer_label("-"));
  EXPECT_FALSE(is_integer_label("1.5"));
  EXPECT_FALSE(is_integer_label("99999999999999999999"));
  EXPECT_FALSE(is_integer_label("happy"));
}

TEST(DataRoot, EnvironmentVariableWins) {
  const char* old = std::getenv("ZHSENTI_DATA");
  const std::string saved = old != nullptr ? old : "";
  setenv("ZHSENTI_DATA", "/tmp/zhsenti-data-root", 1);
  EXPECT_EQ(data_root(), fs::path("/tmp/zhsenti-data-root"));
  unsetenv("ZHSENTI_DATA");
  const fs::path fallback = data_root();
  if (fs::is_directory("../shared/data")) {
    EXPECT_EQ(fallback, fs::path("../shared/data"));
  } else {
    EXPECT_EQ(fallback.filename(), "data");
    EXPECT_EQ(fallback.parent_path().filename(), "zhsenti");
  }
  if (old != nullptr) setenv("ZHSENTI_DATA", saved.c_str(), 1);
}

}  // namespace
}  // namespace zhsenti::data

namespace zhsenti::data {
namespace {

// Shards of a data-parallel job: every row in exactly one shard, in file order; a bad row is
// reported (or skipped) only by the shard holding it, so the other ranks do not fail on it.
TEST(DatasetShards, RowsSplitRoundRobinAndBadRowsStayInTheirShard) {
  const std::string tsv = "label\ttext\n1\ta\n0\tb\n\tno label\n0\td\n1\te\n";
  ReadOptions options;
  options.shard_count = 2;
  options.shard_index = 0;  // rows 0, 2, 4: a, (bad, line 4), e
  EXPECT_NE(test::read_error(tsv, "x.tsv", options).find("x.tsv:4: empty label"),
            std::string::npos);
  options.shard_index = 1;  // rows 1, 3: b, d
  const Dataset odd = read_dataset_from_string(tsv, "x.tsv", options);
  ASSERT_EQ(odd.examples.size(), 2u);
  EXPECT_EQ(odd.examples[0].text, "b");
  EXPECT_EQ(odd.examples[0].line, 3u);
  EXPECT_EQ(odd.examples[1].text, "d");
  EXPECT_EQ(odd.examples[1].line, 5u);
  options.shard_index = 0;
  options.on_bad_row = BadRowPolicy::kSkip;
  const Dataset even = read_dataset_from_string(tsv, "x.tsv", options);
  ASSERT_EQ(even.examples.size(), 2u);
  EXPECT_EQ(even.examples[0].text, "a");
  EXPECT_EQ(even.examples[1].text, "e");
  ASSERT_EQ(even.skipped.size(), 1u);
  EXPECT_EQ(even.skipped[0].line, 4u);
}

}  // namespace
}  // namespace zhsenti::data
