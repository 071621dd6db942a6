// The predictor's precision option (bf16 or fp32 recurrent products, nn/kernels/precision.h).
#include "zhsenti/nn/kernels/precision.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tiny_model.h"
#include "zhsenti/predict/predictor.h"

namespace zhsenti::predict {
namespace {

TEST(PredictorPrecision, LoadOptionChoosesItAndTheDefaultFollowsTheMachine) {
  const auto dir = testing::fresh_temp_dir("precision");
  testing::write_tiny_model(dir / "m", 4);
  const auto fp32 = Predictor::load(dir / "m", {.precision = nn::Precision::kFp32});
  const auto bf16 = Predictor::load(dir / "m", {.precision = nn::Precision::kBf16});
  const auto auto_ = Predictor::load(dir / "m");
  EXPECT_EQ(fp32->model().inference_precision(), nn::Precision::kFp32);
  EXPECT_EQ(bf16->model().inference_precision(), nn::Precision::kBf16);
  EXPECT_EQ(auto_->model().inference_precision(), nn::default_inference_precision());

  const std::vector<std::string> texts = {"酒店服务很好", "很差，失望", "一般"};
  std::vector<float> a(6), b(6);
  fp32->predict_proba(texts, a);
  bf16->predict_proba(texts, b);
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  EXPECT_GT(worst, 0.0f) << "bf16 gave the fp32 bits: its path did not run";
  EXPECT_LT(worst, 1e-2f);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zhsenti::predict
