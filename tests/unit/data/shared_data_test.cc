// Every data set in ../shared/data loads with the published row and class counts
// (README.md and smp2020_ewect/SOURCE.md there; ChnSentiCorp and waimai class counts from
// Python's csv module on the same files).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "zhsenti/data/dataset.h"
#include "zhsenti/data/stats.h"

namespace zhsenti::data {
namespace {

namespace fs = std::filesystem;

fs::path shared_data_dir() {
  if (const char* env = std::getenv("ZHSENTI_DATA")) return env;
  return fs::path(ZHSENTI_SOURCE_DIR) / ".." / "shared" / "data";
}

struct Expected {
  std::size_t rows;
  std::map<std::string, std::size_t> classes;
};

const std::map<std::string, Expected>& expected_files() {
  static const std::map<std::string, Expected> kFiles = {
      {"chnsenticorp/train.tsv", {9600, {{"0", 4802}, {"1", 4798}}}},
      {"chnsenticorp/dev.tsv", {1200, {{"0", 610}, {"1", 590}}}},
      {"chnsenticorp/test.tsv", {1200, {{"0", 598}, {"1", 602}}}},
      {"waimai_10k/waimai_10k.csv", {11987, {{"0", 7987}, {"1", 4000}}}},
      {"smp2020_ewect/usual_train.csv",
       {27768, {{"happy", 5379}, {"angry", 8344}, {"sad", 4990}, {"fear", 1220},
                {"surprise", 2086}, {"neutral", 5749}}}},
      {"smp2020_ewect/usual_eval_labeled.csv",
       {2000, {{"happy", 391}, {"angry", 586}, {"sad", 346}, {"fear", 87}, {"surprise", 170},
               {"neutral", 420}}}},
      {"smp2020_ewect/usual_test_labeled.csv",
       {5000, {{"happy", 1018}, {"angry", 1508}, {"sad", 900}, {"fear", 210},
               {"surprise", 374}, {"neutral", 990}}}},
      {"smp2020_ewect/virus_train.txt",
       {8606, {{"happy", 4423}, {"angry", 1322}, {"sad", 649}, {"fear", 555},
               {"surprise", 197}, {"neutral", 1460}}}},
      {"smp2020_ewect/virus_eval_labeled.txt",
       {2000, {{"happy", 923}, {"angry", 314}, {"sad", 165}, {"fear", 75}, {"surprise", 47},
               {"neutral", 476}}}},
      {"smp2020_ewect/virus_test_labeled.txt",
       {3000, {{"happy", 1540}, {"angry", 463}, {"sad", 219}, {"fear", 190},
               {"surprise", 68}, {"neutral", 520}}}},
  };
  return kFiles;
}

TEST(SharedData, EveryDataFileIsCovered) {
  const fs::path root = shared_data_dir();
  ASSERT_TRUE(fs::is_directory(root)) << root << " is missing (set ZHSENTI_DATA)";
  std::set<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string rel = fs::relative(entry.path(), root).generic_string();
    if (rel.starts_with("stopwords/") || entry.path().extension() == ".md") continue;
    found.insert(rel);
  }
  std::set<std::string> expected;
  for (const auto& [rel, unused] : expected_files()) expected.insert(rel);
  EXPECT_EQ(found, expected);
}

TEST(SharedData, RowAndClassCounts) {
  const fs::path root = shared_data_dir();
  for (const auto& [rel, want] : expected_files()) {
    SCOPED_TRACE(rel);
    const Dataset d = read_dataset(root / rel);
    EXPECT_EQ(d.examples.size(), want.rows);
    EXPECT_TRUE(d.skipped.empty());
    std::map<std::string, std::size_t> classes;
    for (const auto& e : d.examples) ++classes[e.label];
    EXPECT_EQ(classes, want.classes);
  }
}

TEST(SharedData, KnownQuirks) {
  const fs::path root = shared_data_dir();
  // The test.tsv row labelled "    0" reads as 0; no row is lost to its missing final newline.
  const Dataset test = read_dataset(root / "chnsenticorp/test.tsv");
  EXPECT_EQ(test.labels(), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(test.examples.back().line, 1201u);
  // Rows with a leading quote character stay one row each (ChnSentiCorp train lines 944, 4242).
  const Dataset train = read_dataset(root / "chnsenticorp/train.tsv");
  EXPECT_EQ(train.examples[942].line, 944u);
  EXPECT_EQ(train.examples[942].text.substr(0, 4), "\"此");
  EXPECT_EQ(train.examples[4240].text.substr(0, 3), "\"PC");

  // SOURCE.md: 2 empty texts, 760 duplicate rows with 83 conflicting texts, median 32 chars.
  const DatasetStats usual = compute_stats(read_dataset(root / "smp2020_ewect/usual_train.csv"));
  EXPECT_EQ(usual.empty_texts, 2u);
  EXPECT_EQ(usual.duplicate_rows, 760u);
  EXPECT_EQ(usual.conflicting_texts, 83u);
  EXPECT_EQ(usual.chars.p50, 32u);
  // SOURCE.md: 877 duplicates, 44 conflicting; the longest text has 3,172 characters.
  const DatasetStats virus = compute_stats(read_dataset(root / "smp2020_ewect/virus_train.txt"));
  EXPECT_EQ(virus.duplicate_rows, 877u);
  EXPECT_EQ(virus.conflicting_texts, 44u);
  EXPECT_EQ(virus.chars.max, 3172u);
  EXPECT_EQ(compute_stats(read_dataset(root / "smp2020_ewect/usual_test_labeled.csv")).chars.max,
            331u);
}

}  // namespace
}  // namespace zhsenti::data
