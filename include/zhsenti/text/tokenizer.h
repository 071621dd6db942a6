#pragma once
// Raw text -> tokens, the one place that chains cleaning, segmentation (or characters) and
// stop-word removal. Training stores its TokenizerConfig in the model so that prediction and
// serving tokenize exactly as training did.

#include <array>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zhsenti/core/enum_names.h"
#include "zhsenti/text/clean_options.h"

namespace zhsenti::text {

// word: jieba precise mode; char: one token per code point.
enum class TokenMode { kWord, kChar };

class Cleaner;
class Segmenter;
class StopWords;

// The defaults are the training ones (`zhsenti train` and TrainConfig hold this struct).
struct TokenizerConfig {
  TokenMode mode = TokenMode::kChar;
  bool clean = true;
  CleanOptions clean_options;
  bool hmm = true;
  std::vector<std::string> user_dicts;
  std::string stopwords;               // empty: keep every token
  bool protect_sentiment_words = true;

  nlohmann::json to_json() const;
  // Unknown keys throw Error naming them. Missing keys keep their defaults, except "mode",
  // which reads as word: the default of the first model files.
  static TokenizerConfig from_json(const nlohmann::json& j);
};

class Tokenizer {  // immutable and thread-safe after construction
 public:
  explicit Tokenizer(TokenizerConfig config);
  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;

  // Clears `tokens` and fills it. Throws Error(kParse) on invalid UTF-8 (the caller adds the
  // file and line).
  void tokenize(std::string_view text, std::vector<std::string>& tokens) const;
  std::vector<std::string> tokenize(std::string_view text) const;

  const TokenizerConfig& config() const { return config_; }
  // Stop-word entries that were kept because they carry polarity (empty without a list).
  std::vector<std::string> protected_stopwords() const;

 private:
  TokenizerConfig config_;
  std::unique_ptr<const Cleaner> cleaner_;
  std::shared_ptr<const Segmenter> segmenter_;
  std::unique_ptr<const StopWords> stopwords_;
};

}  // namespace zhsenti::text

namespace zhsenti {

template <>
struct EnumNames<text::TokenMode> {
  static constexpr std::array<std::pair<text::TokenMode, std::string_view>, 2> kTable = {
      {{text::TokenMode::kWord, "word"}, {text::TokenMode::kChar, "char"}}};
};

}  // namespace zhsenti
