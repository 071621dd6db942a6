// What fine-tuning keeps of a base model: tensors by name, the base's embedding rows, the
// output layer only for the same label set; and what --freeze-encoder freezes.

#include "base_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "zhsenti/core/error.h"

namespace zhsenti::train {
namespace {

nn::ClassifierConfig arch(int vocab, int classes, int hidden = 6) {
  nn::ClassifierConfig c;
  c.vocab_size = vocab;
  c.embed_dim = 4;
  c.ngram_buckets = 8;
  c.cell = nn::CellType::kGru;
  c.hidden = hidden;
  c.bidirectional = true;
  c.pool = nn::PoolType::kMax;
  c.num_classes = classes;
  return c;
}

bool same_values(const nn::ParamStore& a, const nn::ParamStore& b, const std::string& name) {
  const auto x = a.value(a.id(name));
  const auto y = b.value(b.id(name));
  return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin());
}

TEST(TransferWeights, KeepsEncoderHeadAndTheBaseRowsOfAnExtendedEmbedding) {
  const nn::Classifier base(arch(10, 2), 1);
  nn::Classifier model(arch(13, 2), 2);
  const nn::Classifier fresh(arch(13, 2), 2);
  EXPECT_EQ(transfer_weights(base, model, true), model.params().count());
  for (const auto& info : model.params().infos()) {
    if (info.name == "embedding.weight") continue;
    EXPECT_TRUE(same_values(base.params(), model.params(), info.name)) << info.name;
  }
  const auto emb = model.params().value(model.params().id("embedding.weight"));
  const auto base_emb = base.params().value(base.params().id("embedding.weight"));
  const auto fresh_emb = fresh.params().value(fresh.params().id("embedding.weight"));
  EXPECT_TRUE(std::equal(base_emb.begin(), base_emb.end(), emb.begin()));
  // The three new rows keep the new model's own initialisation.
  EXPECT_TRUE(std::equal(emb.begin() + 40, emb.end(), fresh_emb.begin() + 40));
}

TEST(TransferWeights, NewLabelSetGetsAFreshOutputLayer) {
  const nn::Classifier base(arch(10, 2), 1);
  nn::Classifier model(arch(10, 6), 2);
  const nn::Classifier fresh(arch(10, 6), 2);
  EXPECT_EQ(transfer_weights(base, model, false), model.params().count() - 2);
  EXPECT_TRUE(same_values(model.params(), fresh.params(), "head.weight"));
  EXPECT_TRUE(same_values(model.params(), fresh.params(), "head.bias"));
  EXPECT_TRUE(same_values(model.params(), base.params(), "embedding.weight"));
}

TEST(TransferWeights, AnotherArchitectureIsAnErrorNamingTheTensor) {
  const nn::Classifier base(arch(10, 2, 6), 1);
  nn::Classifier model(arch(10, 2, 8), 2);
  try {
    transfer_weights(base, model, true);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("encoder."), std::string::npos) << e.what();
  }
}

TEST(FreezeEncoder, OnlyEmbeddingsAndOutputLayerStayTrainable) {
  nn::Classifier model(arch(10, 2), 1);
  freeze_encoder(model.params());
  int frozen = 0;
  for (const auto& info : model.params().infos()) {
    const bool outer = info.name.starts_with("embedding.") ||
                       info.name.starts_with("ngram_embedding.") || info.name.starts_with("head.");
    EXPECT_EQ(info.trainable, outer) << info.name;
    frozen += !outer;
  }
  EXPECT_GT(frozen, 0);
}

}  // namespace
}  // namespace zhsenti::train
