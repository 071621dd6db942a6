#include "zhsenti/nn/layers/packed_batch.h"

#include <gtest/gtest.h>

#include <vector>

#include "zhsenti/core/error.h"

namespace zhsenti::nn {
namespace {

TEST(PackedBatch, SortsLongestFirstStablyLikePackPaddedSequence) {
  Workspace ws(1);
  const std::vector<int32_t> lengths = {3, 1, 4, 1, 4};
  const PackedBatch pb = pack_batch(lengths, ws);
  EXPECT_EQ(pb.batch, 5);
  EXPECT_EQ(pb.steps, 4);
  EXPECT_EQ(pb.rows, 13);
  EXPECT_EQ(std::vector<int32_t>(pb.order, pb.order + 5), (std::vector<int32_t>{2, 4, 0, 1, 3}));
  EXPECT_EQ(std::vector<int32_t>(pb.batch_sizes, pb.batch_sizes + 4),
            (std::vector<int32_t>{5, 3, 3, 2}));
  EXPECT_EQ(std::vector<int32_t>(pb.offsets, pb.offsets + 5),
            (std::vector<int32_t>{0, 5, 8, 11, 13}));
  EXPECT_EQ(std::vector<int32_t>(pb.starts, pb.starts + 5), (std::vector<int32_t>{0, 3, 4, 8, 9}));
  for (int b = 0; b < 5; ++b) EXPECT_EQ(pb.order[pb.position[b]], b);
  // Every (sequence, step) maps to a distinct row inside its step's block.
  std::vector<int> seen(13, 0);
  for (int b = 0; b < 5; ++b) {
    for (int t = 0; t < lengths[b]; ++t) {
      const int r = pb.row(b, t);
      ASSERT_GE(r, pb.offsets[t]);
      ASSERT_LT(r, pb.offsets[t + 1]);
      ++seen[r];
    }
  }
  for (const int s : seen) EXPECT_EQ(s, 1);
}

TEST(PackedBatch, PackIdsPlacesEveryTokenAtItsRow) {
  Workspace ws(1);
  const std::vector<int32_t> lengths = {2, 3};
  const std::vector<int32_t> ids = {10, 11, 20, 21, 22};
  const PackedBatch pb = pack_batch(lengths, ws);
  std::vector<int32_t> packed(5);
  pack_ids(pb, ids, packed.data());
  EXPECT_EQ(packed, (std::vector<int32_t>{20, 10, 21, 11, 22}));
  const std::vector<int32_t> short_ids = {1, 2};
  EXPECT_THROW(pack_ids(pb, short_ids, packed.data()), Error);
}

TEST(PackedBatch, RejectsEmptyBatchesAndEmptySequences) {
  Workspace ws(1);
  EXPECT_THROW(pack_batch({}, ws), Error);
  const std::vector<int32_t> zero = {3, 0};
  try {
    pack_batch(zero, ws);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sequence 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zhsenti::nn
