#pragma once
// What an endpoint answers, before HTTP framing: status, content type, body, extra headers and
// the fields it adds to the access-log line.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zhsenti::serve {

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  nlohmann::json log = nlohmann::json::object();  // extra access-log fields
};

// {"error": {"code": ..., "message": ...}} with `status`; the code also goes to the log.
Reply error_reply(int status, std::string_view code, std::string_view message);

}  // namespace zhsenti::serve
