#include "prepared_data.h"

#include <fmt/format.h>

#include <algorithm>

#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/sha256.h"
#include "zhsenti/data/split.h"
#include "zhsenti/dist/comm.h"

namespace zhsenti::train {

namespace {

// shard: read only this rank's rows (ReadOptions::shard_index).
data::Dataset read(const TrainConfig& config, const std::string& path, bool shard) {
  data::ReadOptions options;
  if (shard) {
    options.shard_index = static_cast<std::size_t>(dist::rank());
    options.shard_count = static_cast<std::size_t>(dist::size());
  }
  options.text_col = config.text_col;
  options.label_col = config.label_col;
  options.on_bad_row = config.skip_bad_rows ? data::BadRowPolicy::kSkip : data::BadRowPolicy::kFail;
  options.skip_hint = "--skip-bad-rows";
  data::Dataset ds = data::read_dataset(path, options);
  if (!ds.skipped.empty()) {
    log::warn("{}: skipped {} malformed rows (first: line {}: {})", path, ds.skipped.size(),
              ds.skipped.front().line, ds.skipped.front().reason);
  }
  return ds;
}

// Fine-tuning keeps the base's label order (and so its output layer) when every label of
// the new data is one of the base's.
std::vector<std::string> base_labels(const TrainConfig& config, const data::Dataset& train,
                                     const BaseModel& base) {
  for (const auto& example : train.examples) {
    if (std::find(base.labels.begin(), base.labels.end(), example.label) == base.labels.end()) {
      std::string known;
      for (const auto& l : base.labels) known += (known.empty() ? "'" : ", '") + l + "'";
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("{}:{}: label '{}' is not one of the model's labels ({}); pass "
                              "--new-labels to replace the output layer for a new label set",
                              config.train_path, example.line, example.label, known));
    }
  }
  return base.labels;
}

// A row's place in the order one process holds the rows: the line it starts on.
std::vector<std::uint64_t> line_keys(const data::Dataset& ds) {
  std::vector<std::uint64_t> keys;
  keys.reserve(ds.examples.size());
  for (const auto& e : ds.examples) keys.push_back(e.line);
  return keys;
}

// Keeps every size()-th example from rank() on; keys are the positions in the whole list.
std::vector<std::uint64_t> keep_shard(data::Dataset& ds) {
  const auto rank = static_cast<std::size_t>(dist::rank());
  const auto size = static_cast<std::size_t>(dist::size());
  std::vector<data::Example> mine;
  std::vector<std::uint64_t> keys;
  for (std::size_t i = rank; i < ds.examples.size(); i += size) {
    mine.push_back(std::move(ds.examples[i]));
    keys.push_back(i);
  }
  ds.examples = std::move(mine);
  return keys;
}

}  // namespace

PreparedData prepare_data(const TrainConfig& config, bool show_progress, const BaseModel* base) {
  PreparedData out;
  // With a dev file each rank reads its shard of both files. A hold-out is split from the
  // whole file (duplicates are merged across it), so every rank reads it all, splits it the
  // same way and keeps its shard of each part: tokenizing, the slow step, is still shared.
  const bool shard_files = !config.dev_path.empty();
  data::Dataset train = read(config, config.train_path, shard_files);
  data::Dataset dev;
  std::vector<std::uint64_t> train_keys, dev_keys;
  if (!config.dev_path.empty()) {
    dev = read(config, config.dev_path, shard_files);
    out.dev_source = config.dev_path;
    train_keys = line_keys(train);
    dev_keys = line_keys(dev);
  } else {
    data::SplitOptions split;
    split.ratios = {1.0 - config.validation_split, config.validation_split};
    split.names = {"train", "dev"};
    split.seed = config.seed;
    data::SplitResult parts = data::split_dataset(train, split);
    log::info(
        "validation hold-out: {:.0f}% of {} by label, seed {} ({} duplicate rows merged, "
        "{} conflicting texts dropped)",
        config.validation_split * 100, config.train_path, config.seed,
        parts.report.duplicate_rows_merged, parts.report.dropped_texts);
    train.examples = std::move(parts.parts[0].examples);
    dev.source = config.train_path;
    dev.examples = std::move(parts.parts[1].examples);
    out.dev_source = "hold-out of " + config.train_path;
    train_keys = keep_shard(train);
    dev_keys = keep_shard(dev);
  }
  // Only rank 0 writes the model.
  if (dist::rank() == 0) out.train_sha256 = sha256_file_hex(config.train_path);
  out.labels = base && !config.new_labels ? base_labels(config, train, *base)
                                          : agree_labels(train.labels());
  if (out.labels.size() < 2) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{}: training needs at least 2 labels, found {}", config.train_path,
                            out.labels.size()));
  }

  out.tokenizer = base ? base->tokenizer : config.tokenizer;
  const text::Tokenizer tokenizer(out.tokenizer);
  const TokenLists train_tokens =
      tokenize_examples(tokenizer, train, config.threads, show_progress);
  const TokenLists dev_tokens = tokenize_examples(tokenizer, dev, config.threads, show_progress);

  vocab::TokenCounter shard_counter;
  for (const auto& t : train_tokens) shard_counter.add(std::span<const std::string>(t));
  const vocab::TokenCounter counter = agree_counts(shard_counter);
  vocab::BuildOptions build;
  build.min_count = config.min_count;
  build.max_size = static_cast<std::size_t>(config.max_vocab);
  if (base) {
    out.vocab = base->vocab;
    const std::size_t added = config.extend_vocab ? out.vocab.extend(counter, build) : 0;
    log::info("fine-tuning {}: vocabulary {} + {} new tokens of the new data", base->path.string(),
              base->vocab.size(), added);
    out.encode = base->encode;
  } else {
    out.vocab = vocab::Vocab::build(counter, build);
    out.encode.max_len = static_cast<std::size_t>(config.max_len);
  }
  const vocab::Encoder encoder(out.vocab, out.encode);
  out.train = encode_corpus(encoder, train_tokens, label_ids(train, out.labels));
  out.dev = gather_corpus(encode_corpus(encoder, dev_tokens, label_ids(dev, out.labels)), dev_keys);
  out.layout = gather_layout(out.train, train_keys);
  std::int64_t truncated = static_cast<std::int64_t>(out.train.corpus.num_truncated);
  dist::allreduce_sum(std::span(&truncated, 1));
  log::info(
      "data: {} train / {} dev texts{}, {} labels, vocabulary {} ({} distinct tokens, "
      "min count {}), {} train texts truncated to {} tokens",
      out.layout.size(), out.dev.size(),
      dist::distributed() ? fmt::format(" over {} ranks", dist::size()) : std::string(),
      out.labels.size(), out.vocab.size(), counter.distinct(), config.min_count, truncated,
      out.encode.max_len);
  return out;
}

}  // namespace zhsenti::train
