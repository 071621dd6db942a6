#include "zhsenti/nn/layers/ngram_hash.h"

namespace zhsenti::nn {

namespace {

uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

void hash_bigrams(std::span<const int32_t> ids, std::span<const int32_t> lengths, int buckets,
                  int32_t* out) {
  const auto n = static_cast<uint64_t>(buckets);
  std::size_t r = 0;
  for (const int32_t len : lengths) {
    // Ids are >= 0, so prev + 1 == 0 only for the start marker.
    uint64_t prev = 0;
    for (int32_t t = 0; t < len; ++t, ++r) {
      const auto cur = static_cast<uint64_t>(static_cast<uint32_t>(ids[r])) + 1;
      out[r] = static_cast<int32_t>(mix((prev << 32) ^ cur) % n);
      prev = cur;
    }
  }
}

void hash_trigrams(std::span<const int32_t> ids, std::span<const int32_t> lengths, int buckets,
                   int32_t* out) {
  const auto n = static_cast<uint64_t>(buckets);
  // An odd multiplier keeps the third id from cancelling into the pair's hash bits.
  constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
  std::size_t r = 0;
  for (const int32_t len : lengths) {
    uint64_t prev2 = 0, prev = 0;
    for (int32_t t = 0; t < len; ++t, ++r) {
      const auto cur = static_cast<uint64_t>(static_cast<uint32_t>(ids[r])) + 1;
      out[r] = static_cast<int32_t>(mix(mix((prev2 << 32) ^ prev) + cur * kGolden) % n);
      prev2 = prev;
      prev = cur;
    }
  }
}

}  // namespace zhsenti::nn
