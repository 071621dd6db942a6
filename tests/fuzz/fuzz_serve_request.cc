// The server's request parsing and validation on arbitrary bytes: an ApiError with a client
// status (400/413/422) and a JSON error body, or a request that honours every limit, never a
// crash. The first byte picks the endpoint so one target covers all three parsers.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "zhsenti/serve/request.h"
#include "zhsenti/text/utf8.h"

namespace {

const zhsenti::serve::RequestLimits kLimits{8, 64};

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void check_text(const std::string& t) {
  if (t.empty() || zhsenti::utf8::find_invalid(t) || code_points(t) > kLimits.max_chars)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace zhsenti::serve;
  try {
    switch (data[0] % 3) {
      case 0: {
        const PredictRequest r = parse_predict_request(body, kLimits);
        if (r.texts.empty() || r.texts.size() > kLimits.max_texts ||
            (!r.batch && r.texts.size() != 1))
          std::abort();
        for (const auto& t : r.texts) check_text(t);
        break;
      }
      case 1: {
        const FeedbackRequest r = parse_feedback_request(body, kLimits);
        if (!r.text && !r.prediction_id) std::abort();
        if (r.text) check_text(*r.text);
        break;
      }
      default: {
        const auto dir = parse_reload_request(body);
        if (dir && dir->empty()) std::abort();
      }
    }
  } catch (const ApiError& e) {
    if (e.status() != 400 && e.status() != 413 && e.status() != 422) std::abort();
    const auto j = nlohmann::json::parse(error_body(e.code(), e.what()), nullptr, false);
    if (!j.is_object() || j["error"]["code"] != e.code()) std::abort();
  }
  return 0;
}
