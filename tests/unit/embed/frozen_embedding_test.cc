// A frozen embedding (ParamStore::set_trainable(false)) receives no gradient and no update,
// while the rest of the classifier trains; unfreezing restores both.

#include <gtest/gtest.h>

#include <vector>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/loss/cross_entropy.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/nn/optim/optimizer.h"

namespace zhsenti::nn {
namespace {

std::vector<float> copy(std::span<const float> s) { return {s.begin(), s.end()}; }

TEST(FrozenEmbedding, NoGradientNoUpdateUntilUnfrozen) {
  ClassifierConfig c;
  c.vocab_size = 12;
  c.embed_dim = 6;
  c.hidden = 5;
  c.cell = CellType::kGru;
  c.pool = PoolType::kLast;
  c.dropout = 0;
  c.embed_dropout = 0;
  c.num_classes = 2;
  c.ngram_buckets = 16;  // hashed bigram embeddings are not frozen with the embedding
  Classifier model(c, 1);
  Workspace ws(1);
  AdamOptions o;
  o.lr = 0.05f;
  o.weight_decay = 0.01f;  // decay must not move a frozen parameter either
  Adam adam(model.params(), o);
  const ParamStore::Id emb = model.params().id("embedding.weight");
  const ParamStore::Id head = model.params().id("head.weight");
  const ParamStore::Id ngram = model.params().id("ngram_embedding.weight");
  const std::vector<std::int32_t> ids = {3, 4, 5, 6, 7, 2, 3};
  const std::vector<std::int32_t> lengths = {4, 3};
  const std::vector<std::int32_t> labels = {1, 0};
  const Batch batch{ids, lengths};
  Tensor dlogits({2, 2});
  const auto step = [&] {
    model.params().zero_grad();
    const Tensor& logits = model.forward(batch, ws, true, nullptr);
    cross_entropy(logits.span(), labels, 2, {}, dlogits.span());
    model.backward(batch, dlogits, ws);
    adam.step(model.params());
  };

  model.params().set_trainable(emb, false);
  const auto emb_before = copy(std::as_const(model.params()).value(emb));
  const auto head_before = copy(std::as_const(model.params()).value(head));
  const auto ngram_before = copy(std::as_const(model.params()).value(ngram));
  for (int i = 0; i < 3; ++i) step();
  EXPECT_EQ(copy(std::as_const(model.params()).value(emb)), emb_before);
  for (float g : std::as_const(model.params()).grad(emb)) ASSERT_EQ(g, 0.0f);
  EXPECT_NE(copy(std::as_const(model.params()).value(head)), head_before);
  EXPECT_NE(copy(std::as_const(model.params()).value(ngram)), ngram_before);

  model.params().set_trainable(emb, true);
  step();
  EXPECT_NE(copy(std::as_const(model.params()).value(emb)), emb_before);
}

}  // namespace
}  // namespace zhsenti::nn
