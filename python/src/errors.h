#pragma once
// zhsenti's C++ errors as Python exceptions, and the helpers every binding file shares.
//   Error(kInvalidArgument) -> ValueError        Error(kNotFound) -> FileNotFoundError
//   Error(kParse | kFormat) -> zhsenti.FormatError (a ValueError: "file:line: what")
//   Error(kIo) -> OSError                         Error(kInternal) -> RuntimeError
// Training stopped by Ctrl-C comes back as KeyboardInterrupt (TrainCancelled below).

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string_view>

namespace zhsenti::python {

namespace py = pybind11;

// Thrown by a C++ callback that found a Python exception pending (KeyboardInterrupt from
// Ctrl-C, or an exception raised by the user's progress callback); the translator restores it.
struct PythonErrorPending : std::runtime_error {
  PythonErrorPending() : std::runtime_error("a Python exception is pending") {}
};

void register_errors(py::module_& m);

// A text argument: the str itself (a bytes argument decoded as UTF-8, as jieba's strdecode
// does) and its UTF-8 bytes, which CPython caches inside the str, so the view lives as long as
// `str` does.
struct Text {
  py::object str;
  std::string_view utf8;
};
Text as_text(py::handle text);

}  // namespace zhsenti::python
