#pragma once
// A seeded random generator whose streams are the same on every platform and standard
// library (std::uniform_*_distribution and std::shuffle are not), so a seed fixes data
// splits, initialisation and shuffling everywhere. xoshiro256** seeded through splitmix64.

#include <cstdint>
#include <span>
#include <utility>

namespace zhsenti {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0x5EED) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    for (auto& word : s_) word = splitmix64(seed);
    has_spare_normal_ = false;
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 24 (float) or 53 (double) random bits.
  float uniform_float() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }
  double uniform_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  float uniform_float(float lo, float hi) { return lo + (hi - lo) * uniform_float(); }

  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject).
  std::uint64_t uniform_int(std::uint64_t n);

  // Standard normal (Marsaglia polar method).
  double normal();

  template <typename T>
  void shuffle(std::span<T> items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[uniform_int(i)]);
    }
  }

  // An independent generator for stream `index` (e.g. one per thread or per epoch).
  Rng fork(std::uint64_t index) const {
    std::uint64_t mix = s_[0] ^ (index * 0x9E3779B97F4A7C15ULL);
    return Rng(splitmix64(mix));
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  std::uint64_t s_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace zhsenti
