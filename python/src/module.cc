// zhsenti._zhsenti: the C++ core for the zhsenti Python package (python/zhsenti/).

#include <pybind11/pybind11.h>

#include "errors.h"
#include "zhsenti/core/log.h"

namespace zhsenti::python {
void bind_segment(py::module_& m);
void bind_model(py::module_& m);
void bind_train(py::module_& m);
void bind_text(py::module_& m);
}  // namespace zhsenti::python

PYBIND11_MODULE(_zhsenti, m) {
  namespace zp = zhsenti::python;
  m.doc() = "zhsenti's C++ core: jieba-identical segmentation, models, training, cleaning.";
  zp::register_errors(m);
  // As the CLI: messages to stderr, info and above (zhsenti.setLogLevel changes the level).
  zhsenti::log::init("info");
  m.def(
      "set_log_level", [](const std::string& level) { zhsenti::log::init(level); },
      pybind11::arg("level"), "trace | debug | info | warn | error | off");
  zp::bind_segment(m);
  zp::bind_model(m);
  zp::bind_train(m);
  zp::bind_text(m);
}
