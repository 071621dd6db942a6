#include "zhsenti/data/stats.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <algorithm>
#include <numeric>

#include "zhsenti/data/dataset.h"

namespace zhsenti::data {
namespace {

const std::string kFixtures = std::string(ZHSENTI_TEST_DATA_DIR) + "/data/";

Dataset make(std::initializer_list<std::pair<const char*, const char*>> rows) {
  Dataset d;
  d.source = "mem";
  std::size_t line = 2;
  for (const auto& [text, label] : rows) d.examples.push_back(Example{text, label, line++});
  return d;
}

TEST(Stats, TinyFixtureByHand) {
  // tiny.tsv: six rows, labels 1 0 1 0 1 0; char lengths 9 8 9 14 7 0; one repeated text.
  const DatasetStats s = compute_stats(read_dataset(kFixtures + "tiny.tsv"));
  EXPECT_EQ(s.rows, 6u);
  ASSERT_EQ(s.classes.size(), 2u);
  EXPECT_EQ(s.classes[0].label, "0");
  EXPECT_EQ(s.classes[0].count, 3u);
  EXPECT_DOUBLE_EQ(s.classes[0].percent, 50.0);
  EXPECT_DOUBLE_EQ(s.imbalance_ratio, 1.0);
  // Sorted 0 7 8 9 9 14: nearest rank p50 = 3rd, p90 = p95 = p99 = 6th.
  EXPECT_EQ(s.chars.p50, 8u);
  EXPECT_EQ(s.chars.p90, 14u);
  EXPECT_EQ(s.chars.p99, 14u);
  EXPECT_EQ(s.chars.max, 14u);
  EXPECT_DOUBLE_EQ(s.chars.mean, 47.0 / 6.0);
  EXPECT_FALSE(s.words.has_value());
  EXPECT_EQ(s.empty_texts, 1u);
  EXPECT_EQ(s.duplicate_rows, 1u);
  EXPECT_EQ(s.duplicate_texts, 1u);
  EXPECT_EQ(s.conflicting_texts, 0u);
}

TEST(Stats, NearestRankPercentiles) {
  std::vector<std::size_t> v(100);
  std::iota(v.begin(), v.end(), 1);
  std::reverse(v.begin(), v.end());
  const LengthSummary s = summarize_lengths(v);
  EXPECT_EQ(s.p50, 50u);
  EXPECT_EQ(s.p90, 90u);
  EXPECT_EQ(s.p95, 95u);
  EXPECT_EQ(s.p99, 99u);
  EXPECT_EQ(s.max, 100u);
  EXPECT_DOUBLE_EQ(s.mean, 50.5);
  const LengthSummary one = summarize_lengths({7});
  EXPECT_EQ(one.p50, 7u);
  EXPECT_EQ(one.p99, 7u);
  EXPECT_EQ(summarize_lengths({}).max, 0u);
}

TEST(Stats, DuplicatesConflictsImbalanceAndWords) {
  const Dataset d = make({{"a b", "pos"},
                          {"a b", "neg"},
                          {"a b", "pos"},
                          {"c", "pos"},
                          {"c", "pos"},
                          {"  ", "neg"},
                          {"d e f", "pos"},
                          {"g", "neu"}});
  const WordCounter words = [](std::string_view text) {
    std::size_t n = 0;
    bool in_word = false;
    for (const char c : text) {
      if (c != ' ' && !in_word) ++n;
      in_word = c != ' ';
    }
    return n;
  };
  const DatasetStats s = compute_stats(d, words);
  EXPECT_EQ(s.rows, 8u);
  ASSERT_EQ(s.classes.size(), 3u);
  EXPECT_EQ(s.classes[2].label, "pos");
  EXPECT_EQ(s.classes[2].count, 5u);
  EXPECT_DOUBLE_EQ(s.classes[2].percent, 62.5);
  EXPECT_DOUBLE_EQ(s.imbalance_ratio, 5.0);  // pos 5 / neu 1
  EXPECT_EQ(s.empty_texts, 1u);              // whitespace only counts as empty
  EXPECT_EQ(s.duplicate_rows, 3u);           // 2 extra "a b", 1 extra "c"
  EXPECT_EQ(s.duplicate_texts, 2u);
  EXPECT_EQ(s.conflicting_texts, 1u);
  EXPECT_EQ(s.conflicting_rows, 3u);
  ASSERT_TRUE(s.words.has_value());
  EXPECT_EQ(s.words->max, 3u);  // word counts 2 2 2 1 1 0 3 1
  EXPECT_EQ(s.words->p50, 1u);
}

TEST(Stats, JsonAndTableOutput) {
  Dataset d = make({{"好吃", "1"}, {"难吃", "0"}, {"难吃", "1"}});
  d.format = "tsv";
  d.skipped.push_back(BadRow{5, "empty label"});
  const DatasetStats s = compute_stats(d);
  const auto j = nlohmann::json::parse(stats_to_json(s));
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["num_classes"], 2);
  EXPECT_EQ(j["classes"][0]["label"], "0");
  EXPECT_EQ(j["classes"][1]["count"], 2);
  EXPECT_EQ(j["length_chars"]["max"], 2);
  EXPECT_TRUE(j["length_words"].is_null());
  EXPECT_EQ(j["conflicting_texts"], 1);
  EXPECT_EQ(j["skipped_rows"], 1);
  EXPECT_EQ(j["skipped"][0]["line"], 5);
  EXPECT_EQ(j["skipped"][0]["reason"], "empty label");

  const std::string table = format_stats_table(s);
  EXPECT_NE(table.find("rows               3\n"), std::string::npos) << table;
  EXPECT_NE(table.find("imbalance 2.00"), std::string::npos) << table;
  EXPECT_NE(table.find("conflicting labels 1 texts on 2 rows"), std::string::npos) << table;
  EXPECT_NE(table.find("line 5: empty label"), std::string::npos) << table;
}

}  // namespace
}  // namespace zhsenti::data
