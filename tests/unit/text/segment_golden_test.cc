// Golden test against jieba itself: a sample of the shared data sets plus hand-written tricky
// texts go through tools/jieba_oracle.py (python3-jieba via /usr/bin/python3) and through our
// segmenter; every view (words, POS, with and without the HMM, with a user dictionary) must
// be identical line for line.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "segment_test_util.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/rng.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;

fs::path shared_data_dir() {
  if (const char* env = std::getenv("ZHSENTI_DATA"); env && *env) return env;
  return fs::path(ZHSENTI_SOURCE_DIR) / ".." / "shared" / "data";
}

// Every `every`-th text_a of a ChnSentiCorp TSV (header `label<TAB>text_a`).
std::vector<std::string> tsv_texts(const fs::path& path, std::size_t every) {
  std::vector<std::string> out;
  const auto lines = testing::split_lines(read_file(path));
  for (std::size_t i = 1; i < lines.size(); i += every) {
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto tab = line.find('\t');
    if (tab != std::string_view::npos) out.emplace_back(line.substr(tab + 1));
  }
  return out;
}

// Every `every`-th value of column `column` of an RFC 4180 CSV (BOM, CRLF, quoted fields
// with "" and line breaks), as Python's csv module reads it.
std::vector<std::string> csv_column(const fs::path& path, std::size_t column, std::size_t every) {
  std::string data = read_file(path);
  if (data.starts_with("\xEF\xBB\xBF")) data.erase(0, 3);
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (quoted) {
      if (c == '"' && i + 1 < data.size() && data[i + 1] == '"')
        field += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
  std::vector<std::string> out;
  for (std::size_t i = 1; i < rows.size(); i += every) {
    if (rows[i].size() > column) out.push_back(rows[i][column]);
  }
  return out;
}

std::vector<std::string> tricky_texts() {
  std::vector<std::string> t = {
      "",
      "   ",
      "第一行\r\n第二行\n第三行\r最后",
      "iPhone6s的价格是5288元，比3.5%的利率高",
      "版本1.2.3发布了，支持C++和C#，R&D部门的e-mail是a_b@c.com",
      "100%满意！！！~~~ 50%+ 3.14159 1.5.3 ...... a.b.c -- ——",
      "１２３全角数字ＡＢＣ，全角空格\u3000后面",
      "太好了😀👍🏻👨‍👩‍👧[哈哈][心]//@用户:转发 http://t.cn/abc123",
      "這家酒店的服務很好，房間乾淨，下次還會再來",
      "我们中出了一个叛徒",
      "龘靐齉齾爩鬱灪麤 鿖鿗 㐀㐁 𠀀𠀁",
      "こんにちは안녕하세요 Привет مرحبا",
      "tab\tseparated\u00a0nbsp\u2028line\u200bzero width",
      "江州市长江大桥参加了长江大桥的通车仪式",
      "他来到了网易杭研大厦",
      "云计算和石墨烯是创新办的自定义词，凱特琳在台中，New York",
      "好评如潮好评如潮",
      "A股T恤3C卡拉OK的IT行业",
      "2020年1月1日，温度-5℃，湿度85%，PM2.5指数为120",
      "没有不好也没有很好，但是还可以",
      "___ +++ ### &&& %%% ---",
      "abc123def 456ghi 7.8.9 a1.5%b",
  };
  // Long runs: repeated known words and pseudo-random characters no dictionary covers.
  std::string longest;
  for (int i = 0; i < 200; ++i) longest += "非常满意";
  t.push_back(longest);
  Rng rng(7);
  std::string unknown;
  for (int i = 0; i < 600; ++i) {
    utf8::append(unknown, 0x4E00 + static_cast<char32_t>(rng.uniform_int(0x9FD5 - 0x4E00 + 1)));
  }
  t.push_back(unknown);
  return t;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::vector<std::string> golden_texts() {
  std::vector<std::string> texts = tricky_texts();
  const fs::path data = shared_data_dir();
  for (const auto& [file, every] : std::vector<std::pair<std::string, std::size_t>>{
           {"train.tsv", 97}, {"dev.tsv", 41}, {"test.tsv", 41}}) {
    const auto sample = tsv_texts(data / "chnsenticorp" / file, every);
    EXPECT_GT(sample.size(), 20u) << file;
    texts.insert(texts.end(), sample.begin(), sample.end());
  }
  const auto weibo = csv_column(data / "smp2020_ewect" / "usual_train.csv", 1, 139);
  EXPECT_GT(weibo.size(), 150u);
  texts.insert(texts.end(), weibo.begin(), weibo.end());
  return texts;
}

// Runs the oracle over `texts` and returns its output lines (views.size() per text).
std::vector<std::string> oracle(const std::vector<std::string>& texts, const std::string& views,
                                const std::string& extra_args) {
  ScratchDir dir;
  std::string input;
  for (const auto& t : texts) input += json_string(t) + "\n";
  const fs::path in = dir.write("texts.jsonl", input);
  const std::string cmd =
      fmt::format("/usr/bin/python3 '{}/tools/jieba_oracle.py' --json --views {} {} '{}'",
                  ZHSENTI_SOURCE_DIR, views, extra_args, in.string());
  return testing::split_lines(testing::run_command(cmd));
}

void expect_same(const std::vector<std::string>& texts, const std::vector<std::string>& got,
                 const std::vector<std::string>& want, const std::string& view) {
  ASSERT_EQ(got.size(), want.size());
  std::size_t bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i] != want[i] && ++bad <= 5) {
      ADD_FAILURE() << view << " differs on text " << i << ": " << texts[i].substr(0, 300)
                    << "\n  ours:  " << got[i] << "\n  jieba: " << want[i];
    }
  }
  EXPECT_EQ(bad, 0u) << view << ": " << bad << " of " << got.size() << " texts differ";
}

TEST(SegmenterGolden, AllViewsMatchJieba) {
  const auto texts = golden_texts();
  const auto expected = oracle(texts, "word,pos,word-nohmm,pos-nohmm", "");
  ASSERT_EQ(expected.size(), texts.size() * 4);
  const auto hmm = testing::real_segmenter(true);
  const auto plain = testing::real_segmenter(false);
  std::vector<std::string> got[4], want[4];
  for (std::size_t i = 0; i < texts.size(); ++i) {
    got[0].push_back(testing::cut_joined(*hmm, texts[i]));
    got[1].push_back(testing::cut_pos_joined(*hmm, texts[i]));
    got[2].push_back(testing::cut_joined(*plain, texts[i]));
    got[3].push_back(testing::cut_pos_joined(*plain, texts[i]));
    for (int v = 0; v < 4; ++v) want[v].push_back(expected[i * 4 + v]);
  }
  expect_same(texts, got[0], want[0], "words");
  expect_same(texts, got[1], want[1], "pos");
  expect_same(texts, got[2], want[2], "words, no HMM");
  expect_same(texts, got[3], want[3], "pos, no HMM");
}

std::string cut_mode_joined(const Segmenter& seg, std::string_view text, CutMode mode, bool hmm) {
  std::vector<std::string_view> tokens;
  seg.cut(text, tokens, CutOptions{mode, hmm, false});
  return testing::join(tokens);
}

std::string tokenize_joined(const Segmenter& seg, std::string_view text, CutMode mode) {
  std::vector<TokenSpan> tokens;
  seg.tokenize(text, tokens, CutOptions{mode, true, false});
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += fmt::format("{}/{}/{}", t.word, t.start, t.end);
  }
  return out;
}

TEST(SegmenterGolden, FullSearchAndTokenizeMatchJieba) {
  const auto texts = golden_texts();
  const auto expected = oracle(texts, "full,search,search-nohmm,tokenize,tokenize-search", "");
  constexpr std::size_t kViews = 5;
  ASSERT_EQ(expected.size(), texts.size() * kViews);
  const auto seg = testing::real_segmenter(true);
  std::vector<std::string> got[kViews], want[kViews];
  for (std::size_t i = 0; i < texts.size(); ++i) {
    got[0].push_back(cut_mode_joined(*seg, texts[i], CutMode::kFull, true));
    got[1].push_back(cut_mode_joined(*seg, texts[i], CutMode::kSearch, true));
    got[2].push_back(cut_mode_joined(*seg, texts[i], CutMode::kSearch, false));
    got[3].push_back(tokenize_joined(*seg, texts[i], CutMode::kDefault));
    got[4].push_back(tokenize_joined(*seg, texts[i], CutMode::kSearch));
    for (std::size_t v = 0; v < kViews; ++v) want[v].push_back(expected[i * kViews + v]);
  }
  expect_same(texts, got[0], want[0], "full");
  expect_same(texts, got[1], want[1], "search");
  expect_same(texts, got[2], want[2], "search, no HMM");
  expect_same(texts, got[3], want[3], "tokenize");
  expect_same(texts, got[4], want[4], "tokenize, search");
}

TEST(SegmenterGolden, UserDictionaryMatchesJieba) {
  std::vector<std::string> texts = tricky_texts();
  const auto user = testing::test_data("user_dict.txt");
  const auto expected = oracle(texts, "word,pos", fmt::format("--user-dict '{}'", user.string()));
  ASSERT_EQ(expected.size(), texts.size() * 2);
  SegmenterOptions options;
  options.cache_dir = testing::shared_cache_dir();
  options.user_dicts = {user};
  const auto seg = Segmenter::load(options);
  std::vector<std::string> got[2], want[2];
  for (std::size_t i = 0; i < texts.size(); ++i) {
    got[0].push_back(testing::cut_joined(*seg, texts[i]));
    got[1].push_back(testing::cut_pos_joined(*seg, texts[i]));
    want[0].push_back(expected[i * 2]);
    want[1].push_back(expected[i * 2 + 1]);
  }
  expect_same(texts, got[0], want[0], "words + user dict");
  expect_same(texts, got[1], want[1], "pos + user dict");
  // The user dictionary really changed something (force split, new words, a new tag).
  EXPECT_NE(got[0][14].find("杭 研"), std::string::npos) << got[0][14];
  EXPECT_NE(got[1][15].find("石墨烯/tech"), std::string::npos) << got[1][15];
}

}  // namespace
}  // namespace zhsenti::text
