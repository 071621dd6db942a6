#pragma once
// Writing a trained model as a model directory (modelfile/ does the bytes).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "prepared_data.h"
#include "zhsenti/eval/metrics.h"
#include "zhsenti/eval/training_log.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/predict/decision_rule.h"

namespace zhsenti::train {

struct ExportInput {
  const TrainConfig* config;
  const PreparedData* data;
  const nn::Classifier* model;
  const eval::Metrics* dev_metrics;
  const std::vector<eval::EpochRecord>* history;
  nlohmann::json reference;
  const predict::DecisionRule* decision_rule = nullptr;  // --calibrate's, when it gained on dev
  int best_epoch = 0;
  nlohmann::json pruning;  // config.json "pruning" when not null
};

void export_model(const std::filesystem::path& out, const ExportInput& input);

}  // namespace zhsenti::train
