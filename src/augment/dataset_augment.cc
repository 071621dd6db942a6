#include "zhsenti/augment/dataset_augment.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/data/writer.h"

namespace zhsenti::augment {
namespace {

// Texts per block: enough to keep every core busy, small enough to bound the output held.
constexpr std::size_t kBlock = 4096;
constexpr std::size_t kGrain = 32;

void tokenize_at(const text::Tokenizer& tokenizer, const data::Dataset& dataset, std::size_t i,
                 std::vector<std::string>& tokens) {
  try {
    tokenizer.tokenize(dataset.examples[i].text, tokens);
  } catch (const Error& e) {
    throw Error(e.code(), location_message(dataset.source, dataset.examples[i].line, e.what()));
  }
}

// What one text contributes: its rows and its counts.
struct TextResult {
  std::vector<data::Example> rows;
  AugmentReport counts;
};

void add(AugmentReport& total, const AugmentReport& part) {
  total.texts += part.texts;
  total.rows_written += part.rows_written;
  total.originals_written += part.originals_written;
  total.augmentations += part.augmentations;
  total.short_texts += part.short_texts;
  total.words += part.words;
  total.fixed_words += part.fixed_words;
  total.words_with_synonyms += part.words_with_synonyms;
  for (int k = 0; k < kEdaOps; ++k) {
    total.by_op[k] += part.by_op[k];
    total.edits_by_op[k] += part.edits_by_op[k];
  }
}

}  // namespace

std::vector<std::string> substitutable_vocabulary(const data::Dataset& dataset,
                                                  const text::Tokenizer& tokenizer,
                                                  const ProtectionPolicy& policy, int threads,
                                                  bool show_progress) {
  const std::size_t n = dataset.examples.size();
  std::optional<Progress> progress;
  if (show_progress) progress.emplace("vocabulary", n, "texts");
  ThreadPool pool(static_cast<std::size_t>(std::max(threads, 0)));
  std::vector<std::vector<std::string>> per_worker(pool.size());
  pool.parallel_for(n, 256, [&](std::size_t begin, std::size_t end, std::size_t worker) {
    std::vector<std::string> tokens;
    auto& words = per_worker[worker];
    for (std::size_t i = begin; i < end; ++i) {
      tokenize_at(tokenizer, dataset, i, tokens);
      for (auto& t : tokens) {
        if (policy.may_substitute(t)) words.push_back(std::move(t));
      }
    }
    // Deduplicate as we go so a worker holds its vocabulary, not its token stream.
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    if (progress) progress->advance(end - begin);
  });
  std::vector<std::string> all;
  for (auto& words : per_worker) all.insert(all.end(), words.begin(), words.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  if (progress) progress->finish();
  return all;
}

AugmentReport augment_dataset(const data::Dataset& dataset, const text::Tokenizer& tokenizer,
                              const Augmenter& augmenter, const SynonymTable* synonyms,
                              const std::filesystem::path& out,
                              const DatasetAugmentOptions& options) {
  const std::size_t n = dataset.examples.size();
  const int n_aug = augmenter.options().n_aug;
  AtomicFileWriter writer(out);
  writer.write(data::format_header(options.format));
  std::optional<Progress> progress;
  if (options.show_progress) progress.emplace("augment", n, "texts");
  ThreadPool pool(static_cast<std::size_t>(std::max(options.threads, 0)));

  AugmentReport report;
  std::vector<TextResult> results;
  std::vector<data::Example> rows;
  std::string buffer;
  for (std::size_t first = 0; first < n; first += kBlock) {
    const std::size_t count = std::min(kBlock, n - first);
    results.assign(count, TextResult{});
    pool.parallel_for(count, kGrain, [&](std::size_t begin, std::size_t end, std::size_t) {
      std::vector<std::string> tokens;
      for (std::size_t j = begin; j < end; ++j) {
        const std::size_t i = first + j;
        const data::Example& example = dataset.examples[i];
        TextResult& r = results[j];
        tokenize_at(tokenizer, dataset, i, tokens);
        const std::vector<TokenRole> roles = augmenter.policy().roles(tokens);
        for (std::size_t t = 0; t < tokens.size(); ++t) {
          if (roles[t] == TokenRole::kPunct) continue;
          ++r.counts.words;
          if (roles[t] == TokenRole::kFixed) ++r.counts.fixed_words;
          if (roles[t] == TokenRole::kFree && synonyms && synonyms->has(tokens[t])) {
            ++r.counts.words_with_synonyms;
          }
        }
        if (options.keep_original) {
          r.rows.push_back({example.text, example.label, example.line});
          ++r.counts.originals_written;
        }
        const auto augmented = augmenter.augment(tokens, i);
        for (const auto& a : augmented) {
          r.rows.push_back({join_tokens(a.tokens, options.join), example.label, example.line});
          const auto k = static_cast<std::size_t>(a.op);
          ++r.counts.by_op[k];
          r.counts.edits_by_op[k] += static_cast<std::size_t>(a.edits);
        }
        r.counts.texts = 1;
        r.counts.augmentations = augmented.size();
        r.counts.rows_written = r.rows.size();
        r.counts.short_texts = static_cast<int>(augmented.size()) < n_aug ? 1 : 0;
      }
      if (progress) progress->advance(end - begin);
    });
    rows.clear();
    for (auto& r : results) {
      add(report, r.counts);
      std::move(r.rows.begin(), r.rows.end(), std::back_inserter(rows));
    }
    buffer.clear();
    data::append_rows(buffer, rows, options.format);
    writer.write(buffer);
  }
  writer.commit();
  if (progress) progress->finish();
  return report;
}

}  // namespace zhsenti::augment
