#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::modelfile {

namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view source, std::string_view message) {
  throw Error(ErrorCode::kFormat, fmt::format("{}: {}", source, message));
}

std::uint64_t read_u64_le(const std::string& bytes) {
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  return n;
}

json parse_header(std::string_view text, std::string_view source) {
  std::set<std::string> seen;
  std::string duplicate;
  const json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && duplicate.empty() &&
        !seen.insert(parsed.get<std::string>()).second) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  json header;
  try {
    header = json::parse(text.begin(), text.end(), on_event);
  } catch (const json::exception& e) {
    fail(source, fmt::format("safetensors header is not valid JSON: {}", e.what()));
  }
  if (!header.is_object()) fail(source, fmt::format("safetensors header is a JSON {}, not an object", header.type_name()));
  if (!duplicate.empty()) fail(source, fmt::format("safetensors header names {:?} twice", duplicate));
  return header;
}

std::uint64_t as_u64(const json& value, std::string_view source, std::string_view name, std::string_view what) {
  if (!value.is_number_unsigned()) {
    fail(source, fmt::format("tensor {:?}: {} must be a non-negative integer, got {}", name, what, value.dump()));
  }
  return value.get<std::uint64_t>();
}

TensorInfo parse_entry(const std::string& name, const json& entry, std::string_view source) {
  if (name.empty()) fail(source, "empty tensor name");
  if (!entry.is_object()) fail(source, fmt::format("tensor {:?}: entry is not an object: {}", name, entry.dump()));
  for (const auto& [key, _] : entry.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      fail(source, fmt::format("tensor {:?}: unknown field {:?}", name, key));
    }
  }
  TensorInfo info;
  info.name = name;
  const auto dtype_it = entry.find("dtype");
  if (dtype_it == entry.end() || !dtype_it->is_string()) {
    fail(source, fmt::format("tensor {:?}: missing or non-string \"dtype\"", name));
  }
  const auto dtype = parse_dtype(dtype_it->get_ref<const std::string&>());
  if (!dtype) fail(source, fmt::format("tensor {:?}: unknown dtype {}", name, dtype_it->dump()));
  info.dtype = *dtype;

  const auto shape_it = entry.find("shape");
  if (shape_it == entry.end() || !shape_it->is_array()) {
    fail(source, fmt::format("tensor {:?}: missing or non-array \"shape\"", name));
  }
  std::uint64_t elements = 1;
  for (const auto& d : *shape_it) {
    const std::uint64_t dim = as_u64(d, source, name, "each shape dimension");
    if (dim > static_cast<std::uint64_t>(INT64_MAX) || __builtin_mul_overflow(elements, dim, &elements)) {
      fail(source, fmt::format("tensor {:?}: shape {} overflows", name, shape_it->dump()));
    }
    info.shape.push_back(static_cast<std::int64_t>(dim));
  }

  const auto offsets_it = entry.find("data_offsets");
  if (offsets_it == entry.end() || !offsets_it->is_array() || offsets_it->size() != 2) {
    fail(source, fmt::format("tensor {:?}: \"data_offsets\" must be [begin, end]", name));
  }
  info.begin = as_u64((*offsets_it)[0], source, name, "data_offsets[0]");
  info.end = as_u64((*offsets_it)[1], source, name, "data_offsets[1]");
  if (info.end < info.begin) {
    fail(source, fmt::format("tensor {:?}: data_offsets [{}, {}] end before begin", name, info.begin, info.end));
  }
  std::uint64_t bytes = 0;
  if (__builtin_mul_overflow(elements, dtype_size(info.dtype), &bytes) || bytes != info.end - info.begin) {
    fail(source, fmt::format("tensor {:?}: shape {} of {} needs {} x {} bytes, but data_offsets [{}, {}] span {}",
                             name, shape_string(info.shape), dtype_name(info.dtype), elements,
                             dtype_size(info.dtype), info.begin, info.end, info.end - info.begin));
  }
  return info;
}

std::map<std::string, std::string> parse_metadata(const json& value, std::string_view source) {
  if (!value.is_object()) fail(source, fmt::format("{} must be an object of strings", kMetadataKey));
  std::map<std::string, std::string> out;
  for (const auto& [key, v] : value.items()) {
    if (!v.is_string()) fail(source, fmt::format("{} value of {:?} is not a string: {}", kMetadataKey, key, v.dump()));
    out[key] = v.get<std::string>();
  }
  return out;
}

}  // namespace

SafetensorsFile SafetensorsFile::read(const std::filesystem::path& path) {
  return parse(read_file(path), path.string());
}

SafetensorsFile SafetensorsFile::parse(std::string bytes, std::string source) {
  SafetensorsFile f;
  f.source_ = std::move(source);
  const std::string_view src = f.source_;
  if (bytes.size() < 8) {
    fail(src, fmt::format("file is {} bytes, too short for the 8-byte safetensors header length", bytes.size()));
  }
  const std::uint64_t n = read_u64_le(bytes);
  if (n > kMaxHeaderSize) fail(src, fmt::format("safetensors header length {} exceeds the limit {}", n, kMaxHeaderSize));
  if (n > bytes.size() - 8) {
    fail(src, fmt::format("safetensors header length {} exceeds the {} bytes after the length field (truncated file?)",
                          n, bytes.size() - 8));
  }
  const json header = parse_header(std::string_view(bytes).substr(8, n), src);
  f.data_start_ = 8 + n;
  const std::uint64_t buffer_size = bytes.size() - f.data_start_;

  for (const auto& [name, entry] : header.items()) {
    if (name == kMetadataKey) {
      f.metadata_ = parse_metadata(entry, src);
    } else {
      f.tensors_.push_back(parse_entry(name, entry, src));
    }
  }
  std::sort(f.tensors_.begin(), f.tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t expected = 0;
  const TensorInfo* previous = nullptr;
  for (const auto& t : f.tensors_) {
    if (t.begin < expected) {
      fail(src, fmt::format("tensor {:?} data_offsets [{}, {}] overlap tensor {:?} [{}, {}]", t.name, t.begin, t.end,
                            previous->name, previous->begin, previous->end));
    }
    if (t.begin > expected) {
      fail(src, fmt::format("tensor {:?} data_offsets [{}, {}] leave a gap of {} bytes after offset {}", t.name,
                            t.begin, t.end, t.begin - expected, expected));
    }
    expected = t.end;
    previous = &t;
  }
  if (expected != buffer_size) {
    fail(src, fmt::format("data buffer is {} bytes but the tensors cover {} ({})", buffer_size, expected,
                          expected > buffer_size ? "truncated file" : "trailing bytes"));
  }
  for (std::size_t i = 0; i < f.tensors_.size(); ++i) f.index_.emplace(f.tensors_[i].name, i);
  f.bytes_ = std::move(bytes);
  return f;
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

const TensorInfo& SafetensorsFile::at(std::string_view name) const {
  const TensorInfo* t = find(name);
  if (t == nullptr) throw Error(ErrorCode::kNotFound, fmt::format("{}: no tensor named {:?}", source_, name));
  return *t;
}

std::span<const std::byte> SafetensorsFile::data(const TensorInfo& info) const {
  return std::as_bytes(std::span(bytes_)).subspan(data_start_ + info.begin, info.num_bytes());
}

std::vector<float> SafetensorsFile::to_f32(std::string_view name) const {
  std::vector<float> out(at(name).num_elements());
  copy_f32(name, out);
  return out;
}

void SafetensorsFile::copy_f32(std::string_view name, std::span<float> out) const {
  const TensorInfo& t = at(name);
  if (out.size() != t.num_elements()) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: tensor {:?} has {} elements (shape {}), the destination {}",
                                                source_, name, t.num_elements(), shape_string(t.shape), out.size()));
  }
  const auto bytes = data(t);
  switch (t.dtype) {
    case DType::kF32:
      if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
      break;
    case DType::kF16:
    case DType::kBF16:
      for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint16_t h;
        std::memcpy(&h, bytes.data() + 2 * i, 2);
        out[i] = t.dtype == DType::kF16 ? f16_to_f32(h) : bf16_to_f32(h);
      }
      break;
    default:
      throw Error(ErrorCode::kFormat, fmt::format("{}: tensor {:?} has dtype {}, expected a float type (F32, F16, BF16)",
                                                  source_, name, dtype_name(t.dtype)));
  }
  // A NaN or infinite weight turns every prediction into NaN without any error: a model (or
  // checkpoint) holding one is refused when read, before it can be served.
  const auto bad = std::find_if(out.begin(), out.end(), [](float v) { return !std::isfinite(v); });
  if (bad != out.end()) {
    throw Error(ErrorCode::kFormat,
                fmt::format("{}: tensor {:?} holds a non-finite value ({}) at element {}", source_,
                            name, *bad, bad - out.begin()));
  }
}

void SafetensorsFile::copy_bytes(std::string_view name, DType expected, std::span<std::byte> out) const {
  const TensorInfo& t = at(name);
  if (t.dtype != expected) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: tensor {:?} has dtype {}, expected {}", source_, name,
                                                dtype_name(t.dtype), dtype_name(expected)));
  }
  if (out.size() != t.num_bytes()) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: tensor {:?} has {} bytes (shape {}), the destination {}",
                                                source_, name, t.num_bytes(), shape_string(t.shape), out.size()));
  }
  if (!out.empty()) std::memcpy(out.data(), data(t).data(), out.size());
}

}  // namespace zhsenti::modelfile
