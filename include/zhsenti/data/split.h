#pragma once
// Stratified, reproducible train/dev/test splits without text leakage.
//
// Rows with exactly the same text are merged into one row first, so a text lands in one
// split only. A merged text whose rows disagree on the label keeps the label most of its
// rows carry; a tie (or ConflictPolicy::kDrop) drops the text. Then, per label, the texts
// are shuffled with Rng(seed) and cut by the ratios with largest-remainder rounding, so each
// split holds within one row of ratio * (texts of that label) for every label.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "zhsenti/data/dataset.h"

namespace zhsenti::data {

enum class ConflictPolicy { kMajority, kDrop };

struct SplitOptions {
  std::vector<double> ratios = {0.8, 0.1, 0.1};  // must sum to 1 (within 1e-6)
  std::vector<std::string> names = {"train", "dev", "test"};
  std::uint64_t seed = 0;
  ConflictPolicy conflicts = ConflictPolicy::kMajority;
};

struct SplitPart {
  std::string name;
  std::vector<Example> examples;  // shuffled; Example::line is the first source row
};

struct SplitReport {
  std::size_t input_rows = 0;
  std::size_t unique_texts = 0;
  std::size_t duplicate_rows_merged = 0;  // input rows folded into an earlier identical text
  std::size_t conflicting_texts = 0;      // texts seen with more than one label
  std::size_t relabelled_rows = 0;        // rows of kept conflicting texts outvoted by the majority
  std::size_t dropped_texts = 0;          // conflicting texts dropped (tie or kDrop)
  std::size_t dropped_rows = 0;           // input rows of the dropped texts
  std::size_t output_rows = 0;
};

struct SplitResult {
  std::vector<SplitPart> parts;
  SplitReport report;
};

// Throws Error(kInvalidArgument) for bad ratios/names or an unlabelled row.
SplitResult split_dataset(const Dataset& dataset, const SplitOptions& options);

// Default split names for n parts: train,test (2), train,dev,test (3); others must be named.
std::vector<std::string> default_split_names(std::size_t parts);

}  // namespace zhsenti::data
