#include "zhsenti/text/tokenizer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "zhsenti/core/check.h"
#include "zhsenti/core/scratch.h"
#include "zhsenti/text/cleaner.h"
#include "zhsenti/text/segmenter.h"
#include "zhsenti/text/stopwords.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {

using json = nlohmann::json;

json TokenizerConfig::to_json() const {
  return json{{"mode", name_of(mode)},
              {"clean", clean},
              {"clean_options", clean_options.to_json()},
              {"hmm", hmm},
              {"user_dicts", user_dicts},
              {"stopwords", stopwords},
              {"protect_sentiment_words", protect_sentiment_words}};
}

TokenizerConfig TokenizerConfig::from_json(const json& j) {
  ZHSENTI_CHECK_ARG(j.is_object(), "tokenizer config must be a JSON object, got {}", j.type_name());
  TokenizerConfig c;
  c.mode = TokenMode::kWord;
  for (const auto& [key, value] : j.items()) {
    try {
      if (key == "mode")
        c.mode = parse_setting<TokenMode>(value.get<std::string>(), SettingNames::kJsonKeys,
                                          "tokenizer mode");
      else if (key == "clean")
        c.clean = value.get<bool>();
      else if (key == "clean_options")
        c.clean_options = CleanOptions::from_json(value);
      else if (key == "hmm")
        c.hmm = value.get<bool>();
      else if (key == "user_dicts")
        c.user_dicts = value.get<std::vector<std::string>>();
      else if (key == "stopwords")
        c.stopwords = value.get<std::string>();
      else if (key == "protect_sentiment_words")
        c.protect_sentiment_words = value.get<bool>();
      else
        throw Error(ErrorCode::kInvalidArgument, fmt::format("unknown tokenizer key '{}'", key));
    } catch (const json::exception&) {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("tokenizer key '{}': wrong type ({})", key, value.type_name()));
    }
  }
  return c;
}

Tokenizer::Tokenizer(TokenizerConfig config) : config_(std::move(config)) {
  if (config_.clean) cleaner_ = std::make_unique<const Cleaner>(config_.clean_options);
  if (config_.mode == TokenMode::kWord) {
    SegmenterOptions options;
    options.hmm = config_.hmm;
    for (const auto& d : config_.user_dicts) options.user_dicts.emplace_back(d);
    segmenter_ = Segmenter::load(options);
  }
  if (!config_.stopwords.empty()) {
    stopwords_ = std::make_unique<const StopWords>(
        StopWords::load(config_.stopwords, config_.protect_sentiment_words));
  }
}

Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

void Tokenizer::tokenize(std::string_view text, std::vector<std::string>& tokens) const {
  // Views point into `cleaned`, which lives until the tokens are copied out.
  thread_local std::string cleaned;
  thread_local std::vector<std::string_view> views;
  std::string_view source = text;
  if (cleaner_) {
    cleaned.clear();
    cleaner_->clean_append(text, cleaned);
    source = cleaned;
  } else {
    utf8::validate(text, "text");
  }
  if (segmenter_) {
    segmenter_->cut(source, views);
  } else {
    cut_chars(source, views);
  }
  tokens.clear();
  tokens.reserve(views.size());
  for (const auto v : views) {
    if (stopwords_ && stopwords_->is_stop(v)) continue;
    tokens.emplace_back(v);
  }
  release_if_large(cleaned, views);
}

std::vector<std::string> Tokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> tokens;
  tokenize(text, tokens);
  return tokens;
}

std::vector<std::string> Tokenizer::protected_stopwords() const {
  return stopwords_ ? stopwords_->protected_entries() : std::vector<std::string>{};
}

}  // namespace zhsenti::text
