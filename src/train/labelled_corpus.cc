#include "zhsenti/train/labelled_corpus.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

#include "zhsenti/core/error.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/thread_pool.h"

namespace zhsenti::train {

TokenLists tokenize_examples(const text::Tokenizer& tokenizer, const data::Dataset& dataset,
                             int threads, bool show_progress) {
  const auto& examples = dataset.examples;
  TokenLists tokens(examples.size());
  std::optional<Progress> progress;
  if (show_progress) progress.emplace("tokenize " + dataset.source, examples.size(), "texts");
  ThreadPool pool(static_cast<std::size_t>(std::max(threads, 0)));
  pool.parallel_for(examples.size(), 256, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      try {
        tokenizer.tokenize(examples[i].text, tokens[i]);
      } catch (const Error& e) {
        throw Error(e.code(), location_message(dataset.source, examples[i].line, e.what()));
      }
    }
    if (progress) progress->advance(end - begin);
  });
  return tokens;
}

std::vector<std::int32_t> label_ids(const data::Dataset& dataset,
                                    std::span<const std::string> labels) {
  std::vector<std::int32_t> ids;
  ids.reserve(dataset.examples.size());
  for (const auto& ex : dataset.examples) {
    const auto it = std::find(labels.begin(), labels.end(), ex.label);
    if (it == labels.end()) {
      std::string known;
      for (const auto& l : labels) known += (known.empty() ? "" : ", ") + l;
      throw_parse_error(dataset.source, ex.line,
                        fmt::format("label '{}' is not one of the model's labels ({})", ex.label, known));
    }
    ids.push_back(static_cast<std::int32_t>(it - labels.begin()));
  }
  return ids;
}

LabelledCorpus encode_corpus(const vocab::Encoder& encoder, const TokenLists& tokens,
                             std::vector<std::int32_t> labels) {
  LabelledCorpus out;
  for (const auto& t : tokens) encoder.append(std::span<const std::string>(t), out.corpus);
  out.labels = std::move(labels);
  return out;
}

}  // namespace zhsenti::train
