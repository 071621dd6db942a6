#pragma once
// The per-sentence training step of word2vec, compiled once per instruction set
// (w2v_kernels.inc over nn's vector ops, included by w2v_kernels_<isa>.cc) and chosen at run
// time by nn::for_isa with the engine's kernels (ZHSENTI_ISA forces one).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "zhsenti/core/rng.h"
#include "zhsenti/embed/sampling.h"

namespace zhsenti::embed::detail {

// Shared by all threads; syn0/syn1 are written without locks (see word2vec.h).
struct W2vModel {
  float* syn0 = nullptr;  // (V, dim) input vectors
  float* syn1 = nullptr;  // (V, dim) output vectors of negative sampling
  int dim = 0;
  int window = 5;
  int negative = 5;
  bool cbow = false;
  const UnigramTable* unigram = nullptr;
  const std::uint64_t* keep = nullptr;  // subsampling thresholds per word (2^32: always)
};

// Per-thread buffers.
struct W2vScratch {
  std::vector<std::int32_t> kept;
  std::vector<float> neu1, neu1e;
};

// Trains on one sentence at learning rate alpha; returns the number of words kept by
// subsampling.
using TrainSentence = std::size_t(const W2vModel& model, std::span<const std::int32_t> sentence,
                                  float alpha, Rng& rng, W2vScratch& scratch);
using TrainSentenceFn = TrainSentence*;

// One build per instruction set (w2v_kernels_<isa>.cc).
namespace generic {
TrainSentence train_sentence;
}
namespace avx2 {
TrainSentence train_sentence;
}
namespace avx512 {
TrainSentence train_sentence;
}

}  // namespace zhsenti::embed::detail
