#pragma once
// A data set through EDA into a data file: every text is cleaned and segmented (the
// Tokenizer), augmented (Augmenter) and rejoined (rejoin.h); each augmentation keeps its
// text's label. Texts run on all cores in blocks, and the file is written block by block in
// input order and appears atomically when complete, so memory holds one block of output.

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "zhsenti/augment/augmenter.h"
#include "zhsenti/augment/rejoin.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/text/tokenizer.h"

namespace zhsenti::augment {

struct DatasetAugmentOptions {
  bool keep_original = false;  // write each text unchanged before its augmentations
  JoinMode join = JoinMode::kAuto;
  std::string format = "tsv";  // tsv | csv | jsonl (data/writer.h)
  int threads = 0;             // 0: all cores
  bool show_progress = false;
};

struct AugmentReport {
  std::size_t texts = 0;
  std::size_t rows_written = 0;
  std::size_t originals_written = 0;
  std::size_t augmentations = 0;
  std::size_t short_texts = 0;               // texts that got fewer than n_aug augmentations
  std::size_t words = 0;                     // word tokens of the input (punctuation excluded)
  std::size_t fixed_words = 0;               // ... that no edit may touch (protection.h kFixed)
  std::size_t words_with_synonyms = 0;       // ... that are kFree and have synonyms
  std::array<std::size_t, kEdaOps> by_op{};  // augmentations made by each operation
  std::array<std::size_t, kEdaOps> edits_by_op{};
};

// The words of the data set the policy lets be replaced, sorted and unique: the queries of
// the synonym table. Errors name the file and line of the bad text.
std::vector<std::string> substitutable_vocabulary(const data::Dataset& dataset,
                                                  const text::Tokenizer& tokenizer,
                                                  const ProtectionPolicy& policy, int threads,
                                                  bool show_progress);

// synonyms: the table the augmenter uses (null: none), for the coverage counts only.
AugmentReport augment_dataset(const data::Dataset& dataset, const text::Tokenizer& tokenizer,
                              const Augmenter& augmenter, const SynonymTable* synonyms,
                              const std::filesystem::path& out,
                              const DatasetAugmentOptions& options);

}  // namespace zhsenti::augment
