#pragma once
// Stop-word lists that never silently delete polarity. Generic Chinese lists (HIT, cn, Baidu)
// contain negators (不, 没有), degree adverbs (很, 非常), adversatives (但是, 却) and even
// sentiment words (好, 高兴); removing those turns "不好" into nothing. Such entries are kept
// out of the active set unless the caller explicitly asks otherwise.

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace zhsenti::text {

// Words whose removal changes or erases polarity: negators, degree adverbs, adversatives,
// sentiment-bearing interjections and adjectives found in the common lists, and their English
// counterparts (reviews mix in English). Sorted, unique.
const std::vector<std::string>& sentiment_protected_words();
bool is_sentiment_protected(std::string_view word);
// The negators and degree adverbs among them (Chinese and English, exact match). Each governs
// the word after it ("不 好", "很 贵"), which text augmentation therefore keeps in place.
bool is_negator(std::string_view word);
bool is_degree_word(std::string_view word);

class StopWords {
 public:
  StopWords() = default;

  // One entry per line; entries are trimmed (ASCII whitespace, U+3000, a leading BOM), empty
  // lines skipped, CRLF accepted. Invalid UTF-8 throws Error(kParse) "path:line: ...".
  // Each entry also matches its half-width form ("，" also stops ","), because the cleaner
  // folds full-width forms before segmentation.
  static StopWords load(const std::filesystem::path& path, bool protect_sentiment_words = true);
  // The same from entries already in memory (one per element, same trimming and protection).
  static StopWords from_entries(const std::vector<std::string>& entries,
                                bool protect_sentiment_words = true);

  bool is_stop(std::string_view word) const { return words_.contains(word); }
  std::size_t size() const { return words_.size(); }

  // Entries of the list that were NOT applied because they carry polarity, in list order,
  // each once. Empty when protection was turned off.
  const std::vector<std::string>& protected_entries() const { return protected_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  void add(std::string_view entry, bool protect_sentiment_words);

  std::unordered_set<std::string, Hash, std::equal_to<>> words_;
  std::vector<std::string> protected_;
};

}  // namespace zhsenti::text
