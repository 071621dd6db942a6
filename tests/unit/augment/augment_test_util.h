#pragma once
// Small fixtures for the augment tests: token lists from spaced strings and hand-made vectors
// whose neighbours are known.

#include <sstream>
#include <string>
#include <vector>

#include "zhsenti/embed/word_vectors.h"

namespace zhsenti::augment::testing {

inline std::vector<std::string> toks(const std::string& spaced) {
  std::vector<std::string> out;
  std::istringstream in(spaced);
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

// Three groups of near-synonyms (lodging, clean, room), plus words the policy never lets be
// substituted that sit right next to them (很 near 酒店, 不好 near 干净, 但是 near 房间).
inline embed::WordVectors sample_vectors() {
  embed::WordVectors v;
  v.dim = 4;
  const std::vector<std::pair<std::string, std::vector<float>>> rows = {
      {"酒店", {1, 0, 0, 0}},       {"宾馆", {0.95f, 0.1f, 0, 0}},  {"旅馆", {0.8f, 0.3f, 0, 0}},
      {"干净", {0, 1, 0, 0}},       {"整洁", {0.1f, 0.95f, 0, 0}},  {"卫生", {0, 0.8f, 0.3f, 0}},
      {"房间", {0, 0, 1, 0}},       {"屋子", {0, 0.05f, 0.97f, 0}}, {"客房", {0.1f, 0, 0.9f, 0.1f}},
      {"很", {0.99f, 0, 0, 0.05f}}, {"不好", {0, 0.99f, 0, 0.05f}}, {"但是", {0, 0, 0.99f, 0.05f}},
      {"，", {0, 0, 0.98f, 0.1f}},  {"零", {0, 0, 0, 0}},           {"服务", {0, 0, 0, 1}}};
  for (const auto& [w, x] : rows) {
    v.words.push_back(w);
    v.values.insert(v.values.end(), x.begin(), x.end());
  }
  return v;
}

}  // namespace zhsenti::augment::testing
