#include "zhsenti/embed/word2vec.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <span>

#include "w2v_kernels.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/dist/comm.h"
#include "zhsenti/nn/kernels/cpu_isa.h"

namespace zhsenti::embed {
namespace {

// Threads publish progress (and re-read the learning rate) every this many words.
constexpr std::int64_t kSyncWords = 10'000;
constexpr std::uint64_t kEpochStream = 1'000'003;
constexpr std::uint64_t kRankStream = 1'000'000'007;

// Merges the ranks' replicas of a table: each rank's change since the last merge is summed
// over the ranks and added to the table of that merge, as one process applies the updates
// of all its Hogwild threads. The same bits on every rank. (Averaging the replicas instead
// divides every rank's progress by the number of ranks: measured in docs/BENCHMARKS.md, the
// vectors were further from one process's.)
class ReplicaMerge {
 public:
  explicit ReplicaMerge(const std::vector<float>& start) : base_(start) {}
  void merge(std::vector<float>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) values[i] -= base_[i];
    dist::allreduce_sum(std::span(values));
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = base_[i] += values[i];
  }

 private:
  std::vector<float> base_;
};

// Contiguous sentence ranges holding about the same number of words, one per thread.
std::vector<std::size_t> split_sentences(const Corpus& corpus, std::size_t parts) {
  std::vector<std::size_t> bounds{0};
  const double per_part = static_cast<double>(corpus.ids.size()) / static_cast<double>(parts);
  for (std::size_t s = 0; s < corpus.num_sentences() && bounds.size() < parts; ++s) {
    if (static_cast<double>(corpus.offsets[s + 1]) >=
        per_part * static_cast<double>(bounds.size())) {
      bounds.push_back(s + 1);
    }
  }
  while (bounds.size() <= parts) bounds.push_back(corpus.num_sentences());
  bounds.back() = corpus.num_sentences();
  return bounds;
}

}  // namespace

void Word2VecOptions::validate() const {
  ZHSENTI_CHECK_ARG(model == "skipgram" || model == "cbow",
                    "--model must be skipgram or cbow, got '{}'", model);
  ZHSENTI_CHECK_ARG(dim >= 1 && dim <= 4096, "--dim must be in [1, 4096], got {}", dim);
  ZHSENTI_CHECK_ARG(window >= 1, "--window must be >= 1, got {}", window);
  ZHSENTI_CHECK_ARG(negative >= 1, "--negative must be >= 1, got {}", negative);
  ZHSENTI_CHECK_ARG(min_count >= 1, "--min-count must be >= 1, got {}", min_count);
  ZHSENTI_CHECK_ARG(sample >= 0 && sample < 1, "--sample must be in [0, 1), got {}", sample);
  ZHSENTI_CHECK_ARG(epochs >= 1, "--epochs must be >= 1, got {}", epochs);
  ZHSENTI_CHECK_ARG(alpha >= 0, "--alpha must be >= 0, got {}", alpha);
  ZHSENTI_CHECK_ARG(min_alpha >= 0 && min_alpha <= start_alpha(),
                    "--min-alpha must be in [0, alpha], got {}", min_alpha);
  ZHSENTI_CHECK_ARG(threads >= 0, "--threads must be >= 0, got {}", threads);
  ZHSENTI_CHECK_ARG(syncs_per_epoch >= 1, "--syncs-per-epoch must be >= 1, got {}",
                    syncs_per_epoch);
}

WordVectors train_word2vec(const Corpus& corpus, const Word2VecOptions& options, bool show_progress,
                           Word2VecStats* stats) {
  options.validate();
  ZHSENTI_CHECK_ARG(!corpus.words.empty(),
                    "no word occurs at least min count ({}) times: nothing to train",
                    options.min_count);
  const std::size_t vocab = corpus.words.size();
  const auto dim = static_cast<std::size_t>(options.dim);

  WordVectors out;
  out.dim = options.dim;
  out.words = corpus.words;
  out.values.resize(vocab * dim);
  std::vector<float> syn1(vocab * dim, 0.0f);
  Rng init(options.seed);
  const float half = 0.5f / static_cast<float>(dim);
  for (auto& v : out.values) v = init.uniform_float(-half, half);

  const UnigramTable unigram(corpus.counts);
  const std::vector<std::uint64_t> keep = subsample_thresholds(corpus.counts, options.sample);
  detail::W2vModel model;
  model.syn0 = out.values.data();
  model.syn1 = syn1.data();
  model.dim = options.dim;
  model.window = options.window;
  model.negative = options.negative;
  model.cbow = options.model == "cbow";
  model.unigram = &unigram;
  model.keep = keep.data();
  const detail::TrainSentenceFn train_sentence =
      nn::for_isa(nn::active_isa(), &detail::generic::train_sentence, &detail::avx2::train_sentence,
                  &detail::avx512::train_sentence);

  std::size_t threads = options.threads > 0 ? static_cast<std::size_t>(options.threads)
                                            : ThreadPool::hardware_threads();
  threads = std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, corpus.num_sentences()));
  const std::vector<std::size_t> bounds = split_sentences(corpus, threads);
  ThreadPool pool(threads);

  // Under MPI each rank trains its shard from the same start and the replicas are merged
  // `syncs` times an epoch (word2vec.h); the learning rate follows this rank's progress.
  const auto ranks = static_cast<std::size_t>(dist::size());
  const std::size_t syncs = ranks > 1 ? static_cast<std::size_t>(options.syncs_per_epoch) : 1;
  const auto words_per_epoch = static_cast<std::int64_t>(corpus.ids.size());
  const std::int64_t total = std::max<std::int64_t>(1, words_per_epoch * options.epochs);
  const float alpha0 = options.start_alpha();
  const float alpha_span = alpha0 - options.min_alpha;
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> trained{0};
  std::optional<Progress> progress;
  if (show_progress)
    progress.emplace("word2vec " + options.model, static_cast<std::uint64_t>(total), "words");
  // Rank 0 draws what one process draws; the others streams of their own.
  const Rng root = dist::rank() == 0
                       ? Rng(options.seed)
                       : Rng(options.seed).fork(kRankStream * static_cast<std::uint64_t>(dist::rank()));

  std::optional<ReplicaMerge> merge_syn0, merge_syn1;
  if (ranks > 1) {
    merge_syn0.emplace(out.values);
    merge_syn1.emplace(syn1);
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Rng> rngs;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    rngs.clear();
    for (std::size_t t = 0; t < threads; ++t)
      rngs.push_back(root.fork(kEpochStream * static_cast<std::uint64_t>(epoch) + t));
    for (std::size_t part = 0; part < syncs; ++part) {
      pool.parallel_for(threads, 1, [&](std::size_t begin, std::size_t end, std::size_t) {
        detail::W2vScratch scratch;
        for (std::size_t t = begin; t < end; ++t) {
          const std::size_t span = bounds[t + 1] - bounds[t];
          const std::size_t first = bounds[t] + span * part / syncs;
          const std::size_t last = bounds[t] + span * (part + 1) / syncs;
          Rng& rng = rngs[t];
          std::int64_t pending = 0, kept = 0;
          float alpha = alpha0 - alpha_span * static_cast<float>(static_cast<double>(done.load()) /
                                                                 static_cast<double>(total));
          for (std::size_t s = first; s < last; ++s) {
            const auto sentence = corpus.sentence(s);
            kept += static_cast<std::int64_t>(train_sentence(model, sentence, alpha, rng, scratch));
            pending += static_cast<std::int64_t>(sentence.size());
            if (pending >= kSyncWords) {
              const std::int64_t now = done.fetch_add(pending) + pending;
              if (progress) progress->advance(static_cast<std::uint64_t>(pending));
              pending = 0;
              alpha = alpha0 - alpha_span * static_cast<float>(static_cast<double>(now) /
                                                               static_cast<double>(total));
            }
          }
          done.fetch_add(pending);
          if (progress) progress->advance(static_cast<std::uint64_t>(pending));
          trained.fetch_add(kept);
        }
      });
      if (ranks > 1) {
        merge_syn0->merge(out.values);
        merge_syn1->merge(syn1);
      }
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (progress) progress->finish();
  if (stats != nullptr) {
    std::int64_t trained_words = trained.load();
    dist::allreduce_sum(std::span(&trained_words, 1));
    stats->seconds = seconds;
    stats->raw_words = corpus.raw_words * options.epochs;
    stats->trained_words = trained_words;
    stats->threads = static_cast<int>(threads);
  }
  return out;
}

WordVectors train_token_and_pair_vectors(const Corpus& tokens, const Corpus& pairs,
                                         const Word2VecOptions& options, bool show_progress,
                                         Word2VecStats* token_stats, Word2VecStats* pair_stats) {
  WordVectors vectors = train_word2vec(tokens, options, show_progress, token_stats);
  const WordVectors pair_vectors = train_word2vec(pairs, options, show_progress, pair_stats);
  vectors.words.insert(vectors.words.end(), pair_vectors.words.begin(), pair_vectors.words.end());
  vectors.values.insert(vectors.values.end(), pair_vectors.values.begin(),
                        pair_vectors.values.end());
  return vectors;
}

}  // namespace zhsenti::embed
