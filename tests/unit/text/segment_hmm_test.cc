// finalseg's BMES Viterbi and posseg's tagged Viterbi against jieba's own results (paths
// printed by jieba.finalseg.viterbi and POSTokenizer.__cut in python3-jieba 0.42).

#include <gtest/gtest.h>

#include <map>

#include "segment_test_util.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/hmm.h"
#include "zhsenti/text/pos_tagger.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

std::string bmes_path(const BmesModel& m, std::string_view text) {
  const std::u32string cps = utf8::decode(text);
  std::vector<std::uint8_t> scratch;
  std::vector<std::uint8_t> path(cps.size());
  m.viterbi(cps.data(), cps.size(), scratch, path.data());
  std::string out;
  for (const auto s : path) out += "BEMS"[s];
  return out;
}

TEST(BmesModel, ParsesJiebasTables) {
  const BmesTables t = load_bmes_tables(testing::jieba_dir() / "finalseg");
  EXPECT_EQ(t.head.start[kStateB], -0.26268660809250016);
  EXPECT_EQ(t.head.start[kStateE], -3.14e100);
  EXPECT_EQ(t.head.trans[kStateE * 4 + kStateS], -0.8085250474669937);
  EXPECT_EQ(t.head.trans[kStateB * 4 + kStateB], kMinFloat);  // B -> B is not in the table
  EXPECT_EQ(t.model().emit(U'一', kStateB), -3.6544978750449433);
}

TEST(BmesModel, ViterbiPathsMatchJieba) {
  const BmesTables t = load_bmes_tables(testing::jieba_dir() / "finalseg");
  const BmesModel m = t.model();
  EXPECT_EQ(bmes_path(m, "杭研"), "BE");
  EXPECT_EQ(bmes_path(m, "江大桥"), "BME");
  EXPECT_EQ(bmes_path(m, "来到了网易杭研大厦"), "SSSBESBME");
  EXPECT_EQ(bmes_path(m, "龘靐齉齾爩鬱灪麤"), "SSSSSSSS");
}

TEST(BmesModel, TiesGoToTheLargerState) {
  // Hand-written tables where whole families of paths score the same.
  const BmesTables t = load_bmes_tables(testing::test_data("tie_finalseg"));
  const BmesModel m = t.model();
  EXPECT_EQ(bmes_path(m, "甲甲甲"), "SSS");
  EXPECT_EQ(bmes_path(m, "甲乙甲"), "SSS");
  EXPECT_EQ(bmes_path(m, "丁丁"), "SS");  // no emissions at all: MIN_FLOAT everywhere
  EXPECT_EQ(bmes_path(m, "甲丙"), "ME");  // E after B or M, equal: M
  EXPECT_EQ(bmes_path(m, "甲甲丙"), "MME");
}

TEST(BmesModel, WordsFromPaths) {
  // finalseg.__cut, including a path that ends inside a word.
  const std::vector<std::uint8_t> path = {kStateB, kStateE, kStateS, kStateB, kStateM};
  std::vector<std::pair<std::size_t, std::size_t>> words;
  bmes_words(path.data(), path.size(),
             [&](std::size_t b, std::size_t e) { words.emplace_back(b, e); });
  EXPECT_EQ(words, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 2}, {2, 3}, {3, 5}}));
}

TEST(BmesModel, ReportsMalformedTables) {
  testing::ScratchDir dir;
  dir.write("f/prob_start.py", "P={'B': -0.2, 'E': -1e100, 'M': -1e100, 'S': -1.4}\n");
  dir.write("f/prob_trans.py", "P={'B': {'E': -0.5, 'M': -0.9},\n 'X': {}}\n");
  dir.write("f/prob_emit.py", "P={'B': {}}\n");
  EXPECT_THROW(load_bmes_tables(dir.path() / "f"), Error);
  dir.write("f/prob_trans.py", "P={'B': {'E': -0.5,\n 'M': oops}}\n");
  try {
    load_bmes_tables(dir.path() / "f");
    ADD_FAILURE() << "accepted a bad table";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("prob_trans.py:2:"), std::string::npos) << e.what();
  }
}

std::string pos_words(const PosModel& m, const std::map<std::uint16_t, std::string>& tags,
                      std::string_view text) {
  const std::u32string cps = utf8::decode(text);
  PosScratch scratch;
  m.viterbi(cps.data(), cps.size(), scratch);
  std::string out;
  m.words(scratch, cps.size(), [&](std::size_t b, std::size_t e, std::uint16_t tag) {
    if (!out.empty()) out += ' ';
    out += utf8::encode(std::u32string_view(cps).substr(b, e - b)) + "/" + tags.at(tag);
  });
  return out;
}

TEST(PosModel, ViterbiMatchesJiebaPosseg) {
  std::map<std::string, std::uint16_t, std::less<>> ids;
  std::map<std::uint16_t, std::string> names;
  const PosTables t = load_pos_tables(testing::jieba_dir() / "posseg", [&](std::string_view tag) {
    const auto it = ids.find(tag);
    if (it != ids.end()) return it->second;
    const auto id = static_cast<std::uint16_t>(ids.size());
    ids.emplace(std::string(tag), id);
    names.emplace(id, std::string(tag));
    return id;
  });
  const PosModel m(t.arrays());
  EXPECT_EQ(m.state_count(), 256u);
  EXPECT_EQ(pos_words(m, names, "杭研"), "杭/j 研/vn");
  EXPECT_EQ(pos_words(m, names, "江大桥"), "江大桥/ns");
  EXPECT_EQ(pos_words(m, names, "来到了网易杭研大厦"), "来到/v 了/ul 网易/n 杭研大厦/nt");
  EXPECT_EQ(pos_words(m, names, "龘靐齉齾爩鬱灪麤"), "龘/y 靐/x 齉/zg 齾/x 爩/zg 鬱/nr 灪/x 麤/zg");
}

}  // namespace
}  // namespace zhsenti::text
