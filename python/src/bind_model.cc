// zhsenti._zhsenti.Model: a model directory loaded for inference (predict::Predictor). The
// predictor is immutable and thread-safe; every call releases the GIL while the model runs.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "errors.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/nn/kernels/precision.h"
#include "zhsenti/nn/workspace.h"
#include "zhsenti/predict/explain.h"
#include "zhsenti/predict/predictor.h"

namespace zhsenti::python {
namespace {

// Below this many texts one thread is faster than starting a pool.
constexpr std::size_t kParallelTexts = 256;

std::vector<std::string> texts_of(py::handle texts) {
  std::vector<std::string> out;
  if (PyUnicode_Check(texts.ptr()) || PyBytes_Check(texts.ptr())) {
    out.emplace_back(as_text(texts).utf8);
    return out;
  }
  for (const auto& t : py::iter(texts)) out.emplace_back(as_text(t).utf8);
  return out;
}

class Model {
 public:
  Model(const std::filesystem::path& dir, const std::string& precision, bool decision_rule,
        int threads)
      : threads_(threads) {
    predict::Predictor::LoadOptions options;
    if (precision != "auto") options.precision = nn::parse_precision(precision);
    options.apply_decision_rule = decision_rule;
    py::gil_scoped_release nogil;
    predictor_ = predict::Predictor::load(dir, options);
  }

  const std::vector<std::string>& labels() const { return predictor_->labels(); }

  py::array_t<float> predict_proba(py::handle texts) const {
    const std::vector<std::string> in = texts_of(texts);
    const auto classes = static_cast<std::size_t>(predictor_->num_classes());
    py::array_t<float> out({in.size(), classes});
    float* data = out.mutable_data();
    {
      py::gil_scoped_release nogil;
      const std::span<float> probs(data, in.size() * classes);
      if (in.size() < kParallelTexts || threads_ == 1) {
        predictor_->predict_proba(in, probs);
      } else {
        ThreadPool pool(static_cast<std::size_t>(std::max(threads_, 0)));
        predict::predict_parallel(*predictor_, in, pool, probs);
      }
    }
    return out;
  }

  py::list predict(py::handle texts) const {
    const py::array_t<float> probs = predict_proba(texts);
    const auto r = probs.unchecked<2>();
    py::list out(static_cast<std::size_t>(r.shape(0)));
    for (py::ssize_t i = 0; i < r.shape(0); ++i) {
      py::ssize_t best = 0;
      for (py::ssize_t c = 1; c < r.shape(1); ++c) {
        if (r(i, c) > r(i, best)) best = c;
      }
      out[static_cast<std::size_t>(i)] = labels()[static_cast<std::size_t>(best)];
    }
    return out;
  }

  py::list encode(py::handle texts) const {
    const std::vector<std::string> in = texts_of(texts);
    std::vector<std::vector<std::int32_t>> ids(in.size());
    {
      py::gil_scoped_release nogil;
      for (std::size_t i = 0; i < in.size(); ++i) predictor_->encode(in[i], ids[i]);
    }
    py::list out(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = py::cast(ids[i]);
    return out;
  }

  // [(token, weight), ...] towards `label` (default: the predicted one), as the server's
  // ?explain=1: weight = p(label | text) - p(label | text without the token).
  py::dict explain(py::handle text, const std::optional<std::string>& label) const {
    const std::string t(as_text(text).utf8);
    int id = -1;
    if (label) {
      const auto& ls = labels();
      const auto it = std::find(ls.begin(), ls.end(), *label);
      if (it == ls.end()) {
        throw Error(ErrorCode::kInvalidArgument,
                    "explain: '" + *label + "' is not one of the model's labels");
      }
      id = static_cast<int>(it - ls.begin());
    }
    std::vector<predict::TokenAttribution> attributions;
    std::vector<float> probs(static_cast<std::size_t>(predictor_->num_classes()));
    {
      py::gil_scoped_release nogil;
      predictor_->predict_proba(std::span(&t, 1), probs);
      if (id < 0) id = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
      nn::Workspace ws(1);
      attributions = predict::occlusion_attributions(*predictor_, t, id, ws);
    }
    py::list tokens;
    for (const auto& a : attributions) tokens.append(py::make_tuple(a.token, a.weight));
    py::dict out;
    out["label"] = labels()[static_cast<std::size_t>(id)];
    out["probability"] = probs[static_cast<std::size_t>(id)];
    out["tokens"] = tokens;
    return out;
  }

  std::string config_json() const { return predictor_->config().to_json().dump(); }
  std::string path() const { return predictor_->path().string(); }

 private:
  std::shared_ptr<const predict::Predictor> predictor_;
  int threads_;
};

}  // namespace

void bind_model(py::module_& m) {
  py::class_<Model>(m, "Model", "A trained model directory loaded for inference (see zhsenti.load).")
      .def(py::init<std::filesystem::path, std::string, bool, int>(), py::arg("path"),
           py::arg("precision") = "auto", py::arg("decision_rule") = true,
           py::arg("threads") = 0)
      .def_property_readonly("labels", &Model::labels)
      .def_property_readonly("path", &Model::path)
      .def("config_json", &Model::config_json)
      .def("predict_proba", &Model::predict_proba, py::arg("texts"))
      .def("predict", &Model::predict, py::arg("texts"))
      .def("encode", &Model::encode, py::arg("texts"))
      .def("explain", &Model::explain, py::arg("text"), py::arg("label") = py::none());
}

}  // namespace zhsenti::python
