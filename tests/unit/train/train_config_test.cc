#include "zhsenti/train/train_config.h"

#include <gtest/gtest.h>

#include "zhsenti/core/error.h"
#include "zhsenti/nn/models/classifier_config.h"

namespace zhsenti::train {
namespace {

// train --layers and the config.json reader share one limit: whatever train accepts, a
// model file may hold, and the reverse.
TEST(TrainConfig, LayersLimitIsTheModelFormatsLimit) {
  TrainConfig c;
  c.train_path = "train.tsv";
  nn::ClassifierConfig arch;
  arch.vocab_size = 10;
  for (const int layers : {1, 9, 16, 0, 17}) {
    c.layers = layers;
    arch.layers = layers;
    bool train_accepts = true, model_accepts = true;
    try {
      c.validate();
    } catch (const Error&) {
      train_accepts = false;
    }
    try {
      arch.validate();
    } catch (const Error&) {
      model_accepts = false;
    }
    EXPECT_EQ(train_accepts, model_accepts) << layers << " layers";
    EXPECT_EQ(train_accepts, layers >= 1 && layers <= nn::kMaxLayers) << layers << " layers";
  }
  EXPECT_EQ(nn::kMaxLayers, 16);
}

}  // namespace
}  // namespace zhsenti::train
