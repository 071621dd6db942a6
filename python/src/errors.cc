#include "errors.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "zhsenti/core/error.h"

namespace zhsenti::python {

namespace {

// The OSError subclass Python would raise: throw_io_error ends its messages with strerror.
PyObject* io_error_type(std::string_view message) {
  const std::pair<int, PyObject*> kinds[] = {{ENOENT, PyExc_FileNotFoundError},
                                             {EACCES, PyExc_PermissionError},
                                             {EISDIR, PyExc_IsADirectoryError},
                                             {ENOTDIR, PyExc_NotADirectoryError}};
  for (const auto& [code, type] : kinds) {
    if (message.ends_with(std::strerror(code))) return type;
  }
  return PyExc_OSError;
}

}  // namespace

void register_errors(py::module_& m) {
  static py::exception<Error> format_error(m, "FormatError", PyExc_ValueError);
  format_error.doc() =
      "A malformed or wrong-kind input file; the message reads 'file:line: what'.";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const PythonErrorPending&) {
      // The exception is already set in the interpreter (PyErr_Occurred).
      if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "interrupted");
    } catch (const Error& e) {
      switch (e.code()) {
        case ErrorCode::kInvalidArgument:
          PyErr_SetString(PyExc_ValueError, e.what());
          return;
        case ErrorCode::kNotFound:
          PyErr_SetString(PyExc_FileNotFoundError, e.what());
          return;
        case ErrorCode::kParse:
        case ErrorCode::kFormat:
          PyErr_SetString(format_error.ptr(), e.what());
          return;
        case ErrorCode::kIo:
          PyErr_SetString(io_error_type(e.what()), e.what());
          return;
        case ErrorCode::kInternal:
          PyErr_SetString(PyExc_RuntimeError, e.what());
          return;
      }
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });
}

Text as_text(py::handle text) {
  Text out;
  PyObject* obj = text.ptr();
  if (PyUnicode_Check(obj)) {
    out.str = py::reinterpret_borrow<py::object>(text);
  } else if (PyBytes_Check(obj)) {
    out.str = py::reinterpret_steal<py::object>(
        PyUnicode_DecodeUTF8(PyBytes_AS_STRING(obj), PyBytes_GET_SIZE(obj), "strict"));
    if (!out.str) throw py::error_already_set();
  } else {
    std::string type = Py_TYPE(obj)->tp_name;
    throw py::type_error(std::string("expected str or bytes, got ").append(type));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(out.str.ptr(), &size);
  if (data == nullptr) throw py::error_already_set();
  out.utf8 = {data, static_cast<std::size_t>(size)};
  return out;
}

}  // namespace zhsenti::python
