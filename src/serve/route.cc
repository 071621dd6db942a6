#include "zhsenti/serve/route.h"

#include <fmt/format.h>

#include "zhsenti/serve/request.h"

namespace zhsenti::serve {
namespace {

struct Entry {
  std::string_view path;
  std::string_view method;
  Endpoint endpoint;
  bool blocking;
};
constexpr Entry kRoutes[] = {
    {"/v1/predict", "POST", Endpoint::kPredict, true},
    {"/v1/feedback", "POST", Endpoint::kFeedback, true},
    {"/admin/reload", "POST", Endpoint::kReload, true},
    {"/healthz", "GET", Endpoint::kHealthz, false},
    {"/readyz", "GET", Endpoint::kReadyz, false},
    {"/v1/model", "GET", Endpoint::kModel, false},
    {"/v1/monitor", "GET", Endpoint::kMonitor, false},
    {"/metrics", "GET", Endpoint::kMetrics, false},
    {"/", "GET", Endpoint::kIndex, false},
};

}  // namespace

Reply error_reply(int status, std::string_view code, std::string_view message) {
  Reply r;
  r.status = status;
  r.body = error_body(code, message);
  r.log["error"] = std::string(code);
  return r;
}

std::variant<Route, Reply> resolve_route(std::string_view method, std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  for (const Entry& e : kRoutes) {
    if (path != e.path) continue;
    const bool head = method == "HEAD" && e.method == "GET";
    if (method != e.method && !head) {
      const std::string_view allow = e.method == "GET" ? "GET, HEAD" : e.method;
      Reply r = error_reply(405, "method_not_allowed",
                            fmt::format("{} {} is not supported; use {}", method, path, e.method));
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    Route route{e.endpoint, head, false, e.blocking};
    if (e.endpoint == Endpoint::kPredict) {
      const QueryValue q = query_value(target, "explain");
      route.explain = q.found && query_flag(q.value);
    }
    return route;
  }
  return error_reply(404, "not_found", "no such endpoint");
}

std::string_view endpoint_label(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  for (const Entry& e : kRoutes) {
    if (path == e.path) return e.path;
  }
  return "other";
}

QueryValue query_value(std::string_view target, std::string_view key) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key)
      return {true, eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1)};
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

}  // namespace zhsenti::serve
