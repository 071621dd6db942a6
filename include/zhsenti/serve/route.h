#pragma once
// The route table: which endpoint a request line names, which methods it takes (HEAD answers
// as GET without a body) and the query flags the API reads. Pure, so the server, the tests
// and the fuzzer share it without sockets.

#include <cstddef>
#include <string_view>
#include <variant>

#include "zhsenti/serve/reply.h"

namespace zhsenti::serve {

// The largest request header block the server reads (431 beyond).
inline constexpr std::size_t kMaxHeaderBytes = std::size_t{16} << 10;

enum class Endpoint { kPredict, kFeedback, kReload, kHealthz, kReadyz, kModel, kMonitor, kMetrics, kIndex };

struct Route {
  Endpoint endpoint = Endpoint::kHealthz;
  bool head = false;      // HEAD: the GET answer's headers without its body
  bool explain = false;   // /v1/predict?explain=1
  // Runs the model, waits for it or touches the disk: handled on the request threads, never
  // on the threads that do socket I/O.
  bool blocking = false;
};

// The route of `method target`, or the error to answer: 404 not_found, 405
// method_not_allowed (with an Allow header).
std::variant<Route, Reply> resolve_route(std::string_view method, std::string_view target);

// The metrics' and access log's name for the endpoint `target` names: its path, or "other".
std::string_view endpoint_label(std::string_view target);

// The raw value of `key` in the query part of `target`: found is false when the key is
// absent; a bare key (`?explain`) is found with an empty value.
struct QueryValue {
  bool found = false;
  std::string_view value;
};
QueryValue query_value(std::string_view target, std::string_view key);

}  // namespace zhsenti::serve
