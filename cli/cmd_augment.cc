// zhsenti augment: EDA for Chinese at the word level (synonym replacement from word-vector
// neighbours, random insertion, swap, deletion) that never deletes, replaces or moves
// negators and degree words; labels kept.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "zhsenti/augment/augment_job.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/embed/vector_io.h"

namespace zhsenti::cli {
namespace {

namespace fs = std::filesystem;

struct AugmentArgs {
  std::string input;
  std::string out;
  std::string format;  // empty: from --out's extension
  std::string text_col;
  std::string label_col;
  std::string on_bad_row = "fail";
  std::string input_format;
  std::string vectors;
  std::string vector_format;
  augment::SynonymOptions synonyms;
  augment::AugmentOptions eda;
  bool keep_original = false;
  int threads = 0;
  std::vector<std::string> protect_files;
  std::string join = "auto";
  bool clean = true;
  bool hmm = true;
  std::vector<std::string> user_dicts;
  std::string dump_synonyms;
  bool json = false;
  // Whether the user set the synonym rates: then no --vectors is an error, not a note.
  bool asked_sr = false;
  bool asked_ri = false;
};

std::string output_format(const AugmentArgs& a) {
  if (!a.format.empty()) return a.format;
  const std::string ext = fs::path(a.out).extension().string();
  if (ext == ".csv") return "csv";
  if (ext == ".jsonl" || ext == ".ndjson") return "jsonl";
  return "tsv";
}

// Catches the cheap mistakes before minutes of segmentation: options, a missing or
// malformed vector file (its header is read here), both rates set without vectors.
void check_early(AugmentArgs& a) {
  a.eda.validate();
  a.synonyms.validate();
  augment::parse_join_mode(a.join);
  if (a.vectors.empty()) {
    const bool sr = a.asked_sr && a.eda.alpha_sr > 0, ri = a.asked_ri && a.eda.alpha_ri > 0;
    if (sr || ri) {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("{} needs --vectors: synonyms come from word vectors (or set it to "
                              "0)",
                              sr ? "--alpha-sr" : "--alpha-ri"));
    }
    a.eda.alpha_sr = a.eda.alpha_ri = 0;
    log::info(
        "no --vectors: synonym replacement and random insertion are off (swap and "
        "deletion only)");
    return;
  }
  if (!fs::exists(a.vectors)) {
    throw Error(ErrorCode::kNotFound, fmt::format("{}: vector file not found", a.vectors));
  }
  std::optional<embed::VectorFormat> format;
  if (!a.vector_format.empty()) format = embed::parse_format(a.vector_format);
  embed::VectorReader header(a.vectors, format);
}

void run_augment(AugmentArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  check_early(a);
  augment::AugmentJob job;
  job.input = a.input;
  job.read.text_col = a.text_col;
  job.read.label_col = a.label_col;
  job.read.on_bad_row =
      a.on_bad_row == "skip" ? data::BadRowPolicy::kSkip : data::BadRowPolicy::kFail;
  job.read.format = a.input_format;
  job.tokenizer.clean = a.clean;
  job.tokenizer.hmm = a.hmm;
  job.tokenizer.user_dicts = a.user_dicts;
  job.protect_files = a.protect_files;
  job.vectors = a.vectors;
  if (!a.vector_format.empty()) job.vector_format = embed::parse_format(a.vector_format);
  job.synonyms = a.synonyms;
  job.eda = a.eda;
  job.out = a.out;
  job.output.keep_original = a.keep_original;
  job.output.join = augment::parse_join_mode(a.join);
  job.output.format = output_format(a);
  job.output.show_progress = true;
  job.dump_synonyms = a.dump_synonyms;
  job.threads = a.threads;
  const augment::AugmentResult result = augment::run_augment_job(job);
  const augment::AugmentReport& r = result.report;
  const augment::DatasetAugmentOptions& o = job.output;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::ordered_json by_op = nlohmann::ordered_json::object();
  for (int k = 0; k < augment::kEdaOps; ++k) {
    by_op[std::string(augment::op_name(static_cast<augment::EdaOp>(k)))] = {
        {"augmentations", r.by_op[k]}, {"edits", r.edits_by_op[k]}};
  }
  nlohmann::ordered_json summary = {{"input", a.input},
                                    {"out", a.out},
                                    {"format", o.format},
                                    {"texts", r.texts},
                                    {"rows_written", r.rows_written},
                                    {"originals_written", r.originals_written},
                                    {"augmentations", r.augmentations},
                                    {"texts_short", r.short_texts},
                                    {"words", r.words},
                                    {"fixed_words", r.fixed_words},
                                    {"words_with_synonyms", r.words_with_synonyms},
                                    {"operations", by_op},
                                    {"seed", a.eda.seed},
                                    {"seconds", seconds}};
  if (result.synonyms) {
    const auto& s = *result.synonyms;
    summary["synonyms"] = {{"vectors", a.vectors},
                           {"vector_rows", s.vector_rows},
                           {"candidates", s.candidates},
                           {"queries", s.queries},
                           {"queries_found", s.queries_found},
                           {"with_synonyms", s.with_synonyms},
                           {"entries", s.synonyms}};
  }
  if (a.json) {
    fmt::print("{}\n", summary.dump());
    return;
  }
  fmt::print(stderr, "{} texts -> {} rows in {} ({} augmentations, {} originals; {:.1f} s)\n",
             r.texts, r.rows_written, a.out, r.augmentations, r.originals_written, seconds);
  for (int k = 0; k < augment::kEdaOps; ++k) {
    if (r.by_op[k] == 0) continue;
    fmt::print(stderr, "  {}  {} augmentations, {:.2f} edits each\n",
               augment::op_name(static_cast<augment::EdaOp>(k)), r.by_op[k],
               static_cast<double>(r.edits_by_op[k]) / static_cast<double>(r.by_op[k]));
  }
  if (r.short_texts > 0) {
    fmt::print(stderr,
               "  {} texts got fewer than {} augmentations (too short, or every edit "
               "repeated another)\n",
               r.short_texts, a.eda.n_aug);
  }
  fmt::print(stderr,
             "  {} of {} words fixed (negators, degree words and the words they govern, "
             "other polarity words)\n",
             r.fixed_words, r.words);
}

}  // namespace

void add_augment_command(CLI::App& app) {
  auto a = std::make_shared<AugmentArgs>();
  CLI::App* cmd = app.add_subcommand(
      "augment",
      "EDA data augmentation at the word level: synonym replacement (word-vector neighbours), "
      "random insertion, swap, deletion; negators and degree words are never touched");
  cmd->add_option("--input", a->input,
                  "labelled data (.tsv .csv .jsonl .json, others sniffed; - is stdin)")
      ->required();
  cmd->add_option("--out", a->out, "output data file (label, augmented text), written atomically")
      ->required();
  cmd->add_option("--format", a->format, "tsv | csv | jsonl (default: from --out, else tsv)")
      ->check(CLI::IsMember({"tsv", "csv", "jsonl"}));
  cmd->add_option("--text-col", a->text_col, "text column (default: text, text_a, review, ...)");
  cmd->add_option("--label-col", a->label_col, "label column (default: label, sentiment, ...)");
  cmd->add_option("--on-bad-row", a->on_bad_row, "fail: stop at the first bad row; skip: count it")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  cmd->add_option("--input-format", a->input_format, "tsv|csv|jsonl|json (default: from the name)")
      ->check(CLI::IsMember({"tsv", "csv", "jsonl", "json"}));
  cmd->add_option("--vectors", a->vectors,
                  "word-level vectors (zhsenti embed train --tokens word; any supported format); "
                  "without them sr and ri are off");
  cmd->add_option("--vector-format", a->vector_format,
                  "word2vec | word2vec-bin | glove | fasttext (default: detect)");
  cmd->add_option("--synonyms", a->synonyms.k, "nearest words kept per word")
      ->capture_default_str();
  cmd->add_option("--min-similarity", a->synonyms.min_similarity,
                  "cosine a neighbour needs to count as a synonym")
      ->capture_default_str();
  cmd->add_option("--max-vocab", a->synonyms.max_vocab,
                  "synonyms only from the first N vector rows (0: all; for large files)")
      ->capture_default_str();
  cmd->add_option("--n-aug", a->eda.n_aug, "augmentations per text")->capture_default_str();
  auto* sr = cmd->add_option("--alpha-sr", a->eda.alpha_sr,
                             "synonym replacement: share of the words replaced")
                 ->capture_default_str();
  auto* ri =
      cmd->add_option("--alpha-ri", a->eda.alpha_ri, "random insertion: synonyms inserted per word")
          ->capture_default_str();
  cmd->add_option("--alpha-rs", a->eda.alpha_rs, "random swap: swaps per word")
      ->capture_default_str();
  cmd->add_option("--p-rd", a->eda.p_rd, "random deletion: probability per word")
      ->capture_default_str();
  cmd->add_option("--seed", a->eda.seed, "same seed, same output (whatever --threads)")
      ->capture_default_str();
  cmd->add_flag("--keep-original", a->keep_original,
                "write each text unchanged before its augmentations");
  cmd->add_option("--threads", a->threads, "threads (0: all cores)")->capture_default_str();
  cmd->add_option("--protect", a->protect_files,
                  "file of extra words never deleted, replaced or moved (one per line; "
                  "repeatable)");
  cmd->add_option("--join", a->join,
                  "auto: concatenate tokens (a space only between ASCII words); space: one "
                  "space between tokens")
      ->check(CLI::IsMember({"auto", "space"}))
      ->capture_default_str();
  cmd->add_flag("!--no-clean", a->clean, "do not clean texts before segmenting");
  cmd->add_flag("!--no-hmm", a->hmm, "no HMM for unknown words");
  cmd->add_option("--user-dict", a->user_dicts, "jieba user dictionary (repeatable)");
  cmd->add_option("--dump-synonyms", a->dump_synonyms,
                  "write the synonym table (word TAB synonym:cosine ...) to this file");
  cmd->add_flag("--json", a->json, "print a JSON summary on stdout");
  cmd->callback([a, sr, ri] {
    a->asked_sr = sr->count() > 0;
    a->asked_ri = ri->count() > 0;
    run_augment(*a);
  });
}

}  // namespace zhsenti::cli
