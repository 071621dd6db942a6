// bf16 inference of the whole classifier against fp32 on random weights, for every cell in
// both directions, on the bf16 implementation this CPU runs (precision.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/kernels/precision.h"
#include "zhsenti/nn/models/classifier.h"

namespace zhsenti::nn {
namespace {

// Largest |p_bf16 - p_fp32| allowed for any probability. Each weight and input carries a
// relative rounding error of at most 2^-8; through two layers of 24 units and up to 30
// steps this moves probabilities by ~1e-3 here, and 1e-2 is the promise.
constexpr float kTolerance = 1e-2f;

struct Inputs {
  std::vector<int32_t> ids, lengths;
};

// 20 sequences, so several steps have 16 or more rows (the AMX blocks) and others fewer.
Inputs make_inputs(int vocab) {
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

TEST(Bf16Inference, ProbabilitiesStayCloseToFp32ForEveryCellAndDirection) {
  for (const auto& [cell, cell_name] : EnumNames<CellType>::kTable) {
    for (const bool bi : {false, true}) {
      ClassifierConfig c;
      c.vocab_size = 60;
      c.embed_dim = 40;  // k = 40: a padded k block
      c.hidden = 24;     // G = 24, 72, 96: whole and partial 16-column panels
      c.layers = 2;
      c.bidirectional = bi;
      c.cell = cell;
      c.pool = PoolType::kLast;
      c.ngram_buckets = 0;
      c.num_classes = 3;
      Classifier m(c, 5);
      const Inputs in = make_inputs(c.vocab_size);
      const Batch batch{in.ids, in.lengths};
      const std::size_t size = in.lengths.size() * 3;
      std::vector<float> fp32(size), bf16(size), again(size), single(3);
      Workspace ws(2);
      m.predict_proba(batch, ws, fp32);
      m.set_inference_precision(Precision::kBf16);
      m.predict_proba(batch, ws, bf16);
      float worst = 0;
      for (std::size_t i = 0; i < size; ++i) worst = std::max(worst, std::abs(bf16[i] - fp32[i]));
      const std::string what = std::string(cell_name) + (bi ? " bi" : " uni");
      EXPECT_LE(worst, kTolerance) << what;
      EXPECT_GT(worst, 0.0f) << what << ": the bf16 path did not run";

      // Fewer than 16 sequences take the other bf16 path (input products hoisted out of the
      // time loop, the hidden product on whole tiles through the task's own rows).
      const std::vector<int32_t> few_lengths(in.lengths.begin(), in.lengths.begin() + 7);
      int few_tokens = 0;
      for (const int l : few_lengths) few_tokens += l;
      const std::vector<int32_t> few_ids(in.ids.begin(), in.ids.begin() + few_tokens);
      std::vector<float> few(few_lengths.size() * 3);
      m.predict_proba({few_ids, few_lengths}, ws, few);
      for (std::size_t i = 0; i < few.size(); ++i) {
        EXPECT_NEAR(few[i], fp32[i], kTolerance) << what << " (7 sequences)";
      }

      // A sequence alone gives what it gave in the batch, up to fp32 summation order.
      Workspace one(1);
      const std::vector<int32_t> len = {in.lengths[3]};
      const std::vector<int32_t> ids(in.ids.begin() + in.lengths[0] + in.lengths[1] + in.lengths[2],
                                     in.ids.end());
      m.predict_proba({std::span(ids).first(static_cast<std::size_t>(len[0])), len}, one, single);
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(single[k], bf16[9 + k], 1e-5) << what;

      // Switching back re-packs the fp32 weights: the same bits as before.
      m.set_inference_precision(Precision::kFp32);
      m.predict_proba(batch, ws, again);
      EXPECT_EQ(again, fp32) << what;
    }
  }
}

}  // namespace
}  // namespace zhsenti::nn
