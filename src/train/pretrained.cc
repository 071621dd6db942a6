#include "pretrained.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/embed/vector_io.h"

namespace zhsenti::train {

nlohmann::json PretrainedReport::to_json() const {
  return {{"rows", rows},
          {"found", found},
          {"row_coverage", row_coverage()},
          {"token_coverage", token_coverage()},
          {"file_vectors", file_vectors}};
}

PretrainedReport load_pretrained(const std::filesystem::path& path, const vocab::Vocab& vocab,
                                 std::span<float> weight, int dim) {
  ZHSENTI_CHECK_ARG(weight.size() == vocab.size() * static_cast<std::size_t>(dim),
                    "embedding table has {} floats, vocabulary {} x dimension {}", weight.size(),
                    vocab.size(), dim);
  embed::VectorReader reader(path);
  if (reader.dim() != dim) {
    throw Error(ErrorCode::kFormat,
                fmt::format("{}: the vectors have dimension {} but the model's embedding has {} "
                            "(set --embed-dim {}, or train vectors with --dim {})",
                            path.string(), reader.dim(), dim, reader.dim(), dim));
  }
  PretrainedReport report;
  std::vector<bool> done(vocab.size(), false);
  const auto wanted = [&](std::string_view word) {
    const auto id = vocab.find(word);
    return id && *id >= vocab::kNumSpecials && !done[static_cast<std::size_t>(*id)];
  };
  embed::VectorRow row;
  while (reader.next(row, wanted)) {
    ++report.file_vectors;
    if (row.values.empty()) continue;
    const auto id = static_cast<std::size_t>(*vocab.find(row.word));
    std::copy(row.values.begin(), row.values.end(),
              weight.begin() + static_cast<std::ptrdiff_t>(id * static_cast<std::size_t>(dim)));
    done[id] = true;
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

}  // namespace zhsenti::train
