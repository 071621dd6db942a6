#include "pretrained.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/embed/bigram_entry.h"
#include "zhsenti/embed/vector_io.h"
#include "zhsenti/nn/layers/ngram_hash.h"

namespace zhsenti::train {
namespace {

// Multiplies the given rows so their components have unit root mean square; returns the factor.
float rescale_rows(std::span<float> table, std::size_t dim, const std::vector<bool>& rows) {
  double sum_sq = 0;
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r]) continue;
    for (std::size_t j = 0; j < dim; ++j) sum_sq += double{table[r * dim + j]} * table[r * dim + j];
    n += dim;
  }
  if (n == 0 || sum_sq == 0) return 1;
  const auto scale = static_cast<float>(1 / std::sqrt(sum_sq / static_cast<double>(n)));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r]) continue;
    for (std::size_t j = 0; j < dim; ++j) table[r * dim + j] *= scale;
  }
  return scale;
}

}  // namespace

nlohmann::json PretrainedReport::to_json() const {
  return {{"rows", rows},
          {"found", found},
          {"row_coverage", row_coverage()},
          {"token_coverage", token_coverage()},
          {"file_vectors", file_vectors},
          {"bigram_rows", bigram_rows},
          {"token_scale", token_scale},
          {"bigram_scale", bigram_scale}};
}

namespace {

// Copies the wanted rows `next` yields into the tables. next(row, wanted) fills row with the
// next vector (values empty when wanted(word) is false) and returns false at the end.
template <class Next>
PretrainedReport copy_vectors(Next&& next, const vocab::Vocab& vocab,
                              const PretrainedTargets& targets) {
  const auto dim = static_cast<std::size_t>(targets.dim);
  const auto buckets = static_cast<std::size_t>(targets.buckets);
  PretrainedReport report;
  std::vector<bool> done(vocab.size(), false);
  std::vector<bool> bucket_done(buckets, false);
  const auto token_id = [&](std::string_view word) -> std::optional<std::size_t> {
    const auto id = vocab.find(word);
    if (!id || *id < vocab::kNumSpecials) return std::nullopt;
    return static_cast<std::size_t>(*id);
  };
  // The bucket of a bigram entry of two vocabulary tokens, hashed as the model does.
  const auto bucket_of = [&](std::string_view word) -> std::optional<std::size_t> {
    if (buckets == 0) return std::nullopt;
    std::array<std::int32_t, 2> ids{};
    const auto split = embed::split_bigram(word, [&](std::string_view a, std::string_view b) {
      const auto ia = token_id(a), ib = token_id(b);
      if (!ia || !ib) return false;
      ids = {static_cast<std::int32_t>(*ia), static_cast<std::int32_t>(*ib)};
      return true;
    });
    if (!split) return std::nullopt;
    const std::array<std::int32_t, 1> length{2};
    std::array<std::int32_t, 2> hashed{};
    nn::hash_bigrams(ids, length, targets.buckets, hashed.data());
    return static_cast<std::size_t>(hashed[1]);
  };
  const std::function<bool(std::string_view)> wanted = [&](std::string_view word) {
    if (const auto id = token_id(word)) return !done[*id];
    const auto bucket = bucket_of(word);
    return bucket && !bucket_done[*bucket];
  };
  const auto copy_row = [&](std::span<const float> values, std::span<float> table,
                            std::size_t row) {
    std::copy(values.begin(), values.end(), table.begin() + static_cast<std::ptrdiff_t>(row * dim));
  };
  embed::VectorRow row;
  while (next(row, wanted)) {
    ++report.file_vectors;
    if (row.values.empty()) continue;
    if (const auto id = token_id(row.word)) {
      copy_row(row.values, targets.embedding, *id);
      done[*id] = true;
    } else {
      const auto bucket = *bucket_of(row.word);
      copy_row(row.values, targets.bigrams, bucket);
      bucket_done[bucket] = true;
      ++report.bigram_rows;
    }
  }
  if (targets.rescale) {
    report.token_scale = rescale_rows(targets.embedding, dim, done);
    report.bigram_scale = rescale_rows(targets.bigrams, dim, bucket_done);
  }
  for (std::size_t id = vocab::kNumSpecials; id < vocab.size(); ++id) {
    const std::int64_t count = vocab.count(static_cast<std::int32_t>(id));
    ++report.rows;
    report.tokens += count;
    if (done[id]) {
      ++report.found;
      report.tokens_found += count;
    }
  }
  return report;
}

void check_tables(const vocab::Vocab& vocab, const PretrainedTargets& targets) {
  const auto dim = static_cast<std::size_t>(targets.dim);
  ZHSENTI_CHECK_ARG(targets.embedding.size() == vocab.size() * dim,
                    "embedding table has {} floats, vocabulary {} x dimension {}",
                    targets.embedding.size(), vocab.size(), dim);
  const auto buckets = static_cast<std::size_t>(targets.buckets);
  ZHSENTI_CHECK_ARG(targets.bigrams.size() == buckets * dim,
                    "bigram table has {} floats, {} buckets x dimension {}", targets.bigrams.size(),
                    buckets, dim);
}

}  // namespace

PretrainedReport load_pretrained(const std::filesystem::path& path, const vocab::Vocab& vocab,
                                 const PretrainedTargets& targets) {
  check_tables(vocab, targets);
  embed::VectorReader reader(path);
  if (reader.dim() != targets.dim) {
    throw Error(ErrorCode::kFormat,
                fmt::format("{}: the vectors have dimension {} but the model's embedding has {} "
                            "(set --embed-dim {}, or train vectors with --dim {})",
                            path.string(), reader.dim(), targets.dim, reader.dim(), targets.dim));
  }
  return copy_vectors(
      [&](embed::VectorRow& row, const std::function<bool(std::string_view)>& wanted) {
        return reader.next(row, wanted);
      },
      vocab, targets);
}

PretrainedReport load_pretrained(const embed::WordVectors& vectors, const vocab::Vocab& vocab,
                                 const PretrainedTargets& targets) {
  check_tables(vocab, targets);
  ZHSENTI_CHECK_ARG(vectors.dim == targets.dim,
                    "the vectors have dimension {} but the model's embedding has {}", vectors.dim,
                    targets.dim);
  std::size_t i = 0;
  return copy_vectors(
      [&](embed::VectorRow& row, const std::function<bool(std::string_view)>& wanted) {
        if (i == vectors.size()) return false;
        row.word = vectors.words[i];
        row.values = wanted(row.word) ? vectors.row(i) : std::span<const float>{};
        row.line = ++i;
        return true;
      },
      vocab, targets);
}

}  // namespace zhsenti::train
