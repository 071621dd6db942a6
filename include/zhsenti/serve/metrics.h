#pragma once
// Counters and histograms in the Prometheus text exposition format (version 0.0.4). Small
// and fixed: the server knows its metric families up front, so there is no registry, only
// a few thread-safe primitives and a renderer.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::serve {

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);
  // "name_bucket{labels,le=...} n" ... "name_sum" "name_count"; labels without braces.
  void render(std::string& out, std::string_view name, std::string_view labels = "") const;

 private:
  std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> counts_;  // one per bound, plus +Inf
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

// Counters keyed by a label set rendered once, e.g. endpoint="/v1/predict",status="200".
class LabelledCounter {
 public:
  void add(const std::string& labels, std::uint64_t n = 1);
  void render(std::string& out, std::string_view name) const;
  std::uint64_t get(const std::string& labels) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> values_;
};

// The HTTP layer's gauges and counter, kept by the server and rendered with the rest.
struct ConnectionStats {
  std::atomic<std::int64_t> open{0};       // connections counted against --max-connections
  std::atomic<std::int64_t> in_flight{0};  // requests read and not yet answered
  std::atomic<std::uint64_t> rejected{0};  // connections refused over the cap
};

// HELP and TYPE lines of one family.
void family_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help);
// A label value escaped for the exposition format (backslash, quote, newline).
std::string label_value(std::string_view v);
// A sample value: integers without a fraction, NaN and infinities as Prometheus spells them.
std::string sample(double v);

}  // namespace zhsenti::serve
