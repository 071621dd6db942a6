// JSONL and JSON-array readers.
#include <gtest/gtest.h>

#include "test_util.h"
#include "zhsenti/data/dataset.h"

namespace zhsenti::data {
namespace {

using test::read_error;
using test::skip_bad_rows;

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

TEST(JsonlReader, IntegerStringAndFloatLabels) {
  const std::string jsonl =
      "{\"text\": \"好\", \"label\": 1}\n"
      "{\"text\": \"差\", \"label\": \" 0 \"}\n"
      "\n"
      "{\"label\": 2.0, \"text\": \"一般\", \"id\": 7}\r\n"
      "{\"text\": 12345, \"label\": -1}";
  const Dataset d = read_dataset_from_string(jsonl, "x.jsonl");
  ASSERT_EQ(d.examples.size(), 4u);
  EXPECT_EQ(d.format, "jsonl");
  EXPECT_EQ(d.examples[0].label, "1");
  EXPECT_EQ(d.examples[1].label, "0");
  EXPECT_EQ(d.examples[2].label, "2");
  EXPECT_EQ(d.examples[2].line, 4u);
  EXPECT_EQ(d.examples[3].text, "12345");
  EXPECT_EQ(d.examples[3].label, "-1");
  EXPECT_EQ(d.labels(), (std::vector<std::string>{"-1", "0", "1", "2"}));
}

TEST(JsonlReader, BadLinesAreReportedWithTheirLine) {
  const std::string jsonl =
      "{\"text\": \"a\", \"label\": 1}\n"
      "{\"text\": \"b\", \"label\": 1\n"
      "[1, 2]\n"
      "{\"text\": \"c\"}\n"
      "{\"text\": null, \"label\": 0}\n"
      "{\"text\": \"d\", \"label\": true}\n"
      "{\"text\": \"e\", \"label\": 0}\n";
  EXPECT_TRUE(starts_with(read_error(jsonl, "x.jsonl"), "x.jsonl:2: invalid JSON: "));
  const Dataset d = read_dataset_from_string(jsonl, "x.jsonl", skip_bad_rows());
  ASSERT_EQ(d.examples.size(), 2u);
  ASSERT_EQ(d.skipped.size(), 5u);
  EXPECT_EQ(d.skipped[0].line, 2u);
  EXPECT_EQ(d.skipped[1].line, 3u);
  EXPECT_EQ(d.skipped[1].reason, "expected a JSON object, found array");
  EXPECT_EQ(d.skipped[2].line, 4u);
  EXPECT_EQ(d.skipped[2].reason, "missing label field 'label'");
  EXPECT_EQ(d.skipped[3].reason, "field 'text' must be a string, found null");
  EXPECT_EQ(d.skipped[4].reason, "label 'label' must be a string or a number, found boolean");
}

TEST(JsonlReader, ColumnsComeFromTheFirstObjectCaseInsensitively) {
  const Dataset d = read_dataset_from_string(
      "{\"ID\": 1, \"Content\": \"x\", \"Sentiment\": \"pos\"}\n", "x.jsonl");
  EXPECT_EQ(d.examples[0].text, "x");
  EXPECT_EQ(d.examples[0].label, "pos");
  EXPECT_EQ(read_error("{\"id\": 1, \"body\": \"x\", \"label\": 0}\n", "x.jsonl"),
            "x.jsonl:1: no text column; the columns are [id, body, label]; expected one of "
            "text, text_a, review, content, sentence, comment, review_text, 文本, 微博中文内容, "
            "微博内容, 内容, 评论, 句子, 正文 or --text-col");
}

TEST(JsonArrayReader, ReadsObjectsWithLinesOfEachElement) {
  const std::string json =
      "[\n"
      "  {\"id\": 1, \"content\": \"天使\", \"label\": \"happy\"},\n"
      "  {\"id\": 2, \"content\": \"含有]和}的\\\"文本\", \"label\": \"sad\"},\n"
      "  {\"id\": 3,\n"
      "   \"content\": \"\", \"label\": \"neutral\"}\n"
      "]\n";
  const Dataset d = read_dataset_from_string(json, "virus_train.txt");
  EXPECT_EQ(d.format, "json");
  ASSERT_EQ(d.examples.size(), 3u);
  EXPECT_EQ(d.examples[0].text, "天使");
  EXPECT_EQ(d.examples[0].line, 2u);
  EXPECT_EQ(d.examples[1].text, "含有]和}的\"文本");
  EXPECT_EQ(d.examples[2].text, "");
  EXPECT_EQ(d.examples[2].line, 4u);
  EXPECT_EQ(d.labels(), (std::vector<std::string>{"happy", "neutral", "sad"}));
}

TEST(JsonArrayReader, BadElementsNameTheirIndex) {
  const std::string json =
      "[{\"content\": \"a\", \"label\": \"x\"}, {\"content\": \"b\"}, 5, "
      "{\"content\": \"c\", \"label\": \"y\",}, {\"content\": \"d\", \"label\": \"y\"}]";
  EXPECT_EQ(read_error(json, "v.json"),
            "v.json:1: element 2: missing label field 'label' (use --on-bad-row skip to skip bad "
            "rows)");
  const Dataset d = read_dataset_from_string(json, "v.json", skip_bad_rows());
  ASSERT_EQ(d.examples.size(), 2u);
  ASSERT_EQ(d.skipped.size(), 3u);
  EXPECT_EQ(d.skipped[1].reason, "element 3: expected a JSON object, found number");
  EXPECT_TRUE(starts_with(d.skipped[2].reason, "element 4: invalid JSON: "));
}

TEST(JsonArrayReader, BrokenStructureIsAWholeFileError) {
  EXPECT_EQ(read_error("[{\"text\": \"a\", \"label\": 1}\n", "x.json"),
            "x.json:2: unterminated JSON array (no closing ']')");
  EXPECT_EQ(read_error("[{\"text\": \"a\", \"label\": 1} {\"text\": \"b\"}]", "x.json"),
            "x.json:1: expected ',' or ']' after an array element");
  EXPECT_EQ(read_error("[{\"text\": \"a\", \"label\": 1}]\nextra", "x.json"),
            "x.json:2: unexpected content after the JSON array");
  EXPECT_EQ(read_error("[\n{\"text\": \"a\", \n\"label\": 1\n", "x.json"),
            "x.json:2: unterminated JSON value in the array");
  EXPECT_EQ(read_error("[{\"text\": \"a\", \"label\": 1},]", "x.json"),
            "x.json:1: expected a value in the JSON array");
  EXPECT_EQ(read_error("[]", "x.json"), "x.json: no data rows");
}

}  // namespace
}  // namespace zhsenti::data

namespace zhsenti::data {
namespace {

TEST(JsonReaders, DeepNestingIsABadRowNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string jsonl = "{\"text\": " + deep + ", \"label\": 1}\n{\"text\": \"ok\", \"label\": 0}\n";
  const Dataset d = read_dataset_from_string(jsonl, "deep.jsonl", test::skip_bad_rows());
  ASSERT_EQ(d.examples.size(), 1u);
  ASSERT_EQ(d.skipped.size(), 1u);
  EXPECT_EQ(d.skipped[0].reason, "JSON nested deeper than 64 levels");
  const Dataset a = read_dataset_from_string("[" + deep + ", {\"text\": \"ok\", \"label\": 0}]",
                                             "deep.json", test::skip_bad_rows());
  EXPECT_EQ(a.skipped[0].reason, "element 1: JSON nested deeper than 64 levels");
  // Brackets inside strings do not count.
  const Dataset s = read_dataset_from_string(
      "{\"text\": \"" + std::string(1000, '[') + "\", \"label\": 0}\n", "s.jsonl");
  EXPECT_EQ(s.examples[0].text, std::string(1000, '['));
}

}  // namespace
}  // namespace zhsenti::data
