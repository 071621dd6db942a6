#include "zhsenti/core/error.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace zhsenti {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kParse: return "parse";
    case ErrorCode::kFormat: return "format";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string location_message(std::string_view path, std::size_t line, std::string_view message) {
  if (line == 0) return fmt::format("{}: {}", path, message);
  return fmt::format("{}:{}: {}", path, line, message);
}

void throw_parse_error(std::string_view path, std::size_t line, std::string_view message) {
  throw Error(ErrorCode::kParse, location_message(path, line, message));
}

void throw_io_error(std::string_view path, std::string_view what) {
  const int err = errno;
  throw Error(ErrorCode::kIo, fmt::format("{}: {}: {}", path, what, std::strerror(err)));
}

}  // namespace zhsenti
