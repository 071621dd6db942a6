#include "zhsenti/nn/param_store.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

#include "zhsenti/core/error.h"
#include "zhsenti/nn/tensor.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {
namespace {

TEST(ParamStore, NoTwoStoresShareAVersion) {
  // Inference caches key packed weights on (values address, version): a store built where a
  // freed one was, by the same steps, must not repeat the freed one's version.
  std::optional<ParamStore> s;
  s.emplace();
  s->add("w", {4, 4});
  s->values()[0] = 1.0f;
  const auto first = s->version();
  s.reset();
  s.emplace();
  s->add("w", {4, 4});
  s->values()[0] = 2.0f;
  EXPECT_NE(s->version(), first);
  const auto before = s->version();
  s->touch_values();
  EXPECT_NE(s->version(), before);
}

TEST(ParamStore, NamedAlignedViewsOverOneArena) {
  ParamStore s;
  const auto a = s.add("a", {3, 5});
  const auto b = s.add("b", {7});
  const auto r = s.add("stats", {2}, /*trainable=*/false);
  EXPECT_EQ(s.count(), 3u);
  EXPECT_EQ(s.id("b"), b);
  EXPECT_EQ(s.find("nope"), -1);
  EXPECT_EQ(s.info(a).shape, (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(s.value(a).size(), 15u);
  EXPECT_EQ(s.info(b).offset % ParamStore::kAlignFloats, 0u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(s.value(b).data()) % 64, 0u);
  EXPECT_EQ(s.value(b).data(), s.values().data() + s.info(b).offset);
  EXPECT_EQ(s.grad(b).data(), s.grads().data() + s.info(b).offset);
  EXPECT_EQ(s.trainable_size(), 22u);
  EXPECT_FALSE(s.info(r).trainable);
  for (const float x : s.values()) EXPECT_EQ(x, 0.0f);
  try {
    s.id("missing.weight");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("missing.weight"), std::string::npos);
  }
  EXPECT_THROW(s.add("a", {1}), Error);
  EXPECT_THROW(s.add("z", {0}), Error);
}

TEST(ParamStore, ValuesSurviveLaterAdds) {
  ParamStore s;
  const auto a = s.add("a", {4});
  s.value(a)[2] = 3.5f;
  s.grad(a)[1] = -1.0f;
  s.add("b", {100});
  EXPECT_EQ(s.value(a)[2], 3.5f);
  EXPECT_EQ(s.grad(a)[1], -1.0f);
}

TEST(ParamStore, GradientsExistFromTheFirstMutableAccess) {
  ParamStore s;
  const auto a = s.add("a", {4});
  s.zero_grad();
  const ParamStore& view = s;
  EXPECT_FALSE(s.has_grads());
  EXPECT_TRUE(view.grads().empty());
  EXPECT_TRUE(view.grad(a).empty());
  s.grad(a)[3] = 2.0f;
  EXPECT_TRUE(s.has_grads());
  s.add("b", {1000});
  EXPECT_EQ(s.grad(a)[3], 2.0f);
  EXPECT_EQ(view.grads().size(), s.total_size());
}

TEST(ParamStore, SparseRowsZeroGradClearsOnlyTouchedRows) {
  ParamStore s;
  const auto e = s.add("emb", {5, 2}, true, /*sparse_rows=*/true);
  const auto w = s.add("w", {3});
  const std::vector<int32_t> rows = {3, 1, 3};
  s.touch_rows(e, rows);
  EXPECT_EQ(std::vector<int32_t>(s.touched_rows(e).begin(), s.touched_rows(e).end()),
            (std::vector<int32_t>{3, 1}));
  s.grad(e)[3 * 2] = 1.0f;
  s.grad(e)[1 * 2 + 1] = 2.0f;
  s.grad(w)[0] = 4.0f;
  s.zero_grad();
  for (const float g : s.grads()) EXPECT_EQ(g, 0.0f);
  EXPECT_TRUE(s.touched_rows(e).empty());
  const std::vector<int32_t> bad = {5};
  EXPECT_THROW(s.touch_rows(e, bad), Error);
  EXPECT_THROW(s.touch_rows(w, rows), Error);
}

TEST(ParamStore, CopyValuesFromNeedsTheSameNameTable) {
  ParamStore a, b, c;
  a.add("x", {2});
  b.add("x", {2});
  c.add("y", {2});
  b.value(0)[1] = 9.0f;
  a.copy_values_from(b);
  EXPECT_EQ(a.value(0)[1], 9.0f);
  EXPECT_THROW(a.copy_values_from(c), Error);
}

TEST(Tensor, ResizeWithinCapacityKeepsTheBuffer) {
  Tensor t({4, 8});
  const float* p = t.data();
  t.resize({2, 8});
  EXPECT_EQ(t.size(), 16);
  EXPECT_EQ(t.data(), p);
  EXPECT_EQ(t.dim(0), 2);
  EXPECT_THROW(t.resize({-1}), Error);
}

TEST(Workspace, AlignedBlocksAndNoAllocationOnceWarm) {
  Workspace ws(1);
  auto pass = [&] {
    ws.reset();
    for (int i = 0; i < 5; ++i) {
      float* p = ws.floats(300000 + 7 * static_cast<std::size_t>(i));
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 64, 0u);
      p[0] = 1.0f;
    }
    int32_t* q = ws.ints(3);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(q) % 64, 0u);
  };
  pass();
  pass();
  const std::size_t blocks = ws.block_allocations();
  for (int i = 0; i < 3; ++i) pass();
  EXPECT_EQ(ws.block_allocations(), blocks);
  float* z = ws.zeros(10);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(z[i], 0.0f);
  EXPECT_THROW(ws.set_threads(0), Error);
  ws.set_threads(3);
  EXPECT_EQ(ws.threads(), 3);
  ASSERT_NE(ws.pool(), nullptr);
  EXPECT_EQ(ws.pool()->size(), 3u);
}

}  // namespace
}  // namespace zhsenti::nn
