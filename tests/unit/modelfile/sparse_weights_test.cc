#include "zhsenti/modelfile/sparse_weights.h"

#include <gtest/gtest.h>

#include <cstring>

#include "zhsenti/core/error.h"
#include "zhsenti/modelfile/tensor_check.h"

namespace zhsenti::modelfile {
namespace {

// 3 x 7 = 21 elements (not a multiple of 8), two thirds of them zero.
std::vector<float> pruned_matrix() {
  std::vector<float> v(21, 0.0f);
  for (std::size_t i = 0; i < v.size(); i += 3) v[i] = 0.5f + static_cast<float>(i);
  v[20] = -2.0f;
  return v;
}

void expect_format_error(const SafetensorsFile& f, const std::string& needle) {
  std::vector<float> out(21);
  try {
    copy_weight(f, "w", out);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFormat);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(SparseWeights, PrunedMatricesRoundTripThroughTheSparsePair) {
  const std::vector<float> w = pruned_matrix();
  const std::vector<float> bias(4, 0.0f);  // vectors stay dense, zeros or not
  std::vector<float> dense(64, 1.0f);
  dense[0] = 0.0f;  // one zero in 64: 8 + 4 x 63 bytes as a pair, larger than 4 x 64
  SafetensorsWriter writer;
  add_weight(writer, "w", {3, 7}, w);
  add_weight(writer, "bias", {4}, bias);
  add_weight(writer, "d", {8, 8}, dense);
  const SafetensorsFile f = SafetensorsFile::parse(writer.serialize(), "m.safetensors");
  EXPECT_TRUE(stores_sparse(f, "w"));
  EXPECT_FALSE(stores_sparse(f, "bias"));
  EXPECT_FALSE(stores_sparse(f, "d"));
  EXPECT_EQ(f.at("w.sparse_bitmap").num_bytes(), 3u);
  EXPECT_EQ(f.at("w.sparse_values").num_elements(), 8u);
  std::vector<float> out(21, 9.0f);
  copy_weight(f, "w", out);
  EXPECT_EQ(out, w);
  std::vector<float> d(64);
  copy_weight(f, "d", d);
  EXPECT_EQ(d, dense);
  // The model's tensor table accepts the pair in place of the dense tensor.
  const std::vector<ExpectedTensor> expected = {{"w", {3, 7}}, {"bias", {4}}, {"d", {8, 8}}};
  EXPECT_NO_THROW(check_tensors(f, expected));
}

TEST(SparseWeights, APairThatDoesNotFitTheModelIsRefusedNamingTheTensor) {
  const std::vector<float> w = pruned_matrix();
  {  // a bitmap for another size
    std::vector<float> out(30);
    SafetensorsWriter writer;
    add_weight(writer, "w", {3, 7}, w);
    const SafetensorsFile f = SafetensorsFile::parse(writer.serialize(), "m.safetensors");
    try {
      copy_weight(f, "w", out);
      ADD_FAILURE();
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("m.safetensors: sparse tensor w: bitmap"),
                std::string::npos)
          << e.what();
    }
  }
  // Hand-made pairs: one value too few, a bit past the end, a NaN.
  const auto pair = [](std::vector<std::uint8_t> bits, std::vector<float> values) {
    SafetensorsWriter writer;
    std::vector<std::byte> b(bits.size()), v(values.size() * 4);
    std::memcpy(b.data(), bits.data(), bits.size());
    std::memcpy(v.data(), values.data(), v.size());
    writer.add_owned("w.sparse_bitmap", DType::kU8, {static_cast<std::int64_t>(bits.size())},
                     std::move(b));
    writer.add_owned("w.sparse_values", DType::kF32, {static_cast<std::int64_t>(values.size())},
                     std::move(v));
    return SafetensorsFile::parse(writer.serialize(), "m.safetensors");
  };
  expect_format_error(pair({0x03, 0x00, 0x00}, {1.0f}), "2 non-zero elements but 1 values");
  expect_format_error(pair({0x01, 0x00, 0xE0}, {1.0f, 2.0f, 3.0f, 4.0f}), "past element 21");
  expect_format_error(pair({0x01, 0x00, 0x00}, {std::numeric_limits<float>::quiet_NaN()}),
                      "element 0 is nan");
  // Without its values the pair is incomplete.
  SafetensorsWriter writer;
  std::vector<std::byte> b(3);
  writer.add_owned("w.sparse_bitmap", DType::kU8, {3}, std::move(b));
  const SafetensorsFile f = SafetensorsFile::parse(writer.serialize(), "m.safetensors");
  const std::vector<ExpectedTensor> expected = {{"w", {3, 7}}};
  EXPECT_THROW(check_tensors(f, expected), Error);
}

}  // namespace
}  // namespace zhsenti::modelfile
