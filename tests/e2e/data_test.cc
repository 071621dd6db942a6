// zhsenti data stats|split|fetch as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../unit/data/local_http_server.h"
#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

namespace fs = std::filesystem;

const std::string kFixtures = std::string(ZHSENTI_TEST_DATA_DIR) + "/data/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(DataStats, TableOnAFixture) {
  const auto r = run_zhsenti({"data", "stats", kFixtures + "tiny.tsv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "rows               6\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "imbalance 1.00")) << r.out;
  EXPECT_TRUE(contains(r.out, "empty texts        1\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "duplicate rows     1 ")) << r.out;
}

TEST(DataStats, WordLengthsFromJieba) {
  // Expected values from /usr/bin/python3: jieba.lcut of each tiny.tsv text, whitespace
  // tokens dropped: 6 6 6 9 5 0 words.
  const auto r = run_zhsenti({"data", "stats", kFixtures + "tiny.tsv", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto words = nlohmann::json::parse(r.out)["length_words"];
  ASSERT_TRUE(words.is_object()) << r.out;
  EXPECT_EQ(words["p50"], 6);
  EXPECT_EQ(words["p90"], 9);
  EXPECT_EQ(words["max"], 9);
  EXPECT_NEAR(words["mean"].get<double>(), 32.0 / 6.0, 1e-9);
  const auto table = run_zhsenti({"data", "stats", kFixtures + "tiny.tsv"});
  EXPECT_TRUE(contains(table.out, "  words       6      9      9      9      9      5.3\n"))
      << table.out;
  const auto no_words = run_zhsenti({"data", "stats", kFixtures + "tiny.tsv", "--json", "--no-words"});
  ASSERT_EQ(no_words.exit_code, 0) << no_words.err;
  EXPECT_TRUE(nlohmann::json::parse(no_words.out)["length_words"].is_null());
}

TEST(DataStats, JsonFromStdin) {
  const auto r = run_zhsenti({"data", "stats", "-", "--json"},
                             "label,review\n1,好吃\n0,\"难吃, 太慢\"\n1,还行\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["source"], "<stdin>");
  EXPECT_EQ(j["format"], "csv");
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["classes"][1]["count"], 2);
  EXPECT_DOUBLE_EQ(j["imbalance_ratio"].get<double>(), 2.0);
  EXPECT_EQ(j["length_chars"]["max"], 6);
}

TEST(DataStats, BadRowsFailOrAreSkippedAndListed) {
  TempDir dir;
  const std::string path = dir.write("bad.tsv", "label\ttext\n1\tok\n0\ttoo\tmany\n\tno label\n1\tfine\n");
  const auto fail = run_zhsenti({"data", "stats", path});
  EXPECT_EQ(fail.exit_code, 1);
  EXPECT_TRUE(contains(fail.err, "zhsenti: error: " + path +
                                     ":3: expected 2 columns (label, text), found 3"))
      << fail.err;
  const auto skip = run_zhsenti({"data", "stats", path, "--on-bad-row", "skip"});
  ASSERT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_TRUE(contains(skip.out, "rows               2\n")) << skip.out;
  EXPECT_TRUE(contains(skip.out, "skipped rows       2\n")) << skip.out;
  EXPECT_TRUE(contains(skip.out, "line 3: expected 2 columns")) << skip.out;
  EXPECT_TRUE(contains(skip.out, "line 4: empty label")) << skip.out;
}

TEST(DataStats, ColumnsByFlagAndMissingColumn) {
  TempDir dir;
  const std::string path = dir.write("x.csv", "id,body,stars\n1,好,5\n2,差,1\n");
  const auto missing = run_zhsenti({"data", "stats", path});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "no text column; the columns are [id, body, stars]"))
      << missing.err;
  const auto flagged =
      run_zhsenti({"data", "stats", path, "--text-col", "body", "--label-col", "stars", "--json"});
  ASSERT_EQ(flagged.exit_code, 0) << flagged.err;
  EXPECT_EQ(nlohmann::json::parse(flagged.out)["num_classes"], 2);
}

TEST(DataStats, WholeFileErrors) {
  TempDir dir;
  EXPECT_TRUE(contains(run_zhsenti({"data", "stats", dir.write("e.tsv", "")}).err, "empty file"));
  EXPECT_TRUE(contains(run_zhsenti({"data", "stats", dir.write("h.tsv", "label\ttext\n")}).err,
                       "no data rows (only a header)"));
  const auto gbk = run_zhsenti({"data", "stats", dir.write("g.tsv", "label\ttext\n1\t\xBA\xC3\n")});
  EXPECT_EQ(gbk.exit_code, 1);
  EXPECT_TRUE(contains(gbk.err, "g.tsv:2: invalid UTF-8 at byte offset 13")) << gbk.err;
  EXPECT_EQ(run_zhsenti({"data", "stats", dir.file("none.tsv")}).exit_code, 1);
}

std::string split_corpus() {
  std::string tsv = "label\ttext_a\n";
  for (int i = 0; i < 60; ++i) tsv += "1\t好评 " + std::to_string(i) + "\n";
  for (int i = 0; i < 40; ++i) tsv += "0\t差评 " + std::to_string(i) + "\n";
  // Two extra copies, a conflict decided 2:1, and a quoted multi-line text.
  tsv += "1\t好评 3\n1\t好评 3\n0\t好评 5\n1\t好评 5\n1\t\"多行\n文本\"\n";
  return tsv;
}

TEST(DataSplit, ReproducibleStratifiedAndLeakFree) {
  TempDir dir;
  const std::string input = dir.write("all.tsv", split_corpus());
  const auto a = run_zhsenti({"data", "split", input, "--out", dir.file("a"), "--seed", "9"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto b = run_zhsenti({"data", "split", input, "--out", dir.file("b"), "--seed", "9",
                              "--ratios", "0.8,0.1,0.1", "--format", "tsv"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_TRUE(contains(a.out, "read 105 rows")) << a.out;
  EXPECT_TRUE(contains(a.out, "duplicates: 4 rows merged")) << a.out;
  EXPECT_TRUE(contains(a.out, "conflicting labels: 1 texts; kept the majority label (1 rows "
                              "outvoted)")) << a.out;
  std::set<std::string> seen;
  std::size_t rows = 0;
  for (const std::string name : {"train", "dev", "test"}) {
    const std::string file_a = slurp(dir.file("a/" + name + ".tsv"));
    EXPECT_EQ(file_a, slurp(dir.file("b/" + name + ".tsv"))) << name;
    EXPECT_TRUE(file_a.starts_with("label\ttext\n")) << name;
    // Each split reads back; no text is in two splits.
    const auto stats = run_zhsenti({"data", "stats", dir.file("a/" + name + ".tsv"), "--json"});
    ASSERT_EQ(stats.exit_code, 0) << stats.err;
    rows += nlohmann::json::parse(stats.out)["rows"].get<std::size_t>();
    std::istringstream lines(file_a);
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) {
      const std::size_t tab = line.find('\t');
      if (tab != std::string::npos) {
        EXPECT_TRUE(seen.insert(line.substr(tab)).second) << line;
      }
    }
  }
  EXPECT_EQ(rows, 101u);
  // 40 texts of label 0 and 61 of label 1: 0.8 of them is 32 and 48.8 -> 49.
  EXPECT_TRUE(contains(a.out, "train" + std::string(9, ' ') + "81 rows  0=32 1=49")) << a.out;
  EXPECT_TRUE(contains(slurp(dir.file("a/train.tsv")) + slurp(dir.file("a/dev.tsv")) +
                           slurp(dir.file("a/test.tsv")),
                       "1\t\"多行\n文本\"\n"));
  const auto c = run_zhsenti({"data", "split", input, "--out", dir.file("c"), "--seed", "10"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(slurp(dir.file("a/test.tsv")), slurp(dir.file("c/test.tsv")));
}

TEST(DataSplit, NamesFormatAndBadRatios) {
  TempDir dir;
  const std::string input = dir.write("all.tsv", split_corpus());
  const auto r = run_zhsenti({"data", "split", input, "--out", dir.file("o"), "--ratios", "0.5,0.5",
                              "--names", "left,right", "--format", "jsonl", "--conflicts", "drop"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.file("o/left.jsonl")));
  EXPECT_TRUE(fs::exists(dir.file("o/right.jsonl")));
  EXPECT_TRUE(contains(r.out, "all dropped (3 rows)")) << r.out;
  const auto bad = run_zhsenti({"data", "split", input, "--out", dir.file("p"), "--ratios", "0.8,0.1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "ratios sum to 0.9")) << bad.err;
  const auto unnamed = run_zhsenti(
      {"data", "split", input, "--out", dir.file("q"), "--ratios", "0.25,0.25,0.25,0.25"});
  EXPECT_EQ(unnamed.exit_code, 1);
  EXPECT_TRUE(contains(unnamed.err, "need --names")) << unnamed.err;
}

TEST(DataFetch, ListNamesTheSources) {
  const auto r = run_zhsenti({"data", "fetch", "--list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"chnsenticorp", "waimai_10k", "smp2020_ewect", "virus_train.txt"}) {
    EXPECT_TRUE(contains(r.out, name)) << name;
  }
  const auto unknown = run_zhsenti({"data", "fetch", "imdb", "--dest", "/nonexistent"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(contains(unknown.err, "unknown data set 'imdb'")) << unknown.err;
}

TEST(DataFetch, FileMirrorThenUpToDate) {
  TempDir dest;
  const std::string mirror = "file://" + fs::absolute(shared_data_dir() + "/waimai_10k").string();
  const auto first = run_zhsenti({"data", "fetch", "waimai_10k", "--dest", dest.path(), "--url-base", mirror});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(contains(first.out, "downloaded")) << first.out;
  EXPECT_EQ(slurp(dest.file("waimai_10k/waimai_10k.csv")),
            slurp(shared_data_dir() + "/waimai_10k/waimai_10k.csv"));
  const auto again = run_zhsenti({"data", "fetch", "waimai_10k", "--dest", dest.path(), "--url-base", mirror});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "up to date")) << again.out;
}

TEST(DataFetch, MismatchAnd404OverHttp) {
  TempDir served, dest;
  served.write("waimai_10k.csv", "label,review\n1,tampered\n");
  LocalHttpServer server(served.path());
  const auto mismatch =
      run_zhsenti({"data", "fetch", "waimai_10k", "--dest", dest.path(), "--url-base", server.url()});
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_TRUE(contains(mismatch.err, "checksum mismatch for " + server.url() + "/waimai_10k.csv"))
      << mismatch.err;
  EXPECT_FALSE(fs::exists(dest.file("waimai_10k/waimai_10k.csv")));
  EXPECT_TRUE(fs::is_empty(dest.file("waimai_10k")));
  const auto missing =
      run_zhsenti({"data", "fetch", "chnsenticorp", "--dest", dest.path(), "--url-base", server.url()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "HTTP 404 for " + server.url() + "/train.tsv")) << missing.err;
  EXPECT_FALSE(fs::exists(dest.file("chnsenticorp/train.tsv")));
}

}  // namespace
}  // namespace zhsenti::testing
