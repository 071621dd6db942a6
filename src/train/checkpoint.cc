#include "checkpoint.h"

#include <fmt/format.h>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::train {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
constexpr const char* kStateFile = "state.json";
constexpr const char* kTensorsFile = "tensors.safetensors";
}  // namespace

void check_checkpoint_out(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) return;
  if (fs::is_directory(dir, ec) && fs::is_regular_file(dir / kStateFile, ec)) return;
  throw Error(ErrorCode::kInvalidArgument,
              fmt::format("{}: exists and is not a checkpoint directory", dir.string()));
}

void save_checkpoint(const fs::path& dir, const CheckpointState& state,
                     const nn::ParamStore& params, const nn::ParamStore& best,
                     nn::Optimizer& optimizer, const nn::ParamStore* average) {
  json j{{"epoch", state.epoch},
         {"step", state.step},
         {"config", state.config},
         {"vocab_size", state.vocab_size},
         {"history", json::array()}};
  for (const auto& r : state.history) j["history"].push_back(r.to_json());

  modelfile::SafetensorsWriter tensors;
  const auto n = static_cast<std::int64_t>(params.total_size());
  tensors.add_f32("values", {n}, params.values());
  tensors.add_f32("best_values", {n}, best.values());
  if (average) tensors.add_f32("average_values", {n}, average->values());
  for (const auto& [name, buffer] : optimizer.state()) {
    tensors.add_f32("optim." + name, {static_cast<std::int64_t>(buffer.size())}, buffer);
  }
  AtomicDirWriter writer(dir);
  write_file_atomic(writer.staging() / kStateFile, j.dump(1));
  tensors.write(writer.staging() / kTensorsFile);
  writer.commit();
}

CheckpointState load_checkpoint(const fs::path& dir, const json& config, nn::ParamStore& params,
                                nn::ParamStore& best, nn::Optimizer& optimizer,
                                nn::ParamStore* average) {
  if (!fs::exists(dir / kStateFile)) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("{}: no checkpoint to resume from (missing {})", dir.string(), kStateFile));
  }
  const std::string state_path = (dir / kStateFile).string();
  json j;
  try {
    j = json::parse(read_file(state_path));
  } catch (const json::exception& e) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: {}", state_path, e.what()));
  }
  CheckpointState state;
  try {
    state.epoch = j.at("epoch").get<int>();
    state.step = j.at("step").get<std::int64_t>();
    state.config = j.at("config");
    state.vocab_size = j.at("vocab_size").get<std::size_t>();
    std::size_t line = 0;
    for (const auto& r : j.at("history")) state.history.push_back(eval::EpochRecord::from_json(r, state_path, ++line));
  } catch (const json::exception& e) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: {}", state_path, e.what()));
  }
  json saved = state.config, now = config;
  saved.erase("epochs");
  now.erase("epochs");
  if (saved != now) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{}: the checkpoint was made with different settings; resume with "
                            "the same options (only --epochs may change) or train afresh",
                            dir.string()));
  }
  state.config = config;
  const auto file = modelfile::SafetensorsFile::read(dir / kTensorsFile);
  file.copy_f32("values", params.values());
  file.copy_f32("best_values", best.values());
  if (average) file.copy_f32("average_values", average->values());
  for (const auto& [name, buffer] : optimizer.state()) file.copy_f32("optim." + name, buffer);
  optimizer.set_steps(state.step);
  return state;
}

}  // namespace zhsenti::train
