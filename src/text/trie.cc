#include "zhsenti/text/trie.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "zhsenti/core/check.h"
#include "zhsenti/text/char_class.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {

TrieView::TrieView(std::span<const std::uint16_t> char_ids, std::span<const std::uint32_t> root,
                   std::span<const TrieSlot> slots)
    : char_ids_(char_ids), root_(root), slots_(slots) {
  ZHSENTI_CHECK_INTERNAL(char_ids.size() == kTrieCharLimit);
  ZHSENTI_CHECK_INTERNAL(std::has_single_bit(slots.size()));
  mask_ = slots.size() - 1;
  shift_ = 64 - std::countr_zero(slots.size());
}

std::uint32_t TrieView::find(const std::uint16_t* syms, std::size_t n) const {
  std::uint32_t node = kTrieNone;
  if (n == 0 || !root(syms[0], node)) return kTrieNone;
  for (std::size_t i = 1; i < n; ++i) {
    if (!child(node, syms[i])) return kTrieNone;
  }
  return node;
}

std::size_t TrieView::node_count() const {
  return static_cast<std::size_t>(std::count_if(
      slots_.begin(), slots_.end(), [](const TrieSlot& s) { return s.parent != kTrieEmpty; }));
}

TrieArrays build_trie(const FreqTable& table,
                      const std::function<std::uint16_t(std::string_view)>& tag_id) {
  struct Key {
    std::u32string cps;
    const std::string* word;
    std::int64_t freq;
  };
  std::vector<Key> keys;
  keys.reserve(table.entries().size());
  std::vector<char32_t> chars;
  for (const auto& [word, freq] : table.entries()) {
    std::u32string cps = utf8::decode(word);
    if (!std::all_of(cps.begin(), cps.end(), is_han_default)) continue;
    chars.insert(chars.end(), cps.begin(), cps.end());
    keys.push_back({std::move(cps), &word, freq});
  }
  std::sort(chars.begin(), chars.end());
  chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
  ZHSENTI_CHECK_INTERNAL(chars.size() < 0xFFFF);

  TrieArrays out;
  out.char_ids.assign(kTrieCharLimit, 0);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    out.char_ids[chars[i]] = static_cast<std::uint16_t>(i + 1);
  }
  out.root.assign(chars.size() + 1, kTrieNone);

  // Parents before children, and a fixed order so that the same dictionary gives the same
  // bytes whatever order the hash map iterates in.
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.cps.size() != b.cps.size() ? a.cps.size() < b.cps.size() : a.cps < b.cps;
  });
  const std::size_t size = std::max<std::size_t>(16, std::bit_ceil(keys.size() * 2));
  out.slots.assign(size, TrieSlot{kTrieEmpty, 0, 0, 0.0});
  const TrieView view(out.char_ids, out.root, out.slots);
  const std::size_t mask = size - 1;
  const int shift = 64 - std::countr_zero(size);
  const double log_total = std::log(static_cast<double>(table.total()));
  const std::uint16_t no_tag = tag_id("x");

  std::vector<std::uint16_t> syms;
  for (const Key& key : keys) {
    syms.resize(key.cps.size());
    for (std::size_t i = 0; i < syms.size(); ++i) syms[i] = out.char_ids[key.cps[i]];
    std::uint32_t parent = kTrieRoot;
    if (syms.size() > 1) {
      parent = view.find(syms.data(), syms.size() - 1);
      ZHSENTI_CHECK_INTERNAL(parent != kTrieNone);  // FREQ holds every prefix of a word
    }
    const std::uint16_t sym = syms.back();
    const std::uint64_t hkey = (std::uint64_t{parent} << 16) | sym;
    std::size_t i = static_cast<std::size_t>((hkey * 0x9E3779B97F4A7C15ULL) >> shift);
    while (out.slots[i].parent != kTrieEmpty) i = (i + 1) & mask;
    const auto tag = table.tags().find(*key.word);
    out.slots[i] = TrieSlot{
        parent, sym, tag == table.tags().end() ? no_tag : tag_id(tag->second),
        key.freq > 0 ? std::log(static_cast<double>(key.freq)) - log_total : kTrieNoWord};
    if (parent == kTrieRoot) out.root[sym] = static_cast<std::uint32_t>(i);
  }
  return out;
}

}  // namespace zhsenti::text
