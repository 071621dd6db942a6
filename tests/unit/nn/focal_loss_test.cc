// Focal loss (loss/cross_entropy.h, focal_gamma > 0): its value on a row worked by hand, gamma
// 0 being exactly the cross-entropy, and the point of it: a well-classified text's share of
// the gradient shrinks against a misclassified one's. Gradients: tests/gradcheck; against
// PyTorch: parity_test.cc.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "zhsenti/core/error.h"
#include "zhsenti/nn/loss/cross_entropy.h"

namespace zhsenti::nn {
namespace {

double norm(const std::vector<float>& v, int row, int cols) {
  double s = 0;
  for (int k = 0; k < cols; ++k) s += double(v[row * cols + k]) * v[row * cols + k];
  return std::sqrt(s);
}

TEST(FocalLoss, HandWorkedRow) {
  // Two classes, equal logits: p = 0.5, loss = (1 - 0.5)^2 log 2.
  const std::vector<float> z = {0.3f, 0.3f};
  const std::vector<int32_t> y = {1};
  CrossEntropyOptions opts;
  opts.focal_gamma = 2.0f;
  std::vector<float> d(2);
  EXPECT_NEAR(cross_entropy(z, y, 2, opts, d), 0.25 * std::log(2.0), 1e-12);
  // dL/dz_y = p (1 - p) f'(p), f(p) = -(1 - p)^2 log p: f'(p) = 2 (1 - p) log p - (1 - p)^2 / p.
  const double fprime = 2 * 0.5 * std::log(0.5) - 0.25 / 0.5;
  EXPECT_NEAR(d[1], 0.25 * fprime, 1e-7);
  EXPECT_NEAR(d[0], -d[1], 1e-7);
}

TEST(FocalLoss, GammaZeroIsTheCrossEntropyBitForBit) {
  const std::vector<float> z = {1.5f, -0.25f, 0.5f, -2.0f, 3.0f, 0.125f};
  const std::vector<int32_t> y = {0, 2};
  const std::vector<float> w = {0.5f, 2.0f, 1.0f}, o = {-0.1f, -1.2f, -2.3f};
  CrossEntropyOptions plain;
  plain.class_weights = w;
  plain.logit_offsets = o;
  plain.label_smoothing = 0.1f;
  CrossEntropyOptions zero = plain;
  zero.focal_gamma = 0.0f;
  std::vector<float> a(z.size()), b(z.size());
  EXPECT_EQ(cross_entropy(z, y, 3, plain, a), cross_entropy(z, y, 3, zero, b));
  EXPECT_EQ(a, b);
}

TEST(FocalLoss, EasyTextsLoseTheirShareOfTheGradient) {
  // Row 0 is right with p ~ 0.98, row 1 wrong (its label has p ~ 0.12).
  const std::vector<float> z = {4.0f, 0.0f, 0.0f, 1.0f, 3.0f, 0.0f};
  const std::vector<int32_t> y = {0, 0};
  CrossEntropyOptions ce, focal;
  focal.focal_gamma = 2.0f;
  std::vector<float> dce(z.size()), dfocal(z.size());
  const double lce = cross_entropy(z, y, 3, ce, dce);
  const double lfocal = cross_entropy(z, y, 3, focal, dfocal);
  EXPECT_LT(lfocal, lce);
  const double share_ce = norm(dce, 0, 3) / norm(dce, 1, 3);
  const double share_focal = norm(dfocal, 0, 3) / norm(dfocal, 1, 3);
  EXPECT_LT(share_focal, share_ce / 20) << share_ce << " " << share_focal;
  // A row the model is certain of (p = 1 in double) has no loss and no gradient, also with
  // gamma < 1, where (1 - p)^(gamma - 1) alone would be infinite.
  const std::vector<float> sure = {200.0f, 0.0f, 0.0f};
  for (const float gamma : {2.0f, 0.5f}) {
    focal.focal_gamma = gamma;
    std::vector<float> dsure(3);
    EXPECT_EQ(cross_entropy(sure, std::vector<int32_t>{0}, 3, focal, dsure), 0.0) << gamma;
    for (const float g : dsure) EXPECT_EQ(g, 0.0f) << gamma;
  }
}

TEST(FocalLoss, NegativeGammaIsRefused) {
  const std::vector<float> z = {0.0f, 1.0f};
  CrossEntropyOptions opts;
  opts.focal_gamma = -1.0f;
  EXPECT_THROW(cross_entropy(z, std::vector<int32_t>{0}, 2, opts, {}), Error);
}

}  // namespace
}  // namespace zhsenti::nn
