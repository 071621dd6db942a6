#pragma once
// A fast non-cryptographic 64-bit hash for short tokens (Chinese words are 3-12 bytes):
// 8 bytes per multiply, then a murmur3-style finaliser. Deterministic on every platform.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace zhsenti::vocab::detail {

inline std::uint64_t token_hash(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = 0xCBF29CE484222325ULL ^ (s.size() * kMul);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * kMul;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace zhsenti::vocab::detail
