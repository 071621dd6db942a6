// CSV and TSV readers: RFC 4180 quoting, BOM, CRLF, line numbers, bad rows.
#include <gtest/gtest.h>

#include "test_util.h"
#include "zhsenti/data/dataset.h"

namespace zhsenti::data {
namespace {

using test::read_error;
using test::skip_bad_rows;

TEST(CsvReader, QuotingEmbeddedNewlinesDoubledQuotesAndCommas) {
  const std::string csv =
      "label,review\n"
      "1,\"好吃, 送得快\"\n"
      "0,\"他说\"\"难吃\"\"\"\n"
      "1,\"第一行\n第二行\"\n"
      "0,plain\n";
  const Dataset d = read_dataset_from_string(csv, "x.csv");
  ASSERT_EQ(d.examples.size(), 4u);
  EXPECT_EQ(d.format, "csv");
  EXPECT_EQ(d.examples[0].text, "好吃, 送得快");
  EXPECT_EQ(d.examples[1].text, "他说\"难吃\"");
  EXPECT_EQ(d.examples[2].text, "第一行\n第二行");
  EXPECT_EQ(d.examples[3].text, "plain");
  // Lines are where each row starts; the embedded newline pushes the last row to line 6.
  EXPECT_EQ(d.examples[0].line, 2u);
  EXPECT_EQ(d.examples[1].line, 3u);
  EXPECT_EQ(d.examples[2].line, 4u);
  EXPECT_EQ(d.examples[3].line, 6u);
}

TEST(CsvReader, BomCrlfAndChineseHeader) {
  const std::string csv =
      "\xEF\xBB\xBF数据编号,文本,情绪标签\r\n"
      "1,到底什么时候才能雨过天晴！,angry\r\n"
      "2,\"a\r\nb\",happy\r\n"
      "3,,neutral\r\n";
  const Dataset d = read_dataset_from_string(csv, "usual.csv");
  ASSERT_EQ(d.examples.size(), 3u);
  EXPECT_EQ(d.examples[0].text, "到底什么时候才能雨过天晴！");
  EXPECT_EQ(d.examples[0].label, "angry");
  EXPECT_EQ(d.examples[1].text, "a\r\nb");  // inside quotes CRLF is data
  EXPECT_EQ(d.examples[2].text, "");        // empty texts are kept
  EXPECT_EQ(d.examples[2].label, "neutral");
  EXPECT_EQ(d.examples[2].line, 5u);
}

TEST(CsvReader, MissingFinalNewlineAndTrailingBlankLines) {
  EXPECT_EQ(read_dataset_from_string("label,text\n1,a\n0,b", "x.csv").examples.size(), 2u);
  const Dataset d = read_dataset_from_string("label,text\n1,a\n\n0,b\n\n\n", "x.csv");
  ASSERT_EQ(d.examples.size(), 2u);
  EXPECT_EQ(d.examples[1].line, 4u);
}

TEST(CsvReader, LoneCarriageReturnEndsARecord) {
  const Dataset d = read_dataset_from_string("label,text\r1,a\r0,b\r", "x.csv");
  ASSERT_EQ(d.examples.size(), 2u);
  EXPECT_EQ(d.examples[1].line, 3u);
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsText) {
  const Dataset d = read_dataset_from_string("label,text\n1,5\"屏幕\n", "x.csv");
  EXPECT_EQ(d.examples[0].text, "5\"屏幕");
}

TEST(CsvReader, LabelsAreTrimmed) {
  const Dataset d = read_dataset_from_string("label,text\n    0,a\n1 ,b\n\" 2\t\",c\n", "x.csv");
  ASSERT_EQ(d.examples.size(), 3u);
  EXPECT_EQ(d.examples[0].label, "0");
  EXPECT_EQ(d.examples[1].label, "1");
  EXPECT_EQ(d.examples[2].label, "2");
}

TEST(CsvReader, WrongColumnCountNamesFileLineAndCounts) {
  const std::string csv = "label,text\n1,a\n0,b,c\n1\n";
  EXPECT_EQ(read_error(csv, "x.csv"),
            "x.csv:3: expected 2 columns (label, text), found 3 (use --on-bad-row skip to skip "
            "bad rows)");
  const Dataset d = read_dataset_from_string(csv, "x.csv", skip_bad_rows());
  ASSERT_EQ(d.examples.size(), 1u);
  ASSERT_EQ(d.skipped.size(), 2u);
  EXPECT_EQ(d.skipped[0].line, 3u);
  EXPECT_EQ(d.skipped[0].reason, "expected 2 columns (label, text), found 3");
  EXPECT_EQ(d.skipped[1].line, 4u);
  EXPECT_EQ(d.skipped[1].reason, "expected 2 columns (label, text), found 1");
}

TEST(CsvReader, EmptyLabelIsABadRow) {
  const std::string csv = "label,text\n1,a\n  ,b\n";
  EXPECT_EQ(read_error(csv, "x.csv").substr(0, 20), "x.csv:3: empty label");
  const Dataset d = read_dataset_from_string(csv, "x.csv", skip_bad_rows());
  EXPECT_EQ(d.skipped.size(), 1u);
}

TEST(CsvReader, UnterminatedQuoteCostsOnlyItsOwnLine) {
  const std::string csv = "label,text\n1,a\n0,\"never closed\n1,b\n0,c\n";
  EXPECT_NE(read_error(csv, "x.csv").find("x.csv:3: unterminated quoted field (opened on line 3)"),
            std::string::npos);
  const Dataset d = read_dataset_from_string(csv, "x.csv", skip_bad_rows());
  ASSERT_EQ(d.examples.size(), 3u);
  EXPECT_EQ(d.examples[1].text, "b");
  EXPECT_EQ(d.examples[1].line, 4u);
  ASSERT_EQ(d.skipped.size(), 1u);
  EXPECT_EQ(d.skipped[0].line, 3u);
}

TEST(CsvReader, CharacterAfterClosingQuote) {
  const std::string csv = "label,text\n1,\"a\"b\n0,c\n";
  EXPECT_NE(read_error(csv, "x.csv").find("x.csv:2: unexpected character 'b' after the closing "
                                         "quote"),
            std::string::npos);
  const Dataset d = read_dataset_from_string(csv, "x.csv", skip_bad_rows());
  ASSERT_EQ(d.examples.size(), 1u);
  EXPECT_EQ(d.examples[0].text, "c");
}

TEST(TsvReader, RawLinesWithLeadingQuotesStayLiteral) {
  // As in ChnSentiCorp train.tsv: a text starting with '"' that is not a quoted field.
  const std::string tsv =
      "label\ttext_a\n"
      "1\t\"PC卡插槽\"为什么我找不到\n"
      "0\t他说\"好\"\n"
      "1\t最后一行\"\n";
  const Dataset d = read_dataset_from_string(tsv, "x.tsv");
  ASSERT_EQ(d.examples.size(), 3u);
  EXPECT_EQ(d.examples[0].text, "\"PC卡插槽\"为什么我找不到");
  EXPECT_EQ(d.examples[1].text, "他说\"好\"");
  EXPECT_EQ(d.examples[2].text, "最后一行\"");
  EXPECT_EQ(d.examples[2].line, 4u);
}

TEST(TsvReader, WellFormedQuotedFieldsCarryTabsAndNewlines) {
  const std::string tsv =
      "label\ttext\n"
      "1\t\"a\tb\"\n"
      "0\t\"line1\nline2\"\n"
      "1\t\"\"\"quoted\"\" start\"\n"
      "0\tplain \"inner\" quote\n";
  const Dataset d = read_dataset_from_string(tsv, "x.tsv");
  ASSERT_EQ(d.examples.size(), 4u);
  EXPECT_EQ(d.examples[0].text, "a\tb");
  EXPECT_EQ(d.examples[1].text, "line1\nline2");
  EXPECT_EQ(d.examples[2].text, "\"quoted\" start");
  EXPECT_EQ(d.examples[3].text, "plain \"inner\" quote");
  EXPECT_EQ(d.examples[3].line, 6u);
}

TEST(TsvReader, NoFinalNewlineAndCrlf) {
  const Dataset d = read_dataset_from_string("label\ttext_a\r\n1\ta\r\n    0\tb", "x.tsv");
  ASSERT_EQ(d.examples.size(), 2u);
  EXPECT_EQ(d.examples[0].text, "a");
  EXPECT_EQ(d.examples[1].label, "0");
  EXPECT_EQ(d.examples[1].text, "b");
}

TEST(TsvReader, ExtraTabIsABadRowWithItsLine) {
  const std::string tsv = "label\ttext_a\n1\ta\n0\tb\tc\n";
  EXPECT_EQ(read_error(tsv, "data/x.tsv").substr(0, 62),
            "data/x.tsv:3: expected 2 columns (label, text_a), found 3 (use");
}

}  // namespace
}  // namespace zhsenti::data
