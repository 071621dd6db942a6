#include "zhsenti/serve/request.h"

#include <fmt/format.h>

#include "zhsenti/text/utf8.h"

namespace zhsenti::serve {
namespace {

using nlohmann::json;

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool blank(std::string_view s) {
  // ASCII and ideographic (U+3000) spaces: a text of only these carries nothing to classify.
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
      ++i;
    } else if (s.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

std::string checked_text(const json& value, std::string_view field, const RequestLimits& limits) {
  if (!value.is_string()) {
    throw ApiError(422, "invalid_type",
                   fmt::format("'{}' must be a string, got {}", field, value.type_name()));
  }
  std::string text = value.get<std::string>();
  if (blank(text)) throw ApiError(422, "empty_text", fmt::format("'{}' is empty", field));
  const std::size_t n = code_points(text);
  if (n > limits.max_chars) {
    throw ApiError(
        413, "text_too_long",
        fmt::format("'{}' has {} characters; the limit is {}", field, n, limits.max_chars));
  }
  return text;
}

// A client-supplied key quoted in a message: short and valid UTF-8.
std::string quoted_key(std::string_view s) {
  std::string out(s.substr(0, 64));
  if (s.size() > 64) out += "...";
  return utf8::replace_invalid(out);
}

void reject_unknown_keys(const json& body, std::initializer_list<std::string_view> known) {
  for (const auto& item : body.items()) {
    bool ok = false;
    for (const auto k : known) ok = ok || item.key() == k;
    if (!ok)
      throw ApiError(422, "unknown_field",
                     fmt::format("unknown field '{}'", quoted_key(item.key())));
  }
}

}  // namespace

std::string error_body(std::string_view code, std::string_view message) {
  const json j{{"error", {{"code", std::string(code)}, {"message", std::string(message)}}}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json parse_json_object(std::string_view body) {
  if (const auto bad = utf8::find_invalid(body)) {
    throw ApiError(400, "invalid_utf8", fmt::format("the body is not valid UTF-8 (byte {})", *bad));
  }
  json j;
  try {
    j = json::parse(body);
  } catch (const json::parse_error& e) {
    throw ApiError(400, "invalid_json", fmt::format("malformed JSON at byte {}", e.byte));
  } catch (const json::exception& e) {
    // E.g. out_of_range for a number beyond double (found by fuzz_serve_request).
    throw ApiError(400, "invalid_json", fmt::format("invalid JSON: {}", e.what()));
  }
  if (!j.is_object()) {
    throw ApiError(422, "invalid_type",
                   fmt::format("the body must be a JSON object, got {}", j.type_name()));
  }
  return j;
}

PredictRequest parse_predict_request(std::string_view body, const RequestLimits& limits) {
  const json j = parse_json_object(body);
  reject_unknown_keys(j, {"text", "texts"});
  const bool has_text = j.contains("text"), has_texts = j.contains("texts");
  if (has_text == has_texts) {
    throw ApiError(422, has_text ? "ambiguous_input" : "missing_field",
                   has_text ? "give either 'text' or 'texts', not both"
                            : "the body needs 'text' (a string) or 'texts' (an array of strings)");
  }
  PredictRequest r;
  if (has_text) {
    r.texts.push_back(checked_text(j["text"], "text", limits));
    return r;
  }
  r.batch = true;
  const json& texts = j["texts"];
  if (!texts.is_array()) {
    throw ApiError(422, "invalid_type",
                   fmt::format("'texts' must be an array, got {}", texts.type_name()));
  }
  if (texts.empty()) throw ApiError(422, "empty_texts", "'texts' is empty");
  if (texts.size() > limits.max_texts) {
    throw ApiError(
        413, "too_many_texts",
        fmt::format("'texts' has {} entries; the limit is {}", texts.size(), limits.max_texts));
  }
  r.texts.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    r.texts.push_back(checked_text(texts[i], fmt::format("texts[{}]", i), limits));
  }
  return r;
}

FeedbackRequest parse_feedback_request(std::string_view body, const RequestLimits& limits) {
  const json j = parse_json_object(body);
  reject_unknown_keys(j, {"label", "text", "prediction_id"});
  if (!j.contains("label")) throw ApiError(422, "missing_field", "the body needs 'label'");
  FeedbackRequest r;
  const json& label = j["label"];
  if (label.is_string()) {
    r.label = label.get<std::string>();
  } else if (label.is_number_integer()) {
    r.label = std::to_string(label.get<long long>());  // labels "0"/"1" are often sent as numbers
  } else {
    throw ApiError(422, "invalid_type",
                   fmt::format("'label' must be a string, got {}", label.type_name()));
  }
  if (j.contains("text")) r.text = checked_text(j["text"], "text", limits);
  if (j.contains("prediction_id")) {
    if (!j["prediction_id"].is_string()) {
      throw ApiError(422, "invalid_type", "'prediction_id' must be a string");
    }
    r.prediction_id = j["prediction_id"].get<std::string>();
  }
  if (!r.text && !r.prediction_id) {
    throw ApiError(422, "missing_field",
                   "the body needs 'text' or 'prediction_id' besides 'label'");
  }
  return r;
}

std::optional<std::string> parse_reload_request(std::string_view body) {
  if (blank(body)) return std::nullopt;
  const json j = parse_json_object(body);
  reject_unknown_keys(j, {"model"});
  if (!j.contains("model")) return std::nullopt;
  if (!j["model"].is_string() || j["model"].get<std::string>().empty()) {
    throw ApiError(422, "invalid_type", "'model' must be a non-empty string (a model directory)");
  }
  return j["model"].get<std::string>();
}

bool query_flag(std::string_view value) {
  return value.empty() || value == "1" || value == "true" || value == "yes";
}

}  // namespace zhsenti::serve
