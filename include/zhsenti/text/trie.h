#pragma once
// The word trie the segmenter walks: every key of jieba's FREQ made only of characters that can
// occur in a Chinese block (char_class.h: is_han_default), keyed by code point (all such
// characters are below U+A000, so a code point is its own 16-bit key).
//
// Layout, chosen from cache-miss profiles of the route computation (see docs in trie.cc):
// - nodes numbered breadth first (0 is the root): the children of node p are the consecutive
//   nodes [nodes[p].first_child, nodes[p + 1].first_child), sorted by code point. A node is 8
//   bytes (first child, code point, weight id), so one cache line both finds a child and gives
//   its weight and its own children's range;
// - first characters come from a table indexed by code point;
// - second characters come from a hash table keyed by the two code points. Common first
//   characters have hundreds of children, where a search would touch several cache lines; the
//   hash needs one, and as its key is known from the text alone the segmenter can prefetch it
//   a few positions ahead. Entries repeat the node's child range and weight id.
// Weights are looked up by id in a small table of the distinct values (jieba's dictionary has
// about 5,000 distinct frequencies); beyond 65,534 distinct values the rest would come from a
// per-node overflow array. The arrays are plain data, usable straight from an mmap'ed cache.

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "zhsenti/text/dict.h"

namespace zhsenti::text {

inline constexpr std::uint32_t kTrieNone = 0xFFFFFFFF;
inline constexpr double kTrieNoWord = std::numeric_limits<double>::infinity();
// Every character a key can hold is below this code point (CJK ends at U+9FD5).
inline constexpr char32_t kTrieCharLimit = 0xA000;
inline constexpr std::uint16_t kTrieOverflow = 0xFFFF;

struct TrieNode {
  std::uint32_t first_child;
  std::uint16_t key;  // code point
  std::uint16_t wid;  // weights[wid]; kTrieOverflow: weight_overflow[node]
};
static_assert(sizeof(TrieNode) == 8);

struct TrieBigram {
  std::uint32_t key;  // first << 16 | second; 0 marks a free slot
  std::uint32_t node;
  std::uint32_t first_child;
  std::uint16_t child_count;
  std::uint16_t wid;
};
static_assert(sizeof(TrieBigram) == 16);

struct TrieSpans {
  std::span<const std::uint32_t> root_child;  // kTrieCharLimit entries: code point -> node,
                                              // 0 when no key starts with it
  std::span<const TrieNode> nodes;            // node count + 1 (the last only ends the runs)
  std::span<const TrieBigram> bigrams;        // a power of two in size
  std::span<const double> weights;            // log(freq) - log(total); [0] = kTrieNoWord
  std::span<const double> weight_overflow;    // per node, or empty when no wid overflows
  std::span<const std::uint16_t> tag;         // per node: tag id of word_tag_tab.get(key, 'x')
};

// A position in the trie with what the next step needs, so that a step reads one entry.
struct TrieCursor {
  std::uint32_t node;
  std::uint32_t first;  // children: [first, end)
  std::uint32_t end;
  std::uint16_t wid;
  std::uint16_t key;  // code point of a first character, 0 deeper down
};

class TrieView {
 public:
  TrieView() = default;
  // Checks shapes and that every index stays in range; throws Error(kFormat) otherwise.
  explicit TrieView(const TrieSpans& s);

  // The key of a block character (is_han_default: always below kTrieCharLimit).
  static std::uint16_t sym(char32_t c) {
    return c < kTrieCharLimit ? static_cast<std::uint16_t>(c) : 0;
  }

  bool root(std::uint16_t c, TrieCursor& cur) const {
    const std::uint32_t node = root_child_[c];
    const TrieNode& rec = nodes_[node];
    cur = {node, rec.first_child, nodes_[node + 1].first_child, rec.wid, c};
    return node != 0;
  }

  static bool has_children(const TrieCursor& cur) { return cur.first != cur.end; }

  bool child(TrieCursor& cur, std::uint16_t c) const {
    if (cur.key != 0) {
      const std::uint32_t key = (std::uint32_t{cur.key} << 16) | c;
      for (std::size_t i = home(cur.key, c);; i = (i + 1) & bigram_mask_) {
        const TrieBigram& b = bigrams_[i];
        if (b.key == key) {
          cur = {b.node, b.first_child, b.first_child + b.child_count, b.wid, 0};
          return true;
        }
        if (b.key == 0) return false;
      }
    }
    for (std::uint32_t i = cur.first; i < cur.end; ++i) {
      if (nodes_[i].key == c) {
        cur = {i, nodes_[i].first_child, nodes_[i + 1].first_child, nodes_[i].wid, 0};
        return true;
      }
    }
    return false;
  }

  // Starts loading the entry child() will read for the two characters.
  void prefetch(std::uint16_t first, std::uint16_t second) const {
    __builtin_prefetch(&bigrams_[home(first, second)]);
  }

  double weight(const TrieCursor& cur) const {
    return cur.wid != kTrieOverflow ? weights_[cur.wid] : weight_overflow_[cur.node];
  }
  std::uint16_t tag(std::uint32_t node) const { return tag_[node]; }

  // The node of a whole word given as code points, or kTrieNone.
  std::uint32_t find(const std::uint16_t* syms, std::size_t n) const;
  std::size_t node_count() const { return tag_.size(); }

  static std::size_t bigram_home(std::uint16_t first, std::uint16_t second, int shift) {
    const std::uint64_t key = (std::uint64_t{first} << 16) | second;
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift);
  }

 private:
  std::size_t home(std::uint16_t first, std::uint16_t second) const {
    return bigram_home(first, second, bigram_shift_);
  }

  std::span<const std::uint32_t> root_child_;
  std::span<const TrieNode> nodes_;
  std::span<const TrieBigram> bigrams_;
  std::span<const double> weights_;
  std::span<const double> weight_overflow_;
  std::span<const std::uint16_t> tag_;
  std::size_t bigram_mask_ = 0;
  int bigram_shift_ = 63;
};

struct TrieArrays {
  std::vector<std::uint32_t> root_child;
  std::vector<TrieNode> nodes;
  std::vector<TrieBigram> bigrams;
  std::vector<double> weights;
  std::vector<double> weight_overflow;
  std::vector<std::uint16_t> tag;
  TrieSpans spans() const { return {root_child, nodes, bigrams, weights, weight_overflow, tag}; }
};

// Builds the trie from FREQ. tag_id maps a tag string to its id (words without a tag get
// tag_id("x"), as word_tag_tab.get(word, 'x') does).
TrieArrays build_trie(const FreqTable& table,
                      const std::function<std::uint16_t(std::string_view)>& tag_id);

}  // namespace zhsenti::text
