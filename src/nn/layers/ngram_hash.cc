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

}  // namespace zhsenti::nn
