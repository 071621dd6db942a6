#pragma once
// The word trie the segmenter walks: every key of jieba's FREQ made only of characters that can
// occur in a Chinese block (char_class.h: is_han_default), keyed by code point.
//
// Layout: an open-addressing hash table of 16-byte slots. The node for prefix p+c lives in the
// first slot, probing linearly from hash(node(p), id(c)), whose (parent, sym) equals
// (node(p), id(c)); a node's id is its slot index. One probe is usually one cache line, so
// extending a prefix by one character costs about one memory access. First characters are
// found through a direct table. The arrays are plain data, usable straight from an mmap'ed
// cache file.

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "zhsenti/text/dict.h"

namespace zhsenti::text {

struct TrieSlot {
  std::uint32_t parent;  // kTrieEmpty: free slot; kTrieRoot: a first character
  std::uint16_t sym;     // character id (TrieView::sym)
  std::uint16_t tag;     // POS tag id of word_tag_tab.get(word, 'x')
  double weight;         // log(freq) - log(total); kTrieNoWord when freq == 0 (a prefix only)
};
static_assert(sizeof(TrieSlot) == 16);

inline constexpr std::uint32_t kTrieEmpty = 0xFFFFFFFF;
inline constexpr std::uint32_t kTrieRoot = 0xFFFFFFFE;
inline constexpr std::uint32_t kTrieNone = 0xFFFFFFFF;
inline constexpr double kTrieNoWord = std::numeric_limits<double>::infinity();
// Characters with an id are all below this code point (CJK ends at U+9FD5).
inline constexpr char32_t kTrieCharLimit = 0xA000;

class TrieView {
 public:
  TrieView() = default;
  // char_ids: kTrieCharLimit entries (0 = no word contains the character); root: first
  // character id -> slot; slots: a power of two in size.
  TrieView(std::span<const std::uint16_t> char_ids, std::span<const std::uint32_t> root,
           std::span<const TrieSlot> slots);

  std::uint16_t sym(char32_t c) const { return c < kTrieCharLimit ? char_ids_[c] : 0; }

  bool root(std::uint16_t sym, std::uint32_t& node) const {
    if (sym >= root_.size()) return false;
    node = root_[sym];
    return node != kTrieNone;
  }

  bool child(std::uint32_t& node, std::uint16_t sym) const {
    const std::uint64_t key = (std::uint64_t{node} << 16) | sym;
    std::size_t i = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
    for (;;) {
      const TrieSlot& s = slots_[i];
      if (s.parent == node && s.sym == sym) {
        node = static_cast<std::uint32_t>(i);
        return true;
      }
      if (s.parent == kTrieEmpty) return false;
      i = (i + 1) & mask_;
    }
  }

  double weight(std::uint32_t node) const { return slots_[node].weight; }
  std::uint16_t tag(std::uint32_t node) const { return slots_[node].tag; }

  // The node of a whole word given as character ids, or kTrieNone.
  std::uint32_t find(const std::uint16_t* syms, std::size_t n) const;
  std::size_t node_count() const;

 private:
  std::span<const std::uint16_t> char_ids_;
  std::span<const std::uint32_t> root_;
  std::span<const TrieSlot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
};

struct TrieArrays {
  std::vector<std::uint16_t> char_ids;
  std::vector<std::uint32_t> root;
  std::vector<TrieSlot> slots;
  TrieView view() const { return TrieView(char_ids, root, slots); }
};

// Builds the trie from FREQ. tag_id maps a tag string to its id (word_tag_tab.get(w, 'x')
// is resolved by the caller passing "x" for words without a tag).
TrieArrays build_trie(const FreqTable& table,
                      const std::function<std::uint16_t(std::string_view)>& tag_id);

}  // namespace zhsenti::text
