#pragma once
// Finite-difference gradient checking for float layers (ggml test-backend-ops style).
//
// A case exposes its differentiable quantities (parameters and inputs) as float arrays, a
// forward pass returning the outputs, and a backward pass that, given dL/dout, fills the
// matching gradient arrays. The checker uses the scalar loss L = sum(out * R) with a fixed
// random R, so dL/dout = R, and compares every analytic gradient element with the central
// difference (L(x + h) - L(x - h)) / 2h, accumulated in double.
//
// Error metric per element: |analytic - numeric| / (atol + rtol * max(|analytic|, |numeric|))
// must be <= 1; the worst element is reported.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace zhsenti::nn::testing {

struct Variable {
  std::string name;
  float* value;       // perturbed in place
  const float* grad;  // analytic gradient, filled by backward
  std::size_t size;
};

struct GradCheckCase {
  std::vector<Variable> variables;
  std::function<std::vector<float>()> forward;
  // Zeroes then fills every Variable::grad for dL/dout = dout.
  std::function<void(const std::vector<float>& dout)> backward;
};

struct GradCheckOptions {
  double step = 1e-2;
  double atol = 5e-4;
  double rtol = 1e-2;
  unsigned seed = 1234;
};

struct GradCheckReport {
  double worst_ratio = 0;  // <= 1 passes
  std::string worst;       // "name[index]: analytic a numeric n"
  std::size_t checked = 0;
};

GradCheckReport check_gradients(GradCheckCase& c, const GradCheckOptions& options = {});

}  // namespace zhsenti::nn::testing
