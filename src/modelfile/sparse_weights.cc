#include "zhsenti/modelfile/sparse_weights.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#include "zhsenti/core/error.h"

namespace zhsenti::modelfile {

namespace {

std::string sparse_name(std::string_view name, std::string_view suffix) {
  std::string s(name);
  s.append(suffix);
  return s;
}

std::size_t bitmap_bytes(std::size_t n) { return (n + 7) / 8; }

[[noreturn]] void bad_pair(const SafetensorsFile& file, std::string_view name,
                           const std::string& problem) {
  throw Error(ErrorCode::kFormat,
              fmt::format("{}: sparse tensor {}: {}", file.source(), name, problem));
}

}  // namespace

void add_weight(SafetensorsWriter& writer, std::string name, Shape shape,
                std::span<const float> values) {
  std::size_t nonzero = 0;
  for (const float v : values) nonzero += v != 0.0f;
  const std::size_t n = values.size();
  if (shape.size() != 2 || bitmap_bytes(n) + 4 * nonzero >= 4 * n) {
    writer.add_f32(std::move(name), std::move(shape), values);
    return;
  }
  std::vector<std::byte> bitmap(bitmap_bytes(n), std::byte{0});
  std::vector<std::byte> packed(4 * nonzero);
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (values[i] == 0.0f) continue;
    bitmap[i / 8] |= std::byte{1} << (i % 8);
    std::memcpy(packed.data() + 4 * k++, &values[i], 4);
  }
  const auto bitmap_size = static_cast<std::int64_t>(bitmap.size());
  writer.add_owned(sparse_name(name, kSparseBitmapSuffix), DType::kU8, {bitmap_size},
                   std::move(bitmap));
  writer.add_owned(sparse_name(name, kSparseValuesSuffix), DType::kF32,
                   {static_cast<std::int64_t>(nonzero)}, std::move(packed));
}

bool stores_sparse(const SafetensorsFile& file, std::string_view name) {
  return file.find(name) == nullptr &&
         file.find(sparse_name(name, kSparseBitmapSuffix)) != nullptr;
}

void copy_weight(const SafetensorsFile& file, std::string_view name, std::span<float> out) {
  if (!stores_sparse(file, name)) {
    file.copy_f32(name, out);
    return;
  }
  const TensorInfo& bitmap = file.at(sparse_name(name, kSparseBitmapSuffix));
  const TensorInfo& values = file.at(sparse_name(name, kSparseValuesSuffix));
  const std::size_t n = out.size();
  if (bitmap.dtype != DType::kU8 || bitmap.shape.size() != 1 ||
      bitmap.num_bytes() != bitmap_bytes(n)) {
    bad_pair(file, name,
             fmt::format("bitmap is {} {}, expected U8 [{}] for {} elements",
                         dtype_name(bitmap.dtype), shape_string(bitmap.shape), bitmap_bytes(n), n));
  }
  if (values.dtype != DType::kF32 || values.shape.size() != 1) {
    bad_pair(file, name, fmt::format("values are {} {}, expected F32 [nnz]",
                                     dtype_name(values.dtype), shape_string(values.shape)));
  }
  const std::span<const std::byte> bits = file.data(bitmap);
  std::size_t set = 0;
  for (const std::byte b : bits) set += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(b)));
  if (n % 8 != 0 && (static_cast<unsigned>(bits.back()) >> (n % 8)) != 0) {
    bad_pair(file, name, fmt::format("bitmap has bits set past element {}", n));
  }
  if (set != values.num_elements()) {
    bad_pair(file, name, fmt::format("bitmap marks {} non-zero elements but {} values are stored",
                                     set, values.num_elements()));
  }
  const std::span<const std::byte> packed = file.data(values);
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if ((static_cast<unsigned>(bits[i / 8]) >> (i % 8) & 1U) == 0) {
      out[i] = 0.0f;
      continue;
    }
    float v;
    std::memcpy(&v, packed.data() + 4 * k++, 4);
    if (!std::isfinite(v)) bad_pair(file, name, fmt::format("element {} is {}", i, v));
    out[i] = v;
  }
}

}  // namespace zhsenti::modelfile
