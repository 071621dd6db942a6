#pragma once
// What the bf16 and int8 inference tests share: a small two-layer classifier of each cell
// and direction on 20 random ragged sequences, and the checks every reduced inference
// precision must pass against fp32 on it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/kernels/precision.h"
#include "zhsenti/nn/models/classifier.h"

namespace zhsenti::nn::precision_check {

struct Inputs {
  std::vector<int32_t> ids, lengths;
};

// 20 sequences of 1 to 30 ids, so several steps have 16 or more rows (AMX blocks, steps
// that multiply their own inputs) and others fewer.
inline Inputs make_inputs(int vocab) {
  Rng rng(9);
  Inputs in;
  for (int b = 0; b < 20; ++b) {
    const int len = 1 + static_cast<int>(rng.uniform_double() * 30);
    in.lengths.push_back(len);
    for (int t = 0; t < len; ++t) {
      in.ids.push_back(static_cast<int32_t>(rng.uniform_double() * (vocab - 1)) + 1);
    }
  }
  return in;
}

// Embeddings 40 wide (k = 40: a padded k block), two layers of 24 units (G = 24, 72, 96:
// whole and partial 16-column panels), 3 classes, no n-gram table.
inline ClassifierConfig small_config(CellType cell, bool bidirectional, PoolType pool) {
  ClassifierConfig c;
  c.vocab_size = 60;
  c.embed_dim = 40;
  c.hidden = 24;
  c.layers = 2;
  c.bidirectional = bidirectional;
  c.cell = cell;
  c.pool = pool;
  c.ngram_buckets = 0;
  c.num_classes = 3;
  return c;
}

struct Probabilities {
  std::vector<float> fp32, reduced;
};

// The batch's probabilities in fp32, then (m switched to `precision`) in it: no further
// than tolerance, yet not equal (the reduced path ran). Fewer than 16 sequences, whose
// input products are hoisted out of the time loop, stay as close.
inline Probabilities check_against_fp32(Classifier& m, const Inputs& in, Precision precision,
                                        float tolerance, const std::string& what, Workspace& ws) {
  const Batch batch{in.ids, in.lengths};
  Probabilities p{std::vector<float>(in.lengths.size() * 3),
                  std::vector<float>(in.lengths.size() * 3)};
  m.predict_proba(batch, ws, p.fp32);
  m.set_inference_precision(precision);
  m.predict_proba(batch, ws, p.reduced);
  float worst = 0;
  for (std::size_t i = 0; i < p.fp32.size(); ++i) {
    worst = std::max(worst, std::abs(p.reduced[i] - p.fp32[i]));
  }
  EXPECT_LE(worst, tolerance) << what;
  EXPECT_GT(worst, 0.0f) << what << ": the " << precision_name(precision) << " path did not run";

  const std::vector<int32_t> few_lengths(in.lengths.begin(), in.lengths.begin() + 7);
  int few_tokens = 0;
  for (const int l : few_lengths) few_tokens += l;
  const std::vector<int32_t> few_ids(in.ids.begin(), in.ids.begin() + few_tokens);
  std::vector<float> few(few_lengths.size() * 3);
  m.predict_proba({few_ids, few_lengths}, ws, few);
  for (std::size_t i = 0; i < few.size(); ++i) {
    EXPECT_NEAR(few[i], p.fp32[i], tolerance) << what << " (7 sequences)";
  }
  return p;
}

}  // namespace zhsenti::nn::precision_check
