// zhsenti._zhsenti.clean and read_dataset: the cleaner and the data-set reader of the CLI.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "errors.h"
#include "zhsenti/core/error.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/text/cleaner.h"

namespace zhsenti::python {
namespace {

// Cleaners by their options' JSON: building one loads OpenCC, so each is made once.
std::shared_ptr<const text::Cleaner> cleaner_for(const std::string& options_json) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const text::Cleaner>> cache;
  std::lock_guard lock(mutex);
  auto& c = cache[options_json];
  if (!c) {
    text::CleanOptions options;
    try {
      options = text::CleanOptions::from_json(nlohmann::json::parse(options_json));
    } catch (const Error& e) {
      throw Error(ErrorCode::kInvalidArgument, std::string("clean: ").append(e.what()));
    }
    c = std::make_shared<const text::Cleaner>(options);
  }
  return c;
}

py::object clean(py::handle texts, const std::string& options_json) {
  std::shared_ptr<const text::Cleaner> cleaner;
  {
    py::gil_scoped_release nogil;
    cleaner = cleaner_for(options_json);
  }
  if (PyUnicode_Check(texts.ptr()) || PyBytes_Check(texts.ptr())) {
    const Text t = as_text(texts);
    std::string out;
    {
      py::gil_scoped_release nogil;
      out = cleaner->clean(t.utf8);
    }
    return py::str(out);
  }
  std::vector<Text> in;
  for (const auto& t : py::iter(texts)) in.push_back(as_text(t));
  std::vector<std::string> out(in.size());
  {
    py::gil_scoped_release nogil;
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = cleaner->clean(in[i].utf8);
  }
  return py::cast(out);
}

// Rows as (text, label, line) tuples plus the format read and the skipped rows.
py::dict read_dataset(const std::filesystem::path& path, const std::string& text_col,
                      const std::string& label_col, bool skip_bad_rows, const std::string& format,
                      bool require_labels) {
  data::ReadOptions options;
  options.text_col = text_col;
  options.label_col = label_col;
  options.on_bad_row = skip_bad_rows ? data::BadRowPolicy::kSkip : data::BadRowPolicy::kFail;
  options.format = format;
  options.require_labels = require_labels;
  options.skip_hint = "skip_bad_rows=True";
  data::Dataset d;
  {
    py::gil_scoped_release nogil;
    d = data::read_dataset(path, options);
  }
  py::list texts(d.examples.size()), labels(d.examples.size()), lines(d.examples.size());
  for (std::size_t i = 0; i < d.examples.size(); ++i) {
    texts[i] = py::str(d.examples[i].text);
    labels[i] = py::str(d.examples[i].label);
    lines[i] = d.examples[i].line;
  }
  py::list skipped;
  for (const auto& b : d.skipped) skipped.append(py::make_tuple(b.line, b.reason));
  py::dict out;
  out["text"] = texts;
  out["label"] = labels;
  out["line"] = lines;
  out["format"] = d.format;
  out["skipped"] = skipped;
  return out;
}

}  // namespace

void bind_text(py::module_& m) {
  m.def("clean", &clean, py::arg("texts"), py::arg("options_json") = "{}",
        "Clean a text (or each text of a list) with CleanOptions given as JSON.");
  m.def("read_dataset", &read_dataset, py::arg("path"), py::arg("text_col") = "",
        py::arg("label_col") = "", py::arg("skip_bad_rows") = false, py::arg("format") = "",
        py::arg("require_labels") = true,
        "Read a tsv/csv/jsonl/json data set as columns text, label, line.");
}

}  // namespace zhsenti::python
