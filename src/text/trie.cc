#include "zhsenti/text/trie.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <unordered_map>

#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/char_class.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

[[noreturn]] void bad_trie(std::string_view what) {
  throw Error(ErrorCode::kFormat, fmt::format("segmenter trie: {}", what));
}

}  // namespace

TrieView::TrieView(const TrieSpans& s)
    : root_child_(s.root_child),
      nodes_(s.nodes),
      bigrams_(s.bigrams),
      weights_(s.weights),
      weight_overflow_(s.weight_overflow),
      tag_(s.tag) {
  const std::size_t n = tag_.size();
  if (n == 0 || nodes_.size() != n + 1) bad_trie("node arrays of different sizes");
  if (weights_.empty() || weights_.size() >= kTrieOverflow || weights_[0] != kTrieNoWord) {
    bad_trie("bad weight table");
  }
  if (!weight_overflow_.empty() && weight_overflow_.size() != n) bad_trie("bad overflow weights");
  if (root_child_.size() != kTrieCharLimit || root_child_[0] != 0) {
    bad_trie("bad first-character table");
  }
  if (bigrams_.size() < 2 || !std::has_single_bit(bigrams_.size())) bad_trie("bad bigram table");
  bigram_mask_ = bigrams_.size() - 1;
  bigram_shift_ = 64 - std::countr_zero(bigrams_.size());
  // Runs are in order, end at n and children come after their parent: walks stay in [1, n).
  if (nodes_[n].first_child != n) bad_trie("child ranges do not end at the node count");
  for (std::size_t p = 0; p < n; ++p) {
    const TrieNode& node = nodes_[p];
    if (node.first_child > nodes_[p + 1].first_child) bad_trie("child ranges out of order");
    if (node.first_child <= p && node.first_child != nodes_[p + 1].first_child) {
      bad_trie("child before parent");
    }
    if (node.wid == kTrieOverflow ? weight_overflow_.empty() : node.wid >= weights_.size()) {
      bad_trie("weight id out of range");
    }
  }
  const std::uint32_t depth1_end = nodes_[1].first_child;  // first characters are 1 .. here
  std::size_t free_slots = 0;
  for (const std::uint32_t c : root_child_) {
    if (c >= depth1_end) bad_trie("first-character node out of range");
  }
  for (const TrieBigram& b : bigrams_) {
    if (b.key == 0) {
      ++free_slots;
      continue;
    }
    // The entry must repeat its node exactly, and the node must be a second character.
    if (b.node < depth1_end || b.node >= n || b.first_child != nodes_[b.node].first_child ||
        b.first_child + b.child_count != nodes_[b.node + 1].first_child ||
        b.wid != nodes_[b.node].wid || (b.key & 0xFFFF) != nodes_[b.node].key) {
      bad_trie("bigram entry disagrees with its node");
    }
  }
  if (free_slots == 0) bad_trie("bigram table without a free slot");
}

std::uint32_t TrieView::find(const std::uint16_t* syms, std::size_t n) const {
  TrieCursor cur;
  if (n == 0 || !root(syms[0], cur)) return kTrieNone;
  for (std::size_t i = 1; i < n; ++i) {
    if (!child(cur, syms[i])) return kTrieNone;
  }
  return cur.node;
}

TrieArrays build_trie(const FreqTable& table,
                      const std::function<std::uint16_t(std::string_view)>& tag_id) {
  struct Key {
    std::u32string cps;
    const std::string* word;
    std::int64_t freq;
    std::uint32_t parent = 0;
  };
  std::vector<Key> keys;
  keys.reserve(table.entries().size());
  for (const auto& [word, freq] : table.entries()) {
    std::u32string cps = utf8::decode(word);
    if (!std::all_of(cps.begin(), cps.end(), is_han_default)) continue;
    keys.push_back({std::move(cps), &word, freq});
  }
  static_assert(kHanLast < kTrieCharLimit);
  TrieArrays out;

  // Breadth first: by depth, then by parent node, then by character. Parents are numbered
  // before their children, so each depth can look its parents up by prefix.
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.cps.size() != b.cps.size() ? a.cps.size() < b.cps.size() : a.cps < b.cps;
  });
  std::unordered_map<std::u32string, std::uint32_t> ids;
  ids.reserve(keys.size());
  std::size_t begin = 0;
  std::uint32_t next_id = 1;
  while (begin < keys.size()) {
    std::size_t end = begin;
    while (end < keys.size() && keys[end].cps.size() == keys[begin].cps.size()) ++end;
    for (std::size_t i = begin; i < end; ++i) {
      if (keys[i].cps.size() == 1) continue;
      // FREQ holds every prefix of a word, so the parent has an id already.
      const auto it = ids.find(keys[i].cps.substr(0, keys[i].cps.size() - 1));
      ZHSENTI_CHECK_INTERNAL(it != ids.end());
      keys[i].parent = it->second;
    }
    std::sort(keys.begin() + static_cast<std::ptrdiff_t>(begin),
              keys.begin() + static_cast<std::ptrdiff_t>(end), [&](const Key& a, const Key& b) {
                return a.parent != b.parent ? a.parent < b.parent : a.cps.back() < b.cps.back();
              });
    for (std::size_t i = begin; i < end; ++i) ids.emplace(keys[i].cps, next_id++);
    begin = end;
  }

  const std::size_t n = keys.size() + 1;
  const double log_total = std::log(static_cast<double>(table.total()));
  const std::uint16_t no_tag = tag_id("x");
  out.root_child.assign(kTrieCharLimit, 0);
  out.nodes.assign(n + 1, TrieNode{0, 0, 0});
  out.tag.assign(n, no_tag);
  out.weights.push_back(kTrieNoWord);
  std::unordered_map<std::int64_t, std::uint16_t> wids;
  std::vector<std::uint32_t> child_count(n, 0);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Key& key = keys[i];
    const auto node = static_cast<std::uint32_t>(i + 1);
    TrieNode& rec = out.nodes[node];
    rec.key = TrieView::sym(key.cps.back());
    if (key.freq > 0) {
      const double w = std::log(static_cast<double>(key.freq)) - log_total;
      const auto it = wids.find(key.freq);
      if (it != wids.end()) {
        rec.wid = it->second;
      } else if (out.weights.size() < kTrieOverflow) {
        rec.wid = static_cast<std::uint16_t>(out.weights.size());
        wids.emplace(key.freq, rec.wid);
        out.weights.push_back(w);
      } else {
        if (out.weight_overflow.empty()) out.weight_overflow.assign(n, kTrieNoWord);
        rec.wid = kTrieOverflow;
        out.weight_overflow[node] = w;
      }
    }
    const auto tag = table.tags().find(*key.word);
    if (tag != table.tags().end()) out.tag[node] = tag_id(tag->second);
    if (key.cps.size() == 1) out.root_child[rec.key] = node;
    ++child_count[key.parent];
  }
  // The root's children are the first characters (found through root_child instead), so the
  // root's own run is empty.
  std::uint32_t start = 1 + child_count[0];
  for (std::size_t p = 1; p < n; ++p) {
    out.nodes[p].first_child = start;
    start += child_count[p];
  }
  out.nodes[0].first_child = out.nodes[1].first_child;
  out.nodes[n].first_child = start;

  std::size_t second = 0;
  for (const Key& key : keys) second += key.cps.size() == 2;
  const std::size_t slots = std::max<std::size_t>(16, std::bit_ceil(second * 4 / 3));
  const int shift = 64 - std::countr_zero(slots);
  out.bigrams.assign(slots, TrieBigram{0, 0, 0, 0, 0});
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Key& key = keys[i];
    if (key.cps.size() != 2) continue;
    const auto node = static_cast<std::uint32_t>(i + 1);
    const auto a = TrieView::sym(key.cps[0]);
    const auto b = TrieView::sym(key.cps[1]);
    std::size_t slot = TrieView::bigram_home(a, b, shift);
    while (out.bigrams[slot].key != 0) slot = (slot + 1) & (slots - 1);
    const std::uint32_t count = out.nodes[node + 1].first_child - out.nodes[node].first_child;
    ZHSENTI_CHECK_INTERNAL(count <= 0xFFFF);
    out.bigrams[slot] = TrieBigram{(std::uint32_t{a} << 16) | b, node, out.nodes[node].first_child,
                                   static_cast<std::uint16_t>(count), out.nodes[node].wid};
  }
  return out;
}

}  // namespace zhsenti::text
