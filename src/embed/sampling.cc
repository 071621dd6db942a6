#include "zhsenti/embed/sampling.h"

#include <cmath>

#include "zhsenti/core/check.h"

namespace zhsenti::embed {
namespace {
constexpr double kTwo32 = 4294967296.0;
}

UnigramTable::UnigramTable(std::span<const std::int64_t> counts, double power) {
  ZHSENTI_CHECK_ARG(!counts.empty(), "the negative-sampling table needs at least one word");
  ZHSENTI_CHECK_ARG(counts.size() < (std::size_t{1} << 31), "{} words are too many", counts.size());
  const std::size_t n = counts.size();
  std::vector<double> scaled(n);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ZHSENTI_CHECK_ARG(counts[i] >= 1, "word {} has count {}, need >= 1", i, counts[i]);
    scaled[i] = std::pow(static_cast<double>(counts[i]), power);
    total += scaled[i];
  }
  // Vose: probabilities scaled to mean 1, small (< 1) columns topped up by large ones.
  for (auto& p : scaled) p = p * static_cast<double>(n) / total;
  entries_.assign(n, Entry{0, 0});
  std::vector<std::int32_t> small, large;
  for (std::size_t i = 0; i < n; ++i)
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::int32_t>(i));
  while (!small.empty() && !large.empty()) {
    const std::int32_t s = small.back(), l = large.back();
    small.pop_back();
    entries_[static_cast<std::size_t>(s)] = {
        static_cast<std::uint32_t>(scaled[static_cast<std::size_t>(s)] * kTwo32), l};
    scaled[static_cast<std::size_t>(l)] -= 1.0 - scaled[static_cast<std::size_t>(s)];
    if (scaled[static_cast<std::size_t>(l)] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Left-overs hold probability 1 up to rounding: they always return themselves.
  for (auto i : small) entries_[static_cast<std::size_t>(i)] = {0xFFFFFFFFu, i};
  for (auto i : large) entries_[static_cast<std::size_t>(i)] = {0xFFFFFFFFu, i};
  size_ = n;
}

double UnigramTable::probability(std::size_t i) const {
  const double n = static_cast<double>(entries_.size());
  double mass = 0;
  for (std::size_t c = 0; c < entries_.size(); ++c) {
    const double keep = entries_[c].threshold / kTwo32;
    if (c == i) mass += keep;
    if (static_cast<std::size_t>(entries_[c].alias) == i) mass += 1.0 - keep;
  }
  return mass / n;
}

double subsample_keep_probability(std::int64_t count, std::int64_t total, double sample) {
  if (sample <= 0 || count <= 0 || total <= 0) return 1.0;
  const double f = static_cast<double>(count) / static_cast<double>(total);
  return std::min(1.0, (std::sqrt(f / sample) + 1.0) * sample / f);
}

std::vector<std::uint64_t> subsample_thresholds(std::span<const std::int64_t> counts,
                                                double sample) {
  std::int64_t total = 0;
  for (auto c : counts) total += c;
  std::vector<std::uint64_t> out(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double p = subsample_keep_probability(counts[i], total, sample);
    out[i] = p >= 1.0 ? (std::uint64_t{1} << 32) : static_cast<std::uint64_t>(p * kTwo32);
  }
  return out;
}

}  // namespace zhsenti::embed
