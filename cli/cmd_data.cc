// zhsenti data stats|split|fetch: look at a data set, cut it into splits, download the
// public ones.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <map>

#include "commands.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/data/fetch.h"
#include "zhsenti/data/split.h"
#include "zhsenti/data/stats.h"
#include "zhsenti/data/writer.h"
#include "zhsenti/text/segmenter.h"

namespace zhsenti::cli {
namespace {

namespace fs = std::filesystem;

struct InputFlags {
  std::string path;
  std::string text_col;
  std::string label_col;
  std::string on_bad_row = "fail";
  std::string format;

  data::ReadOptions options() const {
    data::ReadOptions o;
    o.text_col = text_col;
    o.label_col = label_col;
    o.on_bad_row = on_bad_row == "skip" ? data::BadRowPolicy::kSkip : data::BadRowPolicy::kFail;
    o.format = format;
    return o;
  }
};

void add_input_flags(CLI::App* cmd, InputFlags& in) {
  cmd->add_option("file", in.path, "data file (.tsv .csv .jsonl .json, others sniffed; - is stdin)")
      ->required();
  cmd->add_option("--text-col", in.text_col, "text column (default: text, text_a, review, ...)");
  cmd->add_option("--label-col", in.label_col, "label column (default: label, sentiment, ...)");
  cmd->add_option("--on-bad-row", in.on_bad_row, "fail: stop at the first bad row; skip: count it")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  cmd->add_option("--input-format", in.format, "tsv|csv|jsonl|json (default: from the name)")
      ->check(CLI::IsMember({"tsv", "csv", "jsonl", "json"}));
}

struct StatsFlags {
  InputFlags in;
  bool json = false;
  bool no_words = false;
};

// Word lengths count the jieba tokens of each text (whitespace tokens are not words). Word
// lengths are an extra: when the segmenter cannot load, the statistics still run with
// character lengths only and a warning.
data::WordCounter jieba_word_counter() {
  std::shared_ptr<const text::Segmenter> segmenter;
  try {
    segmenter = text::Segmenter::load();
  } catch (const std::exception& e) {
    log::warn("no word lengths (the jieba segmenter did not load): {}", e.what());
    return {};
  }
  return [segmenter, tokens = std::vector<std::string_view>()](std::string_view text) mutable {
    segmenter->cut(text, tokens);
    return tokens.size();
  };
}

void run_stats(const StatsFlags& flags) {
  const data::Dataset dataset = data::read_dataset(flags.in.path, flags.in.options());
  const data::DatasetStats stats =
      data::compute_stats(dataset, flags.no_words ? data::WordCounter() : jieba_word_counter());
  fmt::print("{}", flags.json ? data::stats_to_json(stats) : data::format_stats_table(stats));
}

struct SplitFlags {
  InputFlags in;
  std::string out;
  std::vector<double> ratios = {0.8, 0.1, 0.1};
  std::vector<std::string> names;
  std::uint64_t seed = 0;
  std::string format = "tsv";
  std::string conflicts = "majority";
};

std::string class_counts(const std::vector<data::Example>& examples,
                         const std::vector<std::string>& labels) {
  std::map<std::string, std::size_t> counts;
  for (const auto& e : examples) ++counts[e.label];
  std::string out;
  for (const auto& label : labels) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", label, counts[label]);
  }
  return out;
}

void run_split(const SplitFlags& flags) {
  const data::Dataset dataset = data::read_dataset(flags.in.path, flags.in.options());
  data::SplitOptions options;
  options.ratios = flags.ratios;
  options.names = flags.names.empty() ? data::default_split_names(flags.ratios.size()) : flags.names;
  if (options.names.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{} ratios need --names (one name per split)", flags.ratios.size()));
  }
  options.seed = flags.seed;
  options.conflicts =
      flags.conflicts == "drop" ? data::ConflictPolicy::kDrop : data::ConflictPolicy::kMajority;
  const std::string extension = data::format_extension(flags.format);
  const data::SplitResult result = data::split_dataset(dataset, options);

  std::error_code ec;
  fs::create_directories(flags.out, ec);
  if (ec) {
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot create directory: {}", flags.out,
                                            ec.message()));
  }
  const auto labels = dataset.labels();
  const data::SplitReport& r = result.report;
  fmt::print("read {} rows from {}", r.input_rows, dataset.source);
  if (!dataset.skipped.empty()) fmt::print(" ({} bad rows skipped)", dataset.skipped.size());
  fmt::print("\nduplicates: {} rows merged into identical texts ({} unique texts)\n",
             r.duplicate_rows_merged, r.unique_texts);
  fmt::print("conflicting labels: {} texts; ", r.conflicting_texts);
  if (options.conflicts == data::ConflictPolicy::kDrop) {
    fmt::print("all dropped ({} rows)\n", r.dropped_rows);
  } else {
    fmt::print("kept the majority label ({} rows outvoted), dropped {} ties ({} rows)\n",
               r.relabelled_rows, r.dropped_texts, r.dropped_rows);
  }
  for (const auto& part : result.parts) {
    const fs::path path = fs::path(flags.out) / (part.name + extension);
    data::write_examples(path, part.examples, flags.format);
    fmt::print("{:<8} {:>7} rows  {}  -> {}\n", part.name, part.examples.size(),
               class_counts(part.examples, labels), path.string());
  }
}

struct FetchFlags {
  std::string name;
  std::string dest;
  std::string url_base;
  bool list = false;
};

void run_fetch(const FetchFlags& flags) {
  if (flags.list) {
    for (const auto& dataset : data::remote_datasets()) {
      fmt::print("{:<14} {}\n", dataset.name, dataset.description);
      for (const auto& file : dataset.files) fmt::print("  {:<24} {}\n", file.name, file.url);
    }
    return;
  }
  if (flags.name.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "data fetch: give a data set name or --list");
  }
  data::FetchOptions options;
  options.dest = flags.dest;
  options.url_base = flags.url_base;
  const auto files = data::fetch_dataset(data::find_remote_dataset(flags.name), options);
  for (const auto& file : files) {
    const char* what = file.status == data::FetchStatus::kAlreadyPresent ? "up to date"
                       : file.status == data::FetchStatus::kReplaced     ? "replaced"
                                                                         : "downloaded";
    fmt::print("{:<10} {} ({} bytes, sha256 ok)\n", what, file.path.string(), file.bytes);
  }
}

}  // namespace

void add_data_command(CLI::App& app) {
  CLI::App* data_cmd = app.add_subcommand("data", "data sets: statistics, splits, downloads");
  data_cmd->require_subcommand(1);

  auto stats = std::make_shared<StatsFlags>();
  CLI::App* stats_cmd = data_cmd->add_subcommand(
      "stats", "rows, classes, imbalance, length percentiles, empties, duplicates, bad rows");
  add_input_flags(stats_cmd, stats->in);
  stats_cmd->add_flag("--json", stats->json, "machine-readable output");
  stats_cmd->add_flag("--no-words", stats->no_words, "skip word lengths (no jieba segmentation)");
  stats_cmd->callback([stats] { run_stats(*stats); });

  auto split = std::make_shared<SplitFlags>();
  CLI::App* split_cmd = data_cmd->add_subcommand(
      "split", "stratified, reproducible split; identical texts never land in two splits");
  add_input_flags(split_cmd, split->in);
  split_cmd->add_option("--out", split->out, "output directory (one file per split)")->required();
  split_cmd->add_option("--ratios", split->ratios, "split ratios, summing to 1")
      ->delimiter(',')
      ->capture_default_str();
  split_cmd->add_option("--names", split->names,
                        "split names (default train,dev,test or train,test)")
      ->delimiter(',');
  split_cmd->add_option("--seed", split->seed, "random seed (same seed, same files)")
      ->capture_default_str();
  split_cmd->add_option("--format", split->format, "output format: tsv|csv|jsonl")
      ->check(CLI::IsMember({"tsv", "csv", "jsonl"}))
      ->capture_default_str();
  split_cmd->add_option("--conflicts", split->conflicts,
                        "texts seen with different labels: majority (ties dropped) or drop")
      ->check(CLI::IsMember({"majority", "drop"}))
      ->capture_default_str();
  split_cmd->callback([split] { run_split(*split); });

  auto fetch = std::make_shared<FetchFlags>();
  CLI::App* fetch_cmd = data_cmd->add_subcommand(
      "fetch", "download a public data set and verify its SHA-256 checksums");
  fetch_cmd->add_option("name", fetch->name, "chnsenticorp | waimai_10k | smp2020_ewect");
  fetch_cmd->add_option("--dest", fetch->dest,
                        "root directory; files go to DEST/NAME/ (default: $ZHSENTI_DATA, "
                        "../shared/data if present, else ~/.cache/zhsenti/data)");
  fetch_cmd->add_option("--url-base", fetch->url_base,
                        "fetch each file from URL/<file name> instead (mirror, other branch, "
                        "file:///dir)");
  fetch_cmd->add_flag("--list", fetch->list, "list the data sets and their source URLs");
  fetch_cmd->callback([fetch] { run_fetch(*fetch); });
}

}  // namespace zhsenti::cli
