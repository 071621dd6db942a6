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
  // 1. A temporary trie in insertion order; edges in an open-addressing map keyed by
  //    parent << 16 | code point (no string is built per prefix).
  struct Temp {
    std::uint32_t parent;
    std::uint16_t cp;
    std::int64_t freq;
    const std::string* word;
  };
  std::vector<Temp> temp{{0, 0, 0, nullptr}};
  temp.reserve(table.entries().size() + 1);
  const std::size_t edge_slots = std::bit_ceil(table.entries().size() * 2 + 16);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> edges(edge_slots, {~std::uint64_t{0}, 0});
  std::u32string cps;
  for (const auto& [word, freq] : table.entries()) {
    cps = utf8::decode(word);
    if (!std::all_of(cps.begin(), cps.end(), is_han_default)) continue;
    static_assert(kHanLast < kTrieCharLimit);
    std::uint32_t node = 0;
    for (const char32_t c : cps) {
      const std::uint64_t key = (std::uint64_t{node} << 16) | c;
      std::size_t slot =
          static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & (edge_slots - 1);
      while (edges[slot].first != key && edges[slot].first != ~std::uint64_t{0}) {
        slot = (slot + 1) & (edge_slots - 1);
      }
      if (edges[slot].first != key) {
        edges[slot] = {key, static_cast<std::uint32_t>(temp.size())};
        temp.push_back({node, TrieView::sym(c), 0, nullptr});
      }
      node = edges[slot].second;
    }
    temp[node].freq = freq;
    temp[node].word = &word;
  }
  edges = {};
  const std::size_t n = temp.size();

  // 2. Children of each temporary node, sorted by code point.
  std::vector<std::uint32_t> kid_begin(n + 1, 0);
  for (std::size_t u = 1; u < n; ++u) ++kid_begin[temp[u].parent + 1];
  for (std::size_t u = 0; u < n; ++u) kid_begin[u + 1] += kid_begin[u];
  std::vector<std::uint32_t> kids(n - 1);
  std::vector<std::uint32_t> fill(kid_begin.begin(), kid_begin.end() - 1);
  for (std::size_t u = 1; u < n; ++u) kids[fill[temp[u].parent]++] = static_cast<std::uint32_t>(u);
  for (std::size_t u = 0; u < n; ++u) {
    std::sort(kids.begin() + kid_begin[u], kids.begin() + kid_begin[u + 1],
              [&](std::uint32_t a, std::uint32_t b) { return temp[a].cp < temp[b].cp; });
  }

  // 3. Breadth-first numbering: the children of each node become one consecutive run.
  std::vector<std::uint32_t> order{0};
  order.reserve(n);
  TrieArrays out;
  out.nodes.assign(n + 1, TrieNode{0, 0, 0});
  out.root_child.assign(kTrieCharLimit, 0);
  out.tag.assign(n, tag_id("x"));
  out.weights.push_back(kTrieNoWord);
  std::unordered_map<std::int64_t, std::uint16_t> wids;
  const double log_total = std::log(static_cast<double>(table.total()));
  for (std::size_t v = 0; v < order.size(); ++v) {
    const Temp& t = temp[order[v]];
    TrieNode& rec = out.nodes[v];
    rec.first_child = static_cast<std::uint32_t>(order.size());
    for (std::uint32_t k = kid_begin[order[v]]; k < kid_begin[order[v] + 1]; ++k) {
      order.push_back(kids[k]);
    }
    if (v == 0) continue;
    rec.key = t.cp;
    if (t.parent == 0) out.root_child[t.cp] = static_cast<std::uint32_t>(v);
    if (t.word) {
      const auto tag = table.tags().find(*t.word);
      if (tag != table.tags().end()) out.tag[v] = tag_id(tag->second);
    }
    if (t.freq <= 0) continue;
    const auto it = wids.find(t.freq);
    if (it != wids.end()) {
      rec.wid = it->second;
    } else if (out.weights.size() < kTrieOverflow) {
      rec.wid = static_cast<std::uint16_t>(out.weights.size());
      wids.emplace(t.freq, rec.wid);
      out.weights.push_back(std::log(static_cast<double>(t.freq)) - log_total);
    } else {
      if (out.weight_overflow.empty()) out.weight_overflow.assign(n, kTrieNoWord);
      rec.wid = kTrieOverflow;
      out.weight_overflow[v] = std::log(static_cast<double>(t.freq)) - log_total;
    }
  }
  out.nodes[n].first_child = static_cast<std::uint32_t>(n);

  // 4. Second characters: the hash keyed by both code points (nodes whose parent is a first
  //    character, i.e. ids between the first characters' run and its children's).
  const std::uint32_t depth1_end = out.nodes[1].first_child;
  const std::uint32_t depth2_end = out.nodes[depth1_end].first_child;
  const std::size_t second = depth2_end - depth1_end;
  const std::size_t slots = std::max<std::size_t>(16, std::bit_ceil(second * 4 / 3 + 1));
  const int shift = 64 - std::countr_zero(slots);
  out.bigrams.assign(slots, TrieBigram{0, 0, 0, 0, 0});
  for (std::uint32_t first = 1; first < depth1_end; ++first) {
    for (std::uint32_t node = out.nodes[first].first_child; node < out.nodes[first + 1].first_child;
         ++node) {
      const std::uint16_t a = out.nodes[first].key;
      const std::uint16_t b = out.nodes[node].key;
      std::size_t slot = TrieView::bigram_home(a, b, shift);
      while (out.bigrams[slot].key != 0) slot = (slot + 1) & (slots - 1);
      const std::uint32_t count = out.nodes[node + 1].first_child - out.nodes[node].first_child;
      ZHSENTI_CHECK_INTERNAL(count <= 0xFFFF);
      out.bigrams[slot] =
          TrieBigram{(std::uint32_t{a} << 16) | b, node, out.nodes[node].first_child,
                     static_cast<std::uint16_t>(count), out.nodes[node].wid};
    }
  }
  return out;
}

}  // namespace zhsenti::text
