#pragma once
// Errors the library throws. They carry where the problem is (file, line) and the bad value,
// so that the CLI and the server can report them without knowing the module that failed.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace zhsenti {

enum class ErrorCode {
  kInvalidArgument,  // a caller passed a value out of range or inconsistent options
  kIo,               // the operating system refused a read, write, open or rename
  kParse,            // an input file or string is malformed
  kFormat,           // a file is well-formed but of the wrong version, shape or kind
  kNotFound,         // a file, column, label or name that must exist does not
  kInternal,         // a broken invariant inside zhsenti (a bug)
};

std::string_view error_code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// "path:line: message" (line 0 means the file as a whole: "path: message").
std::string location_message(std::string_view path, std::size_t line, std::string_view message);

[[noreturn]] void throw_parse_error(std::string_view path, std::size_t line,
                                    std::string_view message);
// Appends strerror(errno) to the message.
[[noreturn]] void throw_io_error(std::string_view path, std::string_view what);

}  // namespace zhsenti
