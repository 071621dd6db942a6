// zhsenti._zhsenti.train / train_flags: training with the CLI's own flag definitions
// (cli/train_flags.h), so zhsenti.train's keywords, defaults and messages are the CLI's by
// construction. Python turns keywords into "--name=value" arguments; CLI11 parses and checks
// them exactly as `zhsenti train` does.

#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "errors.h"
#include "train_flags.h"
#include "zhsenti/core/error.h"
#include "zhsenti/train/trainer.h"

namespace zhsenti::python {
namespace {

// The `train` command's settings on a CLI::App of its own.
struct TrainCommand {
  CLI::App app{"zhsenti.train", "train"};
  cli::TrainFlags flags{&app, true};
  TrainCommand() {
    cli::add_data_flags(flags);
    cli::add_model_flags(flags);
    cli::add_optimisation_flags(flags);
  }
};

// (name, takes_value, repeatable, default, help, type) for every flag, names without dashes,
// type as CLI11 names it (INT, UINT, FLOAT, TEXT; empty for a flag); a flag with a negated form
// lists both names ("freeze-embeddings", "no-freeze-embeddings").
py::list train_flags() {
  TrainCommand c;
  py::list out;
  for (const CLI::Option* opt : c.app.get_options()) {
    for (const auto& name : opt->get_lnames()) {
      if (name == "help") continue;
      out.append(py::make_tuple(name, opt->get_expected_max() > 0,
                                opt->get_expected_max() > 1, opt->get_default_str(),
                                opt->get_description(), opt->get_type_name()));
    }
  }
  return out;
}

py::dict summary_dict(const train::TrainSummary& s) {
  return py::module_::import("json").attr("loads")(s.to_json().dump());
}

py::dict train(const std::vector<std::string>& args, const std::string& out, bool resume,
               bool keep_checkpoint, bool show_progress,
               const std::function<void(py::dict)>& on_progress) {
  TrainCommand c;
  std::vector<std::string> argv(args.rbegin(), args.rend());  // CLI11 parses a reversed list
  try {
    c.app.parse(argv);
  } catch (const CLI::ParseError& e) {
    throw Error(ErrorCode::kInvalidArgument, e.what());
  }
  train::TrainConfig config;
  c.flags.apply(config);
  train::TrainOptions options;
  options.resume = resume;
  options.keep_checkpoint = keep_checkpoint;
  options.show_progress = show_progress;
  // Each batch checks for Ctrl-C (Python runs signal handlers only when asked, and this thread
  // holds no GIL while training) and reports to the callback, if any.
  options.on_progress = [&](const train::TrainProgress& p) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw PythonErrorPending();
    if (!on_progress) return;
    py::dict d;
    d["epoch"] = p.epoch;
    d["epochs"] = p.epochs;
    d["batch"] = p.batch;
    d["batches"] = p.batches;
    d["train_loss"] = p.train_loss;
    d["train_accuracy"] = p.train_accuracy;
    d["epoch_done"] = p.epoch_done;
    if (p.epoch_done) {
      d["dev_accuracy"] = p.dev_accuracy;
      d["dev_macro_f1"] = p.dev_macro_f1;
    }
    try {
      on_progress(d);
    } catch (py::error_already_set& e) {
      e.restore();
      throw PythonErrorPending();
    }
  };
  train::TrainSummary summary;
  {
    py::gil_scoped_release nogil;
    summary = train::train_model(config, out, options);
  }
  return summary_dict(summary);
}

}  // namespace

void bind_train(py::module_& m) {
  m.def("train_flags", &train_flags,
        "The `zhsenti train` flags: (name, takes_value, repeatable, default, help, type) tuples.");
  m.def("train", &train, py::arg("args"), py::arg("out"), py::arg("resume") = false,
        py::arg("keep_checkpoint") = false, py::arg("show_progress") = false,
        py::arg("on_progress") = nullptr,
        "Train with `zhsenti train` arguments (see zhsenti.train); returns the summary dict.");
}

}  // namespace zhsenti::python
