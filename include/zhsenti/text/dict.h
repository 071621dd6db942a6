#pragma once
// The dictionary as jieba holds it before cutting anything: Tokenizer.FREQ (every word and
// every prefix of a word, prefixes with frequency 0), Tokenizer.total, POSTokenizer's
// word_tag_tab and finalseg.Force_Split_Words. This mutable form exists only while loading;
// the segmenter cuts with the compact trie built from it (trie.h).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace zhsenti::text {

// Lets the maps below be searched with a string_view without building a std::string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// One non-blank line of a user dictionary, split as jieba's re_userdict
// `^(.+?)( [0-9]+)?( [a-z]+)?$` splits it.
inline constexpr std::int64_t kMaxFreq = 1'000'000'000'000'000;

struct UserDictLine {
  std::string word;
  std::optional<std::int64_t> freq;
  std::string tag;  // empty when absent
};

// Parses one raw line (without its '\n'). Returns nullopt for a line jieba skips (blank after
// stripping ASCII whitespace and leading U+FEFF). Throws Error(kParse) "path:line: ..." for
// invalid UTF-8, a tab (a user dictionary is space separated; jieba would silently make the
// tab part of the word) or a frequency above kMaxFreq.
std::optional<UserDictLine> parse_user_dict_line(std::string_view raw, std::string_view path,
                                                 std::size_t line);

class FreqTable {
 public:
  // Tokenizer.gen_pfdict + POSTokenizer.load_word_tag over a "word freq [tag]" file.
  void load_main_dict(const std::filesystem::path& path);
  // Tokenizer.load_userdict: add_word for each line, in order.
  void load_user_dict(const std::filesystem::path& path);
  // The same over a file's contents; name is the file name in error messages.
  void load_user_dict_text(std::string_view data, std::string_view name);

  // Tokenizer.add_word; freq nullopt means suggest_freq(word, tune=False).
  void add_word(std::string_view word, std::optional<std::int64_t> freq, std::string_view tag);
  // Tokenizer.suggest_freq(word, tune=False).
  std::int64_t suggest_freq(std::string_view word) const;
  // jieba.lcut(text, HMM=False) with the table as it is now, whitespace tokens included.
  std::vector<std::string> cut_no_hmm(std::string_view text) const;

  // FREQ.get(word): nullopt when the word is not a key.
  std::optional<std::int64_t> freq(std::string_view word) const;
  std::int64_t total() const { return total_; }

  const StringMap<std::int64_t>& entries() const { return freq_; }
  // word_tag_tab after makesure_userdict_loaded: dictionary tags, then user tags over them.
  const StringMap<std::string>& tags() const { return tags_; }
  const std::unordered_set<std::string>& force_split() const { return force_split_; }

 private:
  void add_prefixes(std::string_view word);

  StringMap<std::int64_t> freq_;
  StringMap<std::string> tags_;
  std::unordered_set<std::string> force_split_;
  std::int64_t total_ = 0;
};

}  // namespace zhsenti::text
