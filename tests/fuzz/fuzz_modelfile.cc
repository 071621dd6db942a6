// The safetensors reader on arbitrary bytes: it either accepts the file or throws
// zhsenti::Error; it never crashes, reads out of bounds or throws anything else. Every
// accepted file must also be readable tensor by tensor (or refuse a non-finite value with
// Error(kFormat)) and re-serialise to identical data.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "zhsenti/core/error.h"
#include "zhsenti/modelfile/safetensors.h"

using zhsenti::modelfile::DType;
using zhsenti::modelfile::SafetensorsFile;
using zhsenti::modelfile::SafetensorsWriter;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  SafetensorsFile file;
  try {
    file = SafetensorsFile::parse(std::move(bytes), "fuzz");
  } catch (const zhsenti::Error&) {
    return 0;
  }
  SafetensorsWriter writer;
  for (const auto& t : file.tensors()) {
    const auto span = file.data(t);
    if (span.size() != t.num_bytes()) std::abort();
    if (t.dtype == DType::kF32 || t.dtype == DType::kF16 || t.dtype == DType::kBF16) {
      try {
        if (file.to_f32(t.name).size() != t.num_elements()) std::abort();
      } catch (const zhsenti::Error& e) {
        // A NaN or infinite value, refused by name: the one error an accepted file may still
        // raise tensor by tensor.
        if (e.code() != zhsenti::ErrorCode::kFormat) std::abort();
      }
    }
    writer.add(t.name, t.dtype, t.shape, span);
  }
  for (const auto& [k, v] : file.metadata()) writer.set_metadata(k, v);
  const auto again = SafetensorsFile::parse(writer.serialize(), "fuzz-again");
  if (again.tensors().size() != file.tensors().size()) std::abort();
  for (const auto& t : again.tensors()) {
    const auto a = again.data(t);
    const auto b = file.data(file.at(t.name));
    if (a.size() != b.size() || !std::equal(a.begin(), a.end(), b.begin())) std::abort();
  }
  return 0;
}
