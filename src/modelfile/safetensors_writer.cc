#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <nlohmann/json.hpp>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/check.h"
#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::modelfile {

static_assert(std::endian::native == std::endian::little,
              "safetensors is little-endian; a big-endian host would need byte swapping");

void SafetensorsWriter::add(std::string name, DType dtype, Shape shape, std::span<const std::byte> data) {
  ZHSENTI_CHECK_ARG(!name.empty(), "safetensors: empty tensor name");
  ZHSENTI_CHECK_ARG(name != kMetadataKey, "safetensors: tensor name {} is reserved", kMetadataKey);
  for (const auto& e : entries_) {
    ZHSENTI_CHECK_ARG(e.info.name != name, "safetensors: duplicate tensor name {:?}", name);
  }
  std::uint64_t elements = 1;
  for (const auto d : shape) {
    ZHSENTI_CHECK_ARG(d >= 0, "safetensors: tensor {:?} has negative dimension in shape {}", name,
                      shape_string(shape));
    ZHSENTI_CHECK_ARG(!__builtin_mul_overflow(elements, static_cast<std::uint64_t>(d), &elements),
                      "safetensors: tensor {:?} shape {} overflows", name, shape_string(shape));
  }
  ZHSENTI_CHECK_ARG(elements * dtype_size(dtype) == data.size(),
                    "safetensors: tensor {:?} of shape {} and dtype {} needs {} bytes, got {}", name,
                    shape_string(shape), dtype_name(dtype), elements * dtype_size(dtype), data.size());
  TensorInfo info;
  info.name = std::move(name);
  info.dtype = dtype;
  info.shape = std::move(shape);
  entries_.push_back({std::move(info), data});
}

void SafetensorsWriter::add_f32(std::string name, Shape shape, std::span<const float> values) {
  add(std::move(name), DType::kF32, std::move(shape), std::as_bytes(values));
}

void SafetensorsWriter::add_i8(std::string name, Shape shape, std::span<const std::int8_t> values) {
  add(std::move(name), DType::kI8, std::move(shape), std::as_bytes(values));
}

void SafetensorsWriter::add_i32(std::string name, Shape shape, std::span<const std::int32_t> values) {
  add(std::move(name), DType::kI32, std::move(shape), std::as_bytes(values));
}

void SafetensorsWriter::add_owned(std::string name, DType dtype, Shape shape,
                                  std::vector<std::byte> data) {
  auto bytes = std::make_shared<const std::vector<std::byte>>(std::move(data));
  add(std::move(name), dtype, std::move(shape), *bytes);
  owned_.push_back(std::move(bytes));
}

std::vector<const SafetensorsWriter::Entry*> SafetensorsWriter::layout() const {
  std::vector<const Entry*> order;
  for (const auto& e : entries_) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    return dtype_size(a->info.dtype) > dtype_size(b->info.dtype);
  });
  return order;
}

std::string SafetensorsWriter::header() const {
  nlohmann::json j = nlohmann::json::object();
  std::uint64_t offset = 0;
  for (const Entry* e : layout()) {
    const std::uint64_t end = offset + e->data.size();
    j[e->info.name] = {{"dtype", dtype_name(e->info.dtype)},
                       {"shape", e->info.shape},
                       {"data_offsets", {offset, end}}};
    offset = end;
  }
  if (!metadata_.empty()) j[std::string(kMetadataKey)] = metadata_;
  std::string text;
  try {
    text = j.dump();
  } catch (const nlohmann::json::exception& e) {
    ZHSENTI_CHECK_ARG(false, "safetensors: a tensor name or metadata string is not valid UTF-8 ({})",
                      e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const std::uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  out += text;
  return out;
}

std::string SafetensorsWriter::serialize() const {
  std::string out = header();
  for (const Entry* e : layout()) out.append(reinterpret_cast<const char*>(e->data.data()), e->data.size());
  return out;
}

void SafetensorsWriter::write(const std::filesystem::path& path) const {
  AtomicFileWriter file(path);
  file.write(header());
  for (const Entry* e : layout()) {
    file.write({reinterpret_cast<const char*>(e->data.data()), e->data.size()});
  }
  file.commit();
}

}  // namespace zhsenti::modelfile
