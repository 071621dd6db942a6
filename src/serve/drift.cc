#include "zhsenti/serve/drift.h"

#include <algorithm>
#include <cmath>

namespace zhsenti::serve {
namespace {

// Empty bins would make PSI infinite; a floor keeps one unseen bin a large but finite term.
constexpr double kFloor = 1e-4;
// Scores are re-checked against the threshold this often, not on every text.
constexpr std::uint64_t kCheckEvery = 50;

std::vector<double> normalise(const std::vector<std::int64_t>& counts) {
  std::int64_t total = 0;
  for (auto c : counts) total += c;
  std::vector<double> out(counts.size(), 0.0);
  if (total == 0) return out;
  for (std::size_t i = 0; i < counts.size(); ++i)
    out[i] = static_cast<double>(counts[i]) / static_cast<double>(total);
  return out;
}

}  // namespace

double psi(const std::vector<double>& expected, const std::vector<double>& actual) {
  double sum = 0;
  for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
    const double e = std::max(expected[i], kFloor), a = std::max(actual[i], kFloor);
    sum += (a - e) * std::log(a / e);
  }
  return sum;
}

double DriftScores::max_psi() const { return std::max({label_psi, confidence_psi, length_psi}); }

DriftMonitor::DriftMonitor(std::optional<Reference> reference, std::size_t window,
                           std::size_t min_samples, double threshold)
    : reference_(std::move(reference)),
      window_(std::max<std::size_t>(window, 1)),
      min_samples_(std::min(min_samples, window_)),
      threshold_(threshold),
      confidence_counts_(predict::confidence_edges().size() - 1, 0),
      length_counts_(predict::length_edges().size() - 1, 0) {
  ring_.reserve(window_);
  label_counts_.assign(reference_ ? reference_->labels.size() : 0, 0);
}

bool DriftMonitor::observe(int label, double confidence, std::int64_t length, std::int64_t tokens,
                           std::int64_t unknown) {
  Obs o{static_cast<std::uint8_t>(label),
        static_cast<std::uint8_t>(predict::bin_index(predict::confidence_edges(), confidence)),
        static_cast<std::uint8_t>(
            predict::bin_index(predict::length_edges(), static_cast<double>(length))),
        static_cast<std::uint32_t>(tokens), static_cast<std::uint32_t>(unknown)};
  std::lock_guard lock(mutex_);
  if (label_counts_.size() <= o.label)
    label_counts_.resize(static_cast<std::size_t>(o.label) + 1, 0);
  if (ring_.size() == window_) {
    const Obs& old = ring_[next_];
    --label_counts_[old.label];
    --confidence_counts_[old.confidence_bin];
    --length_counts_[old.length_bin];
    tokens_ -= old.tokens;
    unknown_ -= old.unknown;
    ring_[next_] = o;
  } else {
    ring_.push_back(o);
  }
  next_ = (next_ + 1) % window_;
  ++label_counts_[o.label];
  ++confidence_counts_[o.confidence_bin];
  ++length_counts_[o.length_bin];
  tokens_ += o.tokens;
  unknown_ += o.unknown;
  if (!reference_ || ++observed_ % kCheckEvery != 0) return false;
  const DriftScores s = scores_locked();
  if (!s.enough) return false;
  if (!alarmed_ && s.max_psi() > threshold_) return alarmed_ = true;
  if (alarmed_ && s.max_psi() < threshold_ / 2) alarmed_ = false;  // hysteresis: no log storm
  return false;
}

DriftScores DriftMonitor::scores() const {
  std::lock_guard lock(mutex_);
  return scores_locked();
}

DriftScores DriftMonitor::scores_locked() const {
  DriftScores s;
  s.samples = ring_.size();
  s.enough = reference_.has_value() && s.samples >= min_samples_ && s.samples > 0;
  s.live_label_mix = normalise(label_counts_);
  s.live_oov_rate =
      tokens_ == 0 ? 0.0 : static_cast<double>(unknown_) / static_cast<double>(tokens_);
  if (!reference_) return s;
  s.reference_oov_rate = reference_->oov_rate;
  s.label_psi = psi(reference_->label_mix, s.live_label_mix);
  s.confidence_psi = psi(reference_->confidence, normalise(confidence_counts_));
  s.length_psi = psi(reference_->length, normalise(length_counts_));
  return s;
}

}  // namespace zhsenti::serve
