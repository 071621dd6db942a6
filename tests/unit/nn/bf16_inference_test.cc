// bf16 inference of the whole classifier against fp32 on random weights, for every cell in
// both directions, on the bf16 implementation this CPU runs (precision.h).
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "reduced_precision_check.h"
#include "zhsenti/nn/kernels/precision.h"
#include "zhsenti/nn/models/classifier.h"

namespace zhsenti::nn {
namespace {

using precision_check::check_against_fp32;
using precision_check::Inputs;
using precision_check::make_inputs;
using precision_check::small_config;

// Largest |p_bf16 - p_fp32| allowed for any probability. Each weight and input carries a
// relative rounding error of at most 2^-8; through two layers of 24 units and up to 30
// steps this moves probabilities by ~1e-3 here, and 1e-2 is the promise.
constexpr float kTolerance = 1e-2f;

TEST(Bf16Inference, ProbabilitiesStayCloseToFp32ForEveryCellAndDirection) {
  for (const auto& [cell, cell_name] : EnumNames<CellType>::kTable) {
    for (const bool bi : {false, true}) {
      Classifier m(small_config(cell, bi, PoolType::kLast), 5);
      const Inputs in = make_inputs(60);
      const std::string what = std::string(cell_name) + (bi ? " bi" : " uni");
      Workspace ws(2);
      // Fewer than 16 sequences take the other bf16 path: the hidden product on whole tiles
      // through the task's own rows.
      const auto [fp32, bf16] = check_against_fp32(m, in, Precision::kBf16, kTolerance, what, ws);

      // A sequence alone gives what it gave in the batch, up to fp32 summation order.
      Workspace one(1);
      const std::vector<int32_t> len = {in.lengths[3]};
      const std::vector<int32_t> ids(in.ids.begin() + in.lengths[0] + in.lengths[1] + in.lengths[2],
                                     in.ids.end());
      std::vector<float> single(3);
      m.predict_proba({std::span(ids).first(static_cast<std::size_t>(len[0])), len}, one, single);
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(single[k], bf16[9 + k], 1e-5) << what;

      // Switching back re-packs the fp32 weights: the same bits as before.
      m.set_inference_precision(Precision::kFp32);
      std::vector<float> again(fp32.size());
      m.predict_proba({in.ids, in.lengths}, ws, again);
      EXPECT_EQ(again, fp32) << what;
    }
  }
}

}  // namespace
}  // namespace zhsenti::nn
