#pragma once
// safetensors files (the Hugging Face format), read and written without a dependency:
//
//   [8 bytes]  N, unsigned little-endian: length of the JSON header
//   [N bytes]  JSON object, UTF-8, padded with spaces so that 8 + N is a multiple of 8:
//                {"<name>": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]},
//                 ..., "__metadata__": {"<key>": "<string value>", ...}}
//   [rest]     the data buffer; offsets are relative to its start, row-major, little-endian
//
// The reader enforces what the reference implementation enforces: N <= 100 MB and inside the
// file, a JSON object without duplicate names, known dtypes, non-negative integer shapes,
// elements x dtype size == end - begin, tensors contiguous from offset 0 without overlaps
// or gaps, and the last end == buffer size (so a truncated or extended file is rejected).
// Every error is Error(kFormat) naming the file, the tensor and the values that disagree.
//
// The reader loads the whole file into memory (model files here are a few MB; a copy into
// the parameter arena follows anyway) instead of memory-mapping it, so a file replaced or
// truncated on disk while a server runs cannot fault the process.
//
// The writer lays the data out by dtype size, largest first, then in insertion order, so
// every tensor is aligned to its element size (the header ends on an 8-byte boundary).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::modelfile {

enum class DType { kBool, kU8, kI8, kI16, kU16, kF16, kBF16, kI32, kU32, kF32, kF64, kI64, kU64 };

std::string_view dtype_name(DType dtype);  // "F32", "I8", ...
std::optional<DType> parse_dtype(std::string_view name);
std::size_t dtype_size(DType dtype);

inline constexpr std::uint64_t kMaxHeaderSize = 100'000'000;
inline constexpr std::string_view kMetadataKey = "__metadata__";

using Shape = std::vector<std::int64_t>;
std::string shape_string(const Shape& shape);  // "[2, 3]"

struct TensorInfo {
  std::string name;
  DType dtype = DType::kF32;
  Shape shape;
  std::uint64_t begin = 0;  // byte offsets into the data buffer
  std::uint64_t end = 0;

  std::uint64_t num_elements() const;
  std::uint64_t num_bytes() const { return end - begin; }
};

class SafetensorsWriter {
 public:
  // Records a view: `data` must stay alive until write() or serialize(). Throws
  // Error(kInvalidArgument) for an empty, duplicate or reserved name, a negative dimension,
  // or data whose size is not elements x dtype size.
  void add(std::string name, DType dtype, Shape shape, std::span<const std::byte> data);
  void add_f32(std::string name, Shape shape, std::span<const float> values);
  void add_i8(std::string name, Shape shape, std::span<const std::int8_t> values);
  void add_i32(std::string name, Shape shape, std::span<const std::int32_t> values);
  // Like add(), but the writer keeps the bytes (data encoded on the way out, e.g. sparse
  // weights); copies of the writer share them.
  void add_owned(std::string name, DType dtype, Shape shape, std::vector<std::byte> data);

  void set_metadata(std::string key, std::string value) { metadata_[std::move(key)] = std::move(value); }

  // The 8-byte length and the padded JSON header.
  std::string header() const;
  // The whole file.
  std::string serialize() const;
  // Atomically writes the file (temp file + fsync + rename).
  void write(const std::filesystem::path& path) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    TensorInfo info;
    std::span<const std::byte> data;
  };
  std::vector<const Entry*> layout() const;

  std::vector<Entry> entries_;
  std::vector<std::shared_ptr<const std::vector<std::byte>>> owned_;
  std::map<std::string, std::string> metadata_;
};

class SafetensorsFile {
 public:
  static SafetensorsFile read(const std::filesystem::path& path);
  // Validates `bytes` (a whole file); `source` names it in errors.
  static SafetensorsFile parse(std::string bytes, std::string source);

  // In data-offset order.
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::string& source() const { return source_; }

  const TensorInfo* find(std::string_view name) const;
  // Throws Error(kNotFound) naming the file and the tensor.
  const TensorInfo& at(std::string_view name) const;

  std::span<const std::byte> data(const TensorInfo& info) const;

  // Values as float: F32 copied, F16 and BF16 widened; other dtypes, and a NaN or infinite
  // value (weights that would make every prediction NaN), throw Error(kFormat) naming the
  // tensor.
  std::vector<float> to_f32(std::string_view name) const;
  // Into a caller buffer whose size must equal the element count (e.g. a ParamStore view);
  // the same checks.
  void copy_f32(std::string_view name, std::span<float> out) const;
  // Raw copy of an exact dtype into a same-sized buffer (I8 and I32 weights, ids).
  void copy_bytes(std::string_view name, DType expected, std::span<std::byte> out) const;

 private:
  std::string bytes_;
  std::string source_;
  std::size_t data_start_ = 0;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<std::string, std::string> metadata_;
};

// IEEE half and bfloat16 to float (exact).
float f16_to_f32(std::uint16_t h);
float bf16_to_f32(std::uint16_t b);

}  // namespace zhsenti::modelfile
