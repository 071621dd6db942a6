#pragma once
// Softmax cross-entropy with PyTorch's CrossEntropyLoss(weight, label_smoothing,
// reduction='mean') semantics:
//   loss_i = (1 - e) w[y_i] (-log p_i[y_i]) + (e / C) sum_c w[c] (-log p_i[c])
//   loss   = sum_i loss_i / sum_i w[y_i]
// with w = 1 when no class weights are given (then the divisor is the batch size).
// Logit offsets o (logit adjustment, Menon et al. 2021: o = tau log prior) are added to every
// row first, so p = softmax(z + o): a frequent class must win by more than its prior says
// before its loss goes to zero, which leaves room for the rare classes' margins. The model
// itself predicts with plain z, i.e. with the prior divided out.
// Focal loss (Lin et al. 2017) with gamma > 0 scales each term by (1 - p)^gamma, so examples
// the model already gets right contribute little and the hard ones (often of the rare
// classes) dominate; with the smoothed targets t_ic = (1 - e) w[y_i] [c == y_i] + (e/C) w[c]:
//   loss_i = sum_c t_ic (1 - p_ic)^gamma (-log p_ic),  divided by sum_i w[y_i] as above.
// gamma = 0 is the cross-entropy above, computed by the same code as without the option.

#include <cstdint>
#include <span>

namespace zhsenti::nn {

struct CrossEntropyOptions {
  std::span<const float> class_weights;  // empty or C weights (>= 0, not all zero)
  float label_smoothing = 0.0f;          // in [0, 1]
  std::span<const float> logit_offsets;  // empty or C finite offsets added to each row
  float focal_gamma = 0.0f;              // >= 0; 0: cross-entropy
};

// logits (B, C) row-major, labels in [0, C). Writes dL/dlogits into dlogits (B, C) unless it
// is empty; returns the loss. Throws Error(kInvalidArgument) on a bad label or option.
double cross_entropy(std::span<const float> logits, std::span<const int32_t> labels,
                     int num_classes, const CrossEntropyOptions& options,
                     std::span<float> dlogits);

// Row-wise softmax (B, C), in may equal out.
void softmax_rows(const float* in, float* out, int rows, int cols);

}  // namespace zhsenti::nn
