#include "zhsenti/data/split.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "zhsenti/core/error.h"
#include "zhsenti/data/writer.h"

namespace zhsenti::data {
namespace {

Dataset labelled(const std::map<std::string, std::size_t>& per_class) {
  Dataset d;
  d.source = "mem";
  std::size_t line = 2;
  for (const auto& [label, n] : per_class) {
    for (std::size_t i = 0; i < n; ++i) {
      d.examples.push_back(Example{label + " text " + std::to_string(i), label, line++});
    }
  }
  return d;
}

std::map<std::string, std::size_t> count_labels(const std::vector<Example>& examples) {
  std::map<std::string, std::size_t> counts;
  for (const auto& e : examples) ++counts[e.label];
  return counts;
}

TEST(Split, StratifiedWithinOnePerClass) {
  const std::map<std::string, std::size_t> sizes = {{"0", 101}, {"1", 57}, {"2", 13}, {"3", 1}};
  const Dataset d = labelled(sizes);
  for (const auto& ratios : {std::vector<double>{0.8, 0.1, 0.1}, std::vector<double>{0.7, 0.15, 0.15},
                             std::vector<double>{1.0 / 3, 1.0 / 3, 1.0 / 3}}) {
    SplitOptions options;
    options.ratios = ratios;
    options.seed = 7;
    const SplitResult r = split_dataset(d, options);
    ASSERT_EQ(r.parts.size(), 3u);
    std::size_t total = 0;
    for (std::size_t p = 0; p < 3; ++p) {
      const auto counts = count_labels(r.parts[p].examples);
      for (const auto& [label, n] : sizes) {
        const double exact = ratios[p] * static_cast<double>(n);
        const double got = counts.count(label) ? static_cast<double>(counts.at(label)) : 0.0;
        EXPECT_LT(std::fabs(got - exact), 1.0) << "split " << p << " label " << label;
      }
      total += r.parts[p].examples.size();
    }
    EXPECT_EQ(total, 172u);
    EXPECT_EQ(r.report.output_rows, 172u);
  }
}

TEST(Split, NamesAndRowsArePreserved) {
  const Dataset d = labelled({{"neg", 20}, {"pos", 30}});
  SplitOptions options;
  options.ratios = {0.5, 0.5};
  options.names = {"a", "b"};
  const SplitResult r = split_dataset(d, options);
  EXPECT_EQ(r.parts[0].name, "a");
  EXPECT_EQ(r.parts[1].name, "b");
  std::multiset<std::string> rows;
  for (const auto& part : r.parts) {
    for (const auto& e : part.examples) {
      rows.insert(e.label + "|" + e.text);
      // line points back at the source row
      EXPECT_EQ(d.examples[e.line - 2].text, e.text);
    }
  }
  std::multiset<std::string> want;
  for (const auto& e : d.examples) want.insert(e.label + "|" + e.text);
  EXPECT_EQ(rows, want);
}

TEST(Split, SameSeedSameBytesOtherSeedOtherSplit) {
  const Dataset d = labelled({{"0", 300}, {"1", 200}});
  SplitOptions options;
  options.seed = 42;
  const auto a = split_dataset(d, options);
  const auto b = split_dataset(d, options);
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(format_examples(a.parts[p].examples, "tsv"), format_examples(b.parts[p].examples, "tsv"));
  }
  options.seed = 43;
  const auto c = split_dataset(d, options);
  EXPECT_NE(format_examples(a.parts[2].examples, "tsv"), format_examples(c.parts[2].examples, "tsv"));
}

TEST(Split, RowsAreShuffledNotGroupedByLabel) {
  const Dataset d = labelled({{"0", 100}, {"1", 100}});
  const auto r = split_dataset(d, SplitOptions{});
  std::size_t label_changes = 0;
  const auto& train = r.parts[0].examples;
  for (std::size_t i = 1; i < train.size(); ++i) label_changes += train[i].label != train[i - 1].label;
  EXPECT_GT(label_changes, 20u);
}

TEST(Split, DuplicatesNeverLeakAcrossSplits) {
  Dataset d = labelled({{"0", 60}, {"1", 60}});
  // Every text three times more: identical copies must stay together.
  const std::vector<Example> original = d.examples;
  for (int copy = 0; copy < 3; ++copy) {
    for (const auto& e : original) d.examples.push_back(Example{e.text, e.label, 1000});
  }
  SplitOptions options;
  options.ratios = {0.6, 0.2, 0.2};
  const SplitResult r = split_dataset(d, options);
  std::map<std::string, int> where;
  for (std::size_t p = 0; p < r.parts.size(); ++p) {
    for (const auto& e : r.parts[p].examples) {
      EXPECT_FALSE(where.count(e.text)) << e.text << " appears twice";
      where[e.text] = static_cast<int>(p);
    }
  }
  EXPECT_EQ(where.size(), 120u);
  EXPECT_EQ(r.report.input_rows, 480u);
  EXPECT_EQ(r.report.unique_texts, 120u);
  EXPECT_EQ(r.report.duplicate_rows_merged, 360u);
  EXPECT_EQ(r.report.output_rows, 120u);
}

TEST(Split, ConflictingLabelsMajorityOrDrop) {
  Dataset d = labelled({{"x", 10}, {"y", 10}});
  d.examples.push_back(Example{"[泪]", "sad", 30});
  d.examples.push_back(Example{"[泪]", "neutral", 31});
  d.examples.push_back(Example{"[泪]", "sad", 32});
  d.examples.push_back(Example{"tie", "x", 33});
  d.examples.push_back(Example{"tie", "y", 34});
  SplitOptions options;
  const SplitResult majority = split_dataset(d, options);
  EXPECT_EQ(majority.report.conflicting_texts, 2u);
  EXPECT_EQ(majority.report.relabelled_rows, 1u);
  EXPECT_EQ(majority.report.dropped_texts, 1u);
  EXPECT_EQ(majority.report.dropped_rows, 2u);
  std::map<std::string, std::string> label_of;
  for (const auto& part : majority.parts) {
    for (const auto& e : part.examples) label_of[e.text] = e.label;
  }
  EXPECT_EQ(label_of.at("[泪]"), "sad");
  EXPECT_EQ(label_of.count("tie"), 0u);
  EXPECT_EQ(majority.report.output_rows, 21u);

  options.conflicts = ConflictPolicy::kDrop;
  const SplitResult drop = split_dataset(d, options);
  EXPECT_EQ(drop.report.dropped_texts, 2u);
  EXPECT_EQ(drop.report.dropped_rows, 5u);
  EXPECT_EQ(drop.report.relabelled_rows, 0u);
  EXPECT_EQ(drop.report.output_rows, 20u);
}

TEST(Split, BadOptionsAndUnlabelledRows) {
  const Dataset d = labelled({{"0", 5}});
  SplitOptions options;
  options.ratios = {0.8, 0.1};
  options.names = {"train", "test"};
  EXPECT_THROW(split_dataset(d, options), Error);  // sums to 0.9
  options.ratios = {0.5, 0.5};
  options.names = {"train"};
  EXPECT_THROW(split_dataset(d, options), Error);
  options.names = {"a", "a"};
  EXPECT_THROW(split_dataset(d, options), Error);
  options.names = {"a", "../b"};
  EXPECT_THROW(split_dataset(d, options), Error);
  Dataset unlabelled = d;
  unlabelled.examples[0].label.clear();
  EXPECT_THROW(split_dataset(unlabelled, SplitOptions{}), Error);
  EXPECT_EQ(default_split_names(2), (std::vector<std::string>{"train", "test"}));
  EXPECT_TRUE(default_split_names(4).empty());
}

}  // namespace
}  // namespace zhsenti::data
