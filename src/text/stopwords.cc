#include "zhsenti/text/stopwords.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "clean/clean_chars.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/lines.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

// Grouped by why removing them hurts; each group lists what the HIT, cn and Baidu lists carry
// plus close relatives a user's own list is likely to hold.
constexpr std::string_view kNegators[] = {
    "不",     "没",     "没有",   "无",   "非",     "未",     "别",     "莫",   "勿",
    "毋",     "甭",     "否",     "不是", "不要",   "不会",   "不能",   "不可", "不够",
    "不足",   "不得",   "不敢",   "不必", "不用",   "不再",   "不曾",   "未曾", "并不",
    "并不是", "并没有", "并非",   "毫不", "毫无",   "无法",   "从不",   "从未", "从没",
    "决不",   "绝不",   "绝非",   "不如", "不比",   "不怕",   "不至于", "不尽", "不尽然",
    "没奈何", "却不",   "非但不", "木有", "没什么", "不怎么", "不太"};
constexpr std::string_view kDegree[] = {
    "很",   "太",   "非常", "极",   "极其", "极了", "极度", "十分", "特别",   "尤其",
    "尤为", "格外", "分外", "相当", "挺",   "蛮",   "颇",   "颇为", "有点",   "有点儿",
    "有些", "稍",   "稍微", "略",   "略微", "比较", "较",   "更",   "更加",   "最",
    "最为", "好",   "多么", "过于", "太过", "大大", "完全", "绝对", "根本",   "彻底",
    "真",   "真是", "真正", "实在", "简直", "超",   "超级", "越",   "越来越", "愈",
    "愈加", "万分", "异常", "贼",   "贼死", "的确", "确实", "一点", "一点儿", "丝毫"};
constexpr std::string_view kAdversatives[] = {
    "但",   "但是", "可是", "可",   "不过", "然而", "却",     "而",   "而是", "只是", "反而",
    "反倒", "倒",   "倒是", "偏偏", "虽然", "虽",   "虽说",   "虽则", "尽管", "固然", "其实",
    "竟然", "居然", "不料", "谁知", "谁料", "孰料", "没想到", "还",   "还是"};
// Interjections that are the sentiment of a Weibo post (laughing, sighing, contempt, fear).
constexpr std::string_view kInterjections[] = {"哈", "哈哈", "呵呵", "嘿嘿", "嘻", "嘻嘻",
                                               "唉", "哎",   "哎呀", "哎哟", "呸", "哼",
                                               "呜", "呜呼", "呜呜", "吓"};
// Sentiment words that slipped into the generic lists (mostly Baidu's).
constexpr std::string_view kSentimentWords[] = {
    "好的", "最好", "良好", "高兴", "欢迎", "满足", "满意", "伟大", "积极", "方便",
    "安全", "丰富", "合理", "有利", "有力", "有效", "清楚", "突出", "认真", "容易",
    "复杂", "严重", "失去", "问题", "正常", "强烈", "所幸", "幸好", "可惜", "遗憾"};
// English negators and degree words apart, so that augmentation knows what they govern.
constexpr std::string_view kEnglishNegators[] = {
    "not",      "no",      "nor",     "never",   "neither", "nothing", "none",     "nobody",
    "noone",    "nowhere", "without", "cannot",  "cant",    "can't",   "don't",    "doesn't",
    "didn't",   "isn't",   "aren't",  "wasn't",  "weren't", "won't",   "wouldn't", "shouldn't",
    "couldn't", "hadn't",  "hasn't",  "haven't", "ain't",   "non",     "un",       "hardly"};
constexpr std::string_view kEnglishDegree[] = {
    "very",  "too",  "so",        "quite",   "really",    "most",  "more",    "less",
    "least", "much", "extremely", "awfully", "seriously", "truly", "totally", "absolutely"};
constexpr std::string_view kEnglish[] = {
    "serious",       "but",       "however", "although", "though", "yet",     "nevertheless",
    "unfortunately", "hopefully", "thank",   "thanks",   "thanx",  "welcome", "best",
    "better",        "good",      "well",    "sorry",    "like",   "liked",   "appreciate",
    "useful",        "sensible",  "ok",      "okay",     "sure",   "wish",    "love",
    "bad",           "worse",     "worst"};

std::vector<std::string> build_protected() {
  std::vector<std::string> words;
  for (const auto& group :
       {std::span<const std::string_view>(kNegators), std::span<const std::string_view>(kDegree),
        std::span<const std::string_view>(kAdversatives),
        std::span<const std::string_view>(kInterjections),
        std::span<const std::string_view>(kSentimentWords),
        std::span<const std::string_view>(kEnglishNegators),
        std::span<const std::string_view>(kEnglishDegree),
        std::span<const std::string_view>(kEnglish)}) {
    words.insert(words.end(), group.begin(), group.end());
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Trims ASCII whitespace, U+3000 and U+FEFF (a BOM, or one pasted mid-file) at both ends.
std::string_view trim(std::string_view s) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  for (bool trimmed = true; trimmed && !s.empty();) {
    trimmed = false;
    for (const std::string_view cut : {kIdeographicSpace, kBom}) {
      if (s.starts_with(cut)) s.remove_prefix(cut.size()), trimmed = true;
      if (s.ends_with(cut)) s.remove_suffix(cut.size()), trimmed = true;
    }
    // Byte by byte only for ASCII: 0x85 and 0xA0 also end multi-byte characters.
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1), trimmed = true;
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1), trimmed = true;
  }
  return s;
}

// The entry as the cleaner leaves full-width forms: U+FF01–FF5E → ASCII.
std::string half_width(std::string_view entry) {
  std::string out;
  out.reserve(entry.size());
  std::size_t i = 0;
  while (i < entry.size()) {
    char32_t cp;
    const std::size_t len = detail::decode_valid(entry, i, cp);
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      out.push_back(static_cast<char>(cp - 0xFEE0));
    } else {
      out.append(entry, i, len);
    }
    i += len;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& sentiment_protected_words() {
  static const std::vector<std::string> words = build_protected();
  return words;
}

bool is_sentiment_protected(std::string_view word) {
  const auto& words = sentiment_protected_words();
  return std::binary_search(words.begin(), words.end(), word, std::less<>{});
}

namespace {

std::vector<std::string_view> sorted_union(std::span<const std::string_view> a,
                                           std::span<const std::string_view> b) {
  std::vector<std::string_view> words(a.begin(), a.end());
  words.insert(words.end(), b.begin(), b.end());
  std::sort(words.begin(), words.end());
  return words;
}

}  // namespace

bool is_negator(std::string_view word) {
  static const auto words = sorted_union(kNegators, kEnglishNegators);
  return std::binary_search(words.begin(), words.end(), word);
}

bool is_degree_word(std::string_view word) {
  static const auto words = sorted_union(kDegree, kEnglishDegree);
  return std::binary_search(words.begin(), words.end(), word);
}

void StopWords::add(std::string_view entry, bool protect_sentiment_words) {
  const std::string folded = half_width(entry);
  if (protect_sentiment_words &&
      (is_sentiment_protected(entry) || is_sentiment_protected(folded))) {
    if (std::find(protected_.begin(), protected_.end(), entry) == protected_.end()) {
      protected_.emplace_back(entry);
    }
    return;
  }
  words_.emplace(entry);
  words_.emplace(folded);
}

StopWords StopWords::load(const std::filesystem::path& path, bool protect_sentiment_words) {
  const std::string data = read_file(path);
  StopWords stop;
  for_each_line(data, [&](std::string_view line, std::size_t line_no) {
    if (const auto bad = utf8::find_invalid(line)) {
      throw_parse_error(path.string(), line_no,
                        fmt::format("invalid UTF-8 at byte {} (0x{:02X})", *bad,
                                    static_cast<unsigned char>(line[*bad])));
    }
    const std::string_view entry = trim(line);
    if (!entry.empty()) stop.add(entry, protect_sentiment_words);
  });
  return stop;
}

StopWords StopWords::from_entries(const std::vector<std::string>& entries,
                                  bool protect_sentiment_words) {
  StopWords stop;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (const auto bad = utf8::find_invalid(entries[i])) {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("stop word {}: invalid UTF-8 at byte {}", i + 1, *bad));
    }
    const std::string_view entry = trim(entries[i]);
    if (!entry.empty()) stop.add(entry, protect_sentiment_words);
  }
  return stop;
}

}  // namespace zhsenti::text
