#pragma once
// Damage done to a tiny model (tiny_model.h) the way a broken training run or a bad copy
// would, for tests of what the reader refuses.

#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::testing {

// Rewrites model.safetensors with `value` (NaN, an infinity) as the first element of
// `tensor`; the other tensors keep their bytes.
inline void poison_tensor(const std::filesystem::path& dir, const std::string& tensor,
                          float value) {
  const auto path = dir / modelfile::kWeightsFile;
  const auto file = modelfile::SafetensorsFile::parse(read_file(path), path.string());
  std::vector<std::vector<float>> values;
  values.reserve(file.tensors().size());
  modelfile::SafetensorsWriter writer;
  for (const auto& t : file.tensors()) {
    const auto bytes = file.data(t);
    auto& v = values.emplace_back(bytes.size() / sizeof(float));
    std::memcpy(v.data(), bytes.data(), bytes.size());
    if (t.name == tensor) v.at(0) = value;
    writer.add_f32(t.name, t.shape, v);
  }
  writer.write(path);
}

// Sets config.json's tokenizer.max_len (any JSON value).
inline void set_max_len(const std::filesystem::path& dir, const nlohmann::json& max_len) {
  const auto path = dir / modelfile::kConfigFile;
  nlohmann::json config = nlohmann::json::parse(read_file(path));
  config["tokenizer"]["max_len"] = max_len;
  write_file_atomic(path, config.dump(2));
}

}  // namespace zhsenti::testing
