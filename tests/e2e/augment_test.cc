// zhsenti augment on a tiny labelled file with hand-made word vectors: rows and labels,
// protected words, reproducibility across thread counts, and clear errors.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace zhsenti::testing {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::pair<std::string, std::string>> tsv_rows(const std::string& content) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::istringstream in(content);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    rows.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return rows;
}

std::size_t count(const std::string& text, const std::string& word) {
  std::size_t n = 0;
  for (auto p = text.find(word); p != std::string::npos; p = text.find(word, p + word.size())) ++n;
  return n;
}

const char* kData =
    "label\ttext_a\n"
    "1\t这家酒店的房间很干净，早餐也丰富\n"
    "0\t房间太小，服务员的态度非常冷淡\n"
    "1\t酒店的早餐丰富，服务员热情\n"
    "0\t宾馆的卫生很差，房间没有窗户\n"
    "1\t房间干净整洁\n"
    "0\t差\n";

// Lodging, room and meal words close together; 很 and 没有 close to them too, which must
// not make them synonyms.
const char* kVectors =
    "9 3\n"
    "酒店 1 0 0\n"
    "宾馆 0.9 0.1 0\n"
    "房间 0 1 0\n"
    "客房 0.1 0.95 0\n"
    "早餐 0 0 1\n"
    "午餐 0 0.1 0.95\n"
    "很 0.99 0 0.01\n"
    "没有 0 0.99 0.01\n"
    "服务员 0.1 0.1 0.1\n";

TEST(AugmentE2E, AugmentsKeepingLabelsAndProtectedWords) {
  TempDir dir;
  const std::string data = dir.write("d.tsv", kData);
  const std::string vectors = dir.write("v.txt", kVectors);
  const std::vector<std::string> base = {
      "augment", "--input", data,  "--vectors",       vectors,  "--n-aug",
      "3",       "--seed",  "7",   "--alpha-sr",      "0.3",    "--alpha-ri",
      "0.3",     "--p-rd",  "0.3", "--keep-original", "--json", "-q"};
  auto one = base;
  one.insert(one.end(), {"--out", dir.file("a.tsv"), "--threads", "1", "--dump-synonyms",
                         dir.file("syn.tsv")});
  const auto r = run_zhsenti(one);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["texts"], 6);
  EXPECT_EQ(summary["originals_written"], 6);
  EXPECT_EQ(summary["rows_written"].get<int>(), 6 + summary["augmentations"].get<int>());
  EXPECT_GE(summary["augmentations"].get<int>(), 12) << r.out;
  EXPECT_GT(summary["operations"]["sr"]["augmentations"].get<int>(), 0) << r.out;
  EXPECT_GE(summary["synonyms"]["with_synonyms"].get<int>(), 3) << r.out;
  const std::string synonyms = read_all(dir.file("syn.tsv"));
  EXPECT_NE(synonyms.find("酒店\t宾馆:"), std::string::npos) << synonyms;
  EXPECT_EQ(synonyms.find(":很"), std::string::npos);  // never a synonym
  EXPECT_EQ(synonyms.find("没有"), std::string::npos);

  // Each original, verbatim, then its augmentations with its label; negators and degree words
  // stay with the words they modify (jieba cuts 很/干净, 非常/冷淡, 没有/窗户; the fused 太小
  // and 很差 may be moved or deleted, never replaced).
  const auto rows = tsv_rows(read_all(dir.file("a.tsv")));
  ASSERT_EQ(rows.size(), summary["rows_written"].get<std::size_t>());
  const auto input = tsv_rows(kData);
  std::size_t originals = 0;
  std::pair<std::string, std::string> current;
  for (const auto& row : rows) {
    if (originals < input.size() && row == input[originals]) {
      current = input[originals++];
      continue;
    }
    ASSERT_GT(originals, 0u) << "an augmentation before its original";
    EXPECT_EQ(row.first, current.first) << row.second;
    for (const std::string w : {"非常", "没有"}) {
      EXPECT_EQ(count(row.second, w), count(current.second, w)) << w << " in " << row.second;
    }
    for (const std::string phrase : {"很干净", "非常冷淡", "没有窗户"}) {
      EXPECT_EQ(count(row.second, phrase), count(current.second, phrase)) << row.second;
    }
  }
  EXPECT_EQ(originals, input.size());

  // Same seed, other thread count: the same bytes. Another seed: other augmentations.
  auto two = base;
  two.insert(two.end(), {"--out", dir.file("b.tsv"), "--threads", "2"});
  ASSERT_EQ(run_zhsenti(two).exit_code, 0);
  EXPECT_EQ(read_all(dir.file("a.tsv")), read_all(dir.file("b.tsv")));
  auto other = base;
  other[8] = "8";
  other.insert(other.end(), {"--out", dir.file("c.tsv")});
  ASSERT_EQ(run_zhsenti(other).exit_code, 0);
  EXPECT_NE(read_all(dir.file("a.tsv")), read_all(dir.file("c.tsv")));
}

TEST(AugmentE2E, WithoutVectorsOnlySwapAndDelete) {
  TempDir dir;
  const std::string data = dir.write("d.tsv", kData);
  const auto r = run_zhsenti({"augment", "--input", data, "--out", dir.file("o.jsonl"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("synonym replacement and random insertion are off"), std::string::npos)
      << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["format"], "jsonl");
  EXPECT_EQ(summary["operations"]["sr"]["augmentations"], 0);
  EXPECT_EQ(summary["operations"]["ri"]["augmentations"], 0);
  EXPECT_GT(summary["augmentations"].get<int>(), 0);
  EXPECT_EQ(read_all(dir.file("o.jsonl")).find("{\"label\":\"1\",\"text\":"), 0u);
}

TEST(AugmentE2E, BadInputsGiveClearErrors) {
  TempDir dir;
  const std::string data = dir.write("d.tsv", kData);
  const std::string out = dir.file("o.tsv");
  const auto sr = run_zhsenti({"augment", "--input", data, "--out", out, "--alpha-sr", "0.2"});
  EXPECT_EQ(sr.exit_code, 1);
  EXPECT_NE(sr.err.find("--alpha-sr needs --vectors"), std::string::npos) << sr.err;

  const std::string missing = dir.file("nope.bin");
  const auto v = run_zhsenti({"augment", "--input", data, "--out", out, "--vectors", missing});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.err.find(missing + ": vector file not found"), std::string::npos) << v.err;

  const auto a = run_zhsenti({"augment", "--input", data, "--out", out, "--alpha-rs", "2"});
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_NE(a.err.find("--alpha-rs must be in [0, 1], got 2"), std::string::npos) << a.err;

  const std::string bad_vectors = dir.write("bad.txt", "2 3\n酒店 1 0 0\n宾馆 1 0\n");
  const auto b = run_zhsenti({"augment", "--input", data, "--out", out, "--vectors", bad_vectors});
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find("bad.txt:3:"), std::string::npos) << b.err;
  EXPECT_FALSE(std::ifstream(out).good()) << "no output after an error";
}

}  // namespace
}  // namespace zhsenti::testing
