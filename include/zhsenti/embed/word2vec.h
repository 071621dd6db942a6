#pragma once
// word2vec (Mikolov et al. 2013): skip-gram or CBOW with negative sampling.
//
// Per sentence: frequent words are dropped by subsampling (sampling.h), then every kept
// word is a centre with a window shrunk uniformly to 1..window on each side. Skip-gram
// trains each context word's input vector to predict the centre; CBOW trains the mean of
// the context vectors. Each prediction is one positive and `negative` words drawn from
// unigram^0.75, with the logistic loss; the learning rate decays linearly from alpha to
// min_alpha over all epochs. Input vectors start uniform in [-0.5/dim, 0.5/dim], output
// vectors at zero; the input vectors are the result.
//
// Threads (Hogwild, Recht et al. 2011): each thread trains on its own slice of sentences and
// updates the shared vectors without locks. Two threads may read and write the same row at
// the same moment; a lost or mixed update only adds a little noise to SGD, which the method
// tolerates, and locking every row would cost more than the updates themselves. That race is
// intended and confined to the training kernels (w2v_kernels.inc), which are built without
// ThreadSanitizer instrumentation; everything else (progress, the learning rate) is atomic.
// With threads == 1 a seed gives bit-identical vectors; with more threads the result varies
// run to run (the thread interleaving decides the order of updates).
//
// Under MPI (src/dist) each rank trains the same way on its shard of the texts (a Corpus
// from build_agreed: the vocabulary of all ranks), all ranks starting from the same vectors;
// `syncs_per_epoch` times an epoch the changes every rank made to the input and output
// vectors since the last merge are summed over the ranks and applied on all of them (as one
// process applies all its threads' updates), so all ranks hold the same vectors again. The
// more often, the less stale each rank's view and the closer to one process.
// Rank 0 draws the random numbers one process draws, the others streams of their own.

#include <cstdint>
#include <string>

#include "zhsenti/embed/corpus.h"
#include "zhsenti/embed/word_vectors.h"

namespace zhsenti::embed {

struct Word2VecOptions {
  std::string model = "skipgram";  // skipgram | cbow
  int dim = 128;                   // train's default --embed-dim
  int window = 5;
  int negative = 5;
  int min_count = 5;     // applied when the Corpus is built (CorpusBuilder::build)
  double sample = 1e-3;  // subsampling threshold; 0 keeps every word
  int epochs = 5;
  float alpha = 0;  // starting learning rate; 0: 0.025 (skip-gram) or 0.05 (CBOW)
  float min_alpha = 1e-4f;
  int threads = 0;  // 0: all cores
  std::uint64_t seed = 1;
  int syncs_per_epoch = 32;  // MPI only: replicas merged this often an epoch

  // Throws Error(kInvalidArgument) naming the first bad setting.
  void validate() const;
  float start_alpha() const { return alpha > 0 ? alpha : (model == "cbow" ? 0.05f : 0.025f); }
};

struct Word2VecStats {
  double seconds = 0;              // training only (corpus reading excluded)
  std::int64_t raw_words = 0;      // tokens read over all epochs (all ranks), rare words included
  std::int64_t trained_words = 0;  // centre words left after subsampling, epochs and ranks
  int threads = 0;
  double raw_words_per_s() const {
    return seconds > 0 ? static_cast<double>(raw_words) / seconds : 0;
  }
};

// Throws Error(kInvalidArgument) when the corpus has no vocabulary.
WordVectors train_word2vec(const Corpus& corpus, const Word2VecOptions& options,
                           bool show_progress = false, Word2VecStats* stats = nullptr);

// The vectors of `tokens` followed by those of `pairs`, the tokens' bigram entries
// (bigram_entry.h), trained as a second model of their own (the tokens' negative samples
// would otherwise be mostly bigrams). What `embed train --bigrams` writes and what
// `train --pretrain-epochs` starts from.
WordVectors train_token_and_pair_vectors(const Corpus& tokens, const Corpus& pairs,
                                         const Word2VecOptions& options, bool show_progress,
                                         Word2VecStats* token_stats = nullptr,
                                         Word2VecStats* pair_stats = nullptr);

}  // namespace zhsenti::embed
