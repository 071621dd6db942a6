#pragma once
// The model being served, swappable while requests run. A request takes a shared_ptr
// snapshot once and uses it to the end (encode, predict, respond), so a reload never mixes
// two models inside one request and the old model lives until its last request finishes.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "zhsenti/predict/predictor.h"
#include "zhsenti/serve/drift.h"
#include "zhsenti/serve/options.h"

namespace zhsenti::serve {

struct LoadedModel {
  std::shared_ptr<const predict::Predictor> predictor;
  std::string name;     // the model directory's name
  std::string version;  // short hash of config.json and the weights
  std::filesystem::path dir;
  std::string loaded_at;
  // Increases with every load; per-thread workspaces are rebuilt when it changes (packed
  // weight caches belong to one model).
  std::uint64_t generation = 0;
  std::unique_ptr<DriftMonitor> drift;  // internally synchronised
  std::string reference_problem;        // why drift is off, when it is
};

// Loads, validates and warms a model (one prediction) without touching the served one.
// Throws zhsenti::Error (or std::exception) naming the problem.
std::shared_ptr<const LoadedModel> load_model(const std::filesystem::path& dir,
                                              const ServeOptions& options);

class ModelSlot {
 public:
  std::shared_ptr<const LoadedModel> get() const {
    std::lock_guard lock(mutex_);
    return model_;
  }
  // Returns the model it replaced.
  std::shared_ptr<const LoadedModel> swap(std::shared_ptr<const LoadedModel> next) {
    std::lock_guard lock(mutex_);
    model_.swap(next);
    return next;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const LoadedModel> model_;
};

}  // namespace zhsenti::serve
