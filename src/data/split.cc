#include "zhsenti/data/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <span>
#include <unordered_map>

#include "zhsenti/core/check.h"
#include "zhsenti/core/rng.h"

namespace zhsenti::data {
namespace {

// Stream ids for Rng::fork: one per class for the cut, one per part for the final order.
constexpr std::uint64_t kPartStreamBase = 1ULL << 32;

void check_options(const SplitOptions& options) {
  ZHSENTI_CHECK_ARG(!options.ratios.empty(), "split: no ratios given");
  ZHSENTI_CHECK_ARG(options.names.size() == options.ratios.size(),
                    "split: {} ratios but {} names", options.ratios.size(), options.names.size());
  double sum = 0;
  for (const double r : options.ratios) {
    ZHSENTI_CHECK_ARG(std::isfinite(r) && r >= 0, "split: ratio {} must be a number >= 0", r);
    sum += r;
  }
  ZHSENTI_CHECK_ARG(std::fabs(sum - 1.0) <= 1e-6, "split: ratios sum to {}, not 1", sum);
  std::set<std::string> seen;
  for (const auto& name : options.names) {
    ZHSENTI_CHECK_ARG(!name.empty() && name.find('/') == std::string::npos && name != "." &&
                          name != "..",
                      "split: '{}' is not a valid split name", name);
    ZHSENTI_CHECK_ARG(seen.insert(name).second, "split: name '{}' given twice", name);
  }
}

// Largest-remainder rounding of n * ratios: each count is within one of its exact share and
// the counts sum to n. Ties in the remainder go to the earlier split.
std::vector<std::size_t> allocate(std::size_t n, const std::vector<double>& ratios) {
  std::vector<std::size_t> counts(ratios.size());
  std::vector<double> remainder(ratios.size());
  std::size_t assigned = 0;
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    const double exact = static_cast<double>(n) * ratios[i];
    counts[i] = static_cast<std::size_t>(std::floor(exact + 1e-9));
    remainder[i] = exact - static_cast<double>(counts[i]);
    assigned += counts[i];
  }
  while (assigned > n) {  // only from the 1e-9 nudge on rounding noise
    const auto it = std::max_element(counts.begin(), counts.end());
    --*it;
    --assigned;
  }
  std::vector<std::size_t> order(ratios.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; assigned < n; ++k, ++assigned) ++counts[order[k % order.size()]];
  return counts;
}

struct TextGroup {
  const Example* first = nullptr;
  std::size_t rows = 0;
  std::vector<std::pair<std::string_view, std::size_t>> labels;  // label, rows

  void add(const Example& example) {
    if (first == nullptr) first = &example;
    ++rows;
    for (auto& [label, count] : labels) {
      if (label == example.label) {
        ++count;
        return;
      }
    }
    labels.emplace_back(example.label, 1);
  }
};

}  // namespace

std::vector<std::string> default_split_names(std::size_t parts) {
  if (parts == 2) return {"train", "test"};
  if (parts == 3) return {"train", "dev", "test"};
  return {};
}

SplitResult split_dataset(const Dataset& dataset, const SplitOptions& options) {
  check_options(options);
  SplitResult result;
  SplitReport& report = result.report;
  report.input_rows = dataset.examples.size();

  std::vector<TextGroup> groups;
  std::unordered_map<std::string_view, std::size_t> group_of;
  group_of.reserve(dataset.examples.size());
  for (const auto& example : dataset.examples) {
    ZHSENTI_CHECK_ARG(!example.label.empty(), "split: {}:{}: row has no label", dataset.source,
                      example.line);
    const auto [it, inserted] = group_of.try_emplace(example.text, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].add(example);
  }
  report.unique_texts = groups.size();
  report.duplicate_rows_merged = report.input_rows - groups.size();

  // Decide each text's label; by_class[c] lists the kept groups of class c in source order.
  const std::vector<std::string> labels = dataset.labels();
  std::unordered_map<std::string_view, std::size_t> class_of;
  for (std::size_t c = 0; c < labels.size(); ++c) class_of.emplace(labels[c], c);
  std::vector<std::vector<std::size_t>> by_class(labels.size());
  std::vector<std::string_view> chosen(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const TextGroup& group = groups[g];
    auto best = group.labels.begin();
    bool tie = false;
    for (auto it = group.labels.begin() + 1; it != group.labels.end(); ++it) {
      if (it->second > best->second) {
        best = it;
        tie = false;
      } else if (it->second == best->second) {
        tie = true;
      }
    }
    if (group.labels.size() > 1) {
      ++report.conflicting_texts;
      if (tie || options.conflicts == ConflictPolicy::kDrop) {
        ++report.dropped_texts;
        report.dropped_rows += group.rows;
        continue;
      }
      report.relabelled_rows += group.rows - best->second;
    }
    chosen[g] = best->first;
    by_class[class_of.at(best->first)].push_back(g);
  }

  const std::size_t parts = options.ratios.size();
  result.parts.resize(parts);
  for (std::size_t p = 0; p < parts; ++p) result.parts[p].name = options.names[p];
  const Rng root(options.seed);
  for (std::size_t c = 0; c < by_class.size(); ++c) {
    std::vector<std::size_t>& members = by_class[c];
    Rng rng = root.fork(c);
    rng.shuffle(std::span<std::size_t>(members));
    const std::vector<std::size_t> counts = allocate(members.size(), options.ratios);
    std::size_t next = 0;
    for (std::size_t p = 0; p < parts; ++p) {
      for (std::size_t k = 0; k < counts[p]; ++k, ++next) {
        const TextGroup& group = groups[members[next]];
        result.parts[p].examples.push_back(
            Example{group.first->text, std::string(chosen[members[next]]), group.first->line});
      }
    }
  }
  for (std::size_t p = 0; p < parts; ++p) {
    Rng rng = root.fork(kPartStreamBase + p);
    rng.shuffle(std::span<Example>(result.parts[p].examples));
    report.output_rows += result.parts[p].examples.size();
  }
  return result;
}

}  // namespace zhsenti::data
