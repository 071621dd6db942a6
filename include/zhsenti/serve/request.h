#pragma once
// Parsing and validation of request bodies. Everything a client can get wrong becomes an
// ApiError carrying the HTTP status and a stable machine-readable code; nothing here touches
// the model, so the fuzzer can drive it directly.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::serve {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

// {"error": {"code": code, "message": message}} (invalid UTF-8 in message is replaced).
std::string error_body(std::string_view code, std::string_view message);

struct RequestLimits {
  std::size_t max_texts = 64;
  std::size_t max_chars = 5000;
};

struct PredictRequest {
  std::vector<std::string> texts;
  bool batch = false;  // {"texts": [...]} rather than {"text": ...}
};

// The body as a JSON object: 400 invalid_utf8 / invalid_json, 422 not_an_object.
nlohmann::json parse_json_object(std::string_view body);

// {"text": "..."} or {"texts": ["...", ...]}.
PredictRequest parse_predict_request(std::string_view body, const RequestLimits& limits);

struct FeedbackRequest {
  std::string label;
  std::optional<std::string> text;
  std::optional<std::string> prediction_id;
};

// {"label": "...", "text": "..."} or {"label": "...", "prediction_id": "..."} (or both).
FeedbackRequest parse_feedback_request(std::string_view body, const RequestLimits& limits);

// Empty body or {} reloads the current directory; {"model": "DIR"} loads another one.
std::optional<std::string> parse_reload_request(std::string_view body);

// Whether a query value turns a flag on: "1", "true", "yes" (and "" for a bare ?explain).
bool query_flag(std::string_view value);

}  // namespace zhsenti::serve
