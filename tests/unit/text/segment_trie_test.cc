// The breadth-first trie: every FREQ key of block characters is a node, prefixes with
// frequency 0 are nodes without a word weight, keys with other characters are left out.

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "segment_test_util.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/trie.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

std::vector<std::uint16_t> syms(std::u32string_view s) {
  std::vector<std::uint16_t> out;
  for (const char32_t c : s) out.push_back(TrieView::sym(c));
  return out;
}

struct Built {
  FreqTable table;
  std::map<std::string, std::uint16_t, std::less<>> tag_ids;
  TrieArrays arrays;
  TrieView view;
};

std::unique_ptr<Built> build(const std::string& dict) {
  testing::ScratchDir dir;
  auto b = std::make_unique<Built>();
  b->table.load_main_dict(dir.write("dict.txt", dict));
  b->arrays = build_trie(b->table, [&](std::string_view tag) {
    const auto it = b->tag_ids.find(tag);
    if (it != b->tag_ids.end()) return it->second;
    const auto id = static_cast<std::uint16_t>(b->tag_ids.size());
    b->tag_ids.emplace(std::string(tag), id);
    return id;
  });
  b->view = TrieView(b->arrays.spans());
  return b;
}

std::uint32_t find(const TrieView& v, std::u32string_view word) {
  const auto s = syms(word);
  return v.find(s.data(), s.size());
}

// The cursor of a key that exists.
TrieCursor at(const TrieView& v, std::u32string_view word) {
  TrieCursor cur{};
  EXPECT_TRUE(v.root(TrieView::sym(word[0]), cur));
  for (std::size_t i = 1; i < word.size(); ++i) EXPECT_TRUE(v.child(cur, TrieView::sym(word[i])));
  EXPECT_EQ(cur.node, find(v, word));
  return cur;
}

TEST(Trie, WordsPrefixesAndWeights) {
  const auto b = build("甲 1 n\n乙 1 v\n丙 1 x\n甲乙 1 n\n乙丙 1 nz\n丁戊己 3 i\n丁 0 m\n");
  const TrieView& v = b->view;
  EXPECT_EQ(v.node_count(), 9u);  // the root and the 8 keys of FREQ
  const double log_total = std::log(8.0);
  EXPECT_EQ(v.weight(at(v, U"甲乙")), std::log(1.0) - log_total);
  EXPECT_EQ(v.weight(at(v, U"丁戊己")), std::log(3.0) - log_total);
  EXPECT_EQ(v.weight(at(v, U"丁戊")), kTrieNoWord);  // prefix only
  EXPECT_EQ(v.weight(at(v, U"丁")), kTrieNoWord);    // a word of frequency 0
  EXPECT_EQ(find(v, U"戊"), kTrieNone);
  EXPECT_EQ(find(v, U"甲乙丙"), kTrieNone);
  EXPECT_TRUE(TrieView::has_children(at(v, U"丁")));
  EXPECT_TRUE(TrieView::has_children(at(v, U"丁戊")));
  EXPECT_FALSE(TrieView::has_children(at(v, U"丁戊己")));
  EXPECT_FALSE(TrieView::has_children(at(v, U"丙")));
  EXPECT_EQ(v.tag(find(v, U"乙丙")), b->tag_ids.at("nz"));
  EXPECT_EQ(v.tag(find(v, U"丁戊")), b->tag_ids.at("x"));  // not in word_tag_tab
}

TEST(Trie, ChildrenAreFoundInWideAndNarrowNodes) {
  // One parent with 300 children exercises the binary search, others the linear scan.
  std::string dict = "中 5 n\n";
  std::u32string children;
  for (char32_t c = 0x4E00; c < 0x4E00 + 300; ++c) {
    std::string word = "中";
    utf8::append(word, c);
    dict += word + " " + std::to_string(c % 7 + 1) + " n\n";
    std::string deeper = "中一";  // and 300 third characters under one second
    utf8::append(deeper, c);
    dict += deeper + " 2 n\n";
    children += c;
  }
  const auto b = build(dict);
  const TrieView& v = b->view;
  for (const char32_t c : children) {
    const std::u32string w = std::u32string(U"中") + c;
    EXPECT_EQ(v.weight(at(v, w)), std::log(static_cast<double>(c % 7 + 1)) -
                                      std::log(static_cast<double>(b->table.total())));
  }
  for (const char32_t c : children) {
    EXPECT_NE(find(v, std::u32string(U"中一") + c), kTrieNone);
  }
  EXPECT_EQ(find(v, U"中一\u9FA0"), kTrieNone);
  EXPECT_EQ(find(v, U"中\u9FA0"), kTrieNone);
  EXPECT_EQ(find(v, U"中a"), kTrieNone);
}

TEST(Trie, KeysWithCharactersOutsideBlocksAreLeftOut) {
  const auto b = build("甲 1 n\n甲·乙 2 n\nAB 3 eng\nA股 4 n\n");
  const TrieView& v = b->view;
  EXPECT_NE(find(v, U"甲"), kTrieNone);
  EXPECT_EQ(find(v, U"甲·"), kTrieNone);  // '·' can never be inside a block
  EXPECT_NE(find(v, U"AB"), kTrieNone);
  EXPECT_NE(find(v, U"A股"), kTrieNone);
  EXPECT_EQ(v.weight(at(v, U"A")), kTrieNoWord);
}

TEST(Trie, RejectsInconsistentArrays) {
  const auto b = build("甲 1 n\n甲乙 1 n\n");
  TrieArrays broken = b->arrays;
  broken.nodes[1].first_child = 0;  // a child range pointing backwards
  EXPECT_THROW(TrieView{broken.spans()}, Error);
  broken = b->arrays;
  broken.root_child[0x4E59] = 99;  // a node that does not exist
  EXPECT_THROW(TrieView{broken.spans()}, Error);
  broken = b->arrays;
  broken.nodes[2].wid = 7;  // a weight id past the table
  EXPECT_THROW(TrieView{broken.spans()}, Error);
  broken = b->arrays;
  for (auto& e : broken.bigrams) e.wid ^= e.key != 0 ? 1 : 0;  // entries disagree with nodes
  EXPECT_THROW(TrieView{broken.spans()}, Error);
}

}  // namespace
}  // namespace zhsenti::text
