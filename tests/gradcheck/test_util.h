#pragma once
// Helpers shared by the engine's gradient-check and unit tests.

#include <random>
#include <string>
#include <vector>

#include "gradcheck.h"
#include "zhsenti/nn/param_store.h"

namespace zhsenti::nn::testing {

inline std::vector<float> random_vector(std::size_t n, unsigned seed, float lo = -1.0f,
                                        float hi = 1.0f) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(gen);
  return v;
}

inline void randomize(ParamStore& store, unsigned seed, float scale = 0.5f) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-scale, scale);
  for (const auto& p : store.infos()) {
    if (!p.trainable) continue;
    for (float& x : store.value(store.id(p.name))) x = dist(gen);
  }
}

// Every trainable parameter of the store as a gradient-check variable, except the rows of
// `skip_rows_of` listed in `skip_rows` (e.g. an embedding's padding row, which by definition
// gets no gradient although it changes the output).
inline std::vector<Variable> param_variables(ParamStore& store, const std::string& skip_rows_of = "",
                                             int skip_row = -1) {
  std::vector<Variable> vars;
  for (const auto& p : store.infos()) {
    if (!p.trainable) continue;
    const auto id = store.id(p.name);
    float* v = store.value(id).data();
    const float* g = store.grad(id).data();
    if (p.name == skip_rows_of && skip_row >= 0) {
      const auto cols = static_cast<std::size_t>(p.shape[1]);
      const auto r = static_cast<std::size_t>(skip_row);
      if (r > 0) vars.push_back({p.name + "[rows<pad]", v, g, r * cols});
      const std::size_t after = (static_cast<std::size_t>(p.shape[0]) - r - 1) * cols;
      if (after > 0) vars.push_back({p.name + "[rows>pad]", v + (r + 1) * cols, g + (r + 1) * cols, after});
      continue;
    }
    vars.push_back({p.name, v, g, p.size});
  }
  return vars;
}

}  // namespace zhsenti::nn::testing
