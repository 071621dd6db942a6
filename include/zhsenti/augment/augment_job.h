#pragma once
// The whole of `zhsenti augment` below the command line: read a data set, build the
// protection policy and, when vectors are given and an operation needs them, the synonym
// table of the data set's own replaceable words; then augment every text into the output
// file (dataset_augment.h). The CLI parses flags and prints the report.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "zhsenti/augment/augmenter.h"
#include "zhsenti/augment/dataset_augment.h"
#include "zhsenti/augment/synonyms.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/embed/vector_io.h"
#include "zhsenti/text/tokenizer.h"

namespace zhsenti::augment {

struct AugmentJob {
  std::filesystem::path input;
  data::ReadOptions read;
  text::TokenizerConfig tokenizer;                 // words; the cleaner and jieba settings
  std::vector<std::string> protect_files;          // more fixed words, one per line
  std::string vectors;                             // empty: no synonym table
  std::optional<embed::VectorFormat> vector_format;  // empty: from the file
  SynonymOptions synonyms;
  AugmentOptions eda;
  std::filesystem::path out;
  DatasetAugmentOptions output;
  std::string dump_synonyms;  // non-empty: the synonym table as text, written atomically
  int threads = 0;            // 0: all cores
};

struct AugmentResult {
  AugmentReport report;
  std::optional<SynonymStats> synonyms;  // set when a table was built
  std::size_t skipped_rows = 0;          // bad input rows skipped (--on-bad-row skip)
};

AugmentResult run_augment_job(const AugmentJob& job);

// One line per word with synonyms: word<TAB>synonym:similarity...
void write_synonym_table(const std::filesystem::path& path, const SynonymTable& table);

}  // namespace zhsenti::augment
