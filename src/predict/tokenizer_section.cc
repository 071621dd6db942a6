#include "zhsenti/predict/tokenizer_section.h"

#include <fmt/format.h>

#include "zhsenti/core/error.h"

namespace zhsenti::predict {

nlohmann::json tokenizer_section(const text::TokenizerConfig& tokenizer,
                                 const vocab::EncodeOptions& encode) {
  return {{"pipeline", tokenizer.to_json()},
          {"max_len", encode.max_len},
          {"truncation", std::string(name_of(encode.truncation))}};
}

TokenizerSection parse_tokenizer_section(const nlohmann::json& j) {
  TokenizerSection s;
  try {
    s.tokenizer = text::TokenizerConfig::from_json(j.at("pipeline"));
    // 0 would mean "no limit" to the encoder and a negative number would wrap to a huge
    // one: neither is what any trained model was given (train requires --max-len >= 1).
    const auto& max_len = j.at("max_len");
    if (!max_len.is_number_integer() || max_len.get<std::int64_t>() < 1) {
      throw Error(ErrorCode::kFormat,
                  fmt::format("max_len must be a positive integer, got {}", max_len.dump()));
    }
    s.encode.max_len = max_len.get<std::size_t>();
    s.encode.truncation = parse_setting<vocab::Truncation>(j.at("truncation").get<std::string>(),
                                                         SettingNames::kJsonKeys, "truncation");
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::kFormat, fmt::format("config.json: tokenizer section: {}", e.what()));
  } catch (const Error& e) {
    throw Error(ErrorCode::kFormat, fmt::format("config.json: tokenizer section: {}", e.what()));
  }
  return s;
}

}  // namespace zhsenti::predict
