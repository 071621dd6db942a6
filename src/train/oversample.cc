#include "oversample.h"

#include <algorithm>
#include <vector>

namespace zhsenti::train {

std::size_t oversample(LabelledCorpus& data, std::size_t classes, Rng& rng) {
  std::vector<std::vector<std::size_t>> members(classes);
  for (std::size_t i = 0; i < data.size(); ++i) {
    members[static_cast<std::size_t>(data.labels[i])].push_back(i);
  }
  std::size_t largest = 0;
  for (const auto& m : members) largest = std::max(largest, m.size());
  std::size_t added = 0;
  std::vector<std::int32_t> ids;  // a copy: push_back may reallocate what it would read
  for (std::size_t c = 0; c < classes; ++c) {
    const auto& m = members[c];
    if (m.empty()) continue;
    for (std::size_t k = m.size(); k < largest; ++k) {
      const std::size_t i = m[rng.uniform_int(m.size())];
      const auto sequence = data.corpus.sequence(i);
      ids.assign(sequence.begin(), sequence.end());
      data.corpus.push_back(ids);
      data.labels.push_back(static_cast<std::int32_t>(c));
      ++added;
    }
  }
  return added;
}

}  // namespace zhsenti::train
