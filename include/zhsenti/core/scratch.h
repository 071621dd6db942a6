#pragma once
// Thread-local scratch buffers keep their capacity, so a thread's steady-state calls allocate
// nothing. A server runs dozens of threads, though, and one huge text must not pin its
// buffers in each of them for the rest of the process (issue 17's explanation soak: 64
// request threads × ~300 KB per 5,000-character text). A buffer grown past kScratchKeepBytes
// is handed back after use: the widest buffers keep about 1,000 characters' worth, and
// longer texts, rare and costly anyway, allocate for themselves.

#include <cstddef>
#include <type_traits>
#include <utility>

namespace zhsenti {

inline constexpr std::size_t kScratchKeepBytes = std::size_t{16} << 10;

// Each buffer needs capacity() and value_type. Swapped with an empty one rather than
// assigned: a std::string moved from a short string keeps its own allocation.
template <class... Buffers>
void release_if_large(Buffers&... buffers) {
  const auto release = [](auto& b) {
    using B = std::remove_reference_t<decltype(b)>;
    if (b.capacity() * sizeof(typename B::value_type) <= kScratchKeepBytes) return;
    B empty;
    std::swap(b, empty);
  };
  (release(buffers), ...);
}

}  // namespace zhsenti
