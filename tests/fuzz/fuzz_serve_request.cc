// The server's request handling on raw bytes, as a client sends them: HTTP/1.1 framing with
// the server's limits (Beast's parser, pipelined requests one after another), routing, and
// the endpoint's body parser. Every outcome is an answer a client can read — a route or a
// JSON error with a client status — never a crash.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "zhsenti/serve/request.h"
#include "zhsenti/serve/route.h"
#include "zhsenti/text/utf8.h"

namespace {

namespace http = boost::beast::http;
using namespace zhsenti::serve;

const RequestLimits kLimits{8, 64};
constexpr std::size_t kMaxBody = 4096;

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void check_text(const std::string& t) {
  if (t.empty() || zhsenti::utf8::find_invalid(t) || code_points(t) > kLimits.max_chars)
    std::abort();
}

void check_error(const Reply& r) {
  if (r.status != 404 && r.status != 405) std::abort();
  const auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j["error"]["code"].is_string()) std::abort();
}

// What the server does with one complete request, short of the model.
void handle(std::string_view method, std::string_view target, std::string_view body) {
  const auto routed = resolve_route(method, target);
  if (const auto* error = std::get_if<Reply>(&routed)) return check_error(*error);
  const Route& route = std::get<Route>(routed);
  if (endpoint_label(target) == "other") std::abort();
  try {
    switch (route.endpoint) {
      case Endpoint::kPredict: {
        const PredictRequest r = parse_predict_request(body, kLimits);
        if (r.texts.empty() || r.texts.size() > kLimits.max_texts ||
            (!r.batch && r.texts.size() != 1))
          std::abort();
        for (const auto& t : r.texts) check_text(t);
        break;
      }
      case Endpoint::kFeedback: {
        const FeedbackRequest r = parse_feedback_request(body, kLimits);
        if (!r.text && !r.prediction_id) std::abort();
        if (r.text) check_text(*r.text);
        break;
      }
      case Endpoint::kReload: {
        const auto dir = parse_reload_request(body);
        if (dir && dir->empty()) std::abort();
        break;
      }
      default:
        if (method != "GET" && method != "HEAD") std::abort();
    }
  } catch (const ApiError& e) {
    if (e.status() != 400 && e.status() != 413 && e.status() != 422) std::abort();
    const auto j = nlohmann::json::parse(error_body(e.code(), e.what()), nullptr, false);
    if (!j.is_object() || j["error"]["code"] != e.code()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  // Requests one after another on one connection, as the server reads them; the first that
  // fails to parse ends the connection (the server answers 400/413/431 and closes).
  while (!rest.empty()) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBody);
    parser.eager(true);
    boost::beast::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    if (ec || !parser.is_done()) return 0;
    if (used == 0 || used > rest.size()) std::abort();
    rest.remove_prefix(used);
    const auto& m = parser.get();
    if (m.body().size() > kMaxBody) std::abort();
    handle({m.method_string().data(), m.method_string().size()},
           {m.target().data(), m.target().size()}, m.body());
  }
  return 0;
}
