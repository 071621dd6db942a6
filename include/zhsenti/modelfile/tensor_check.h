#pragma once
// Compares a weights file against the tensor table a model expects, before any value is
// copied, and reports every difference at once (a half-matching file is usually the wrong
// architecture or vocabulary size, and one message with all the differences says which).

#include <optional>
#include <span>
#include <string>

#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::modelfile {

struct ExpectedTensor {
  std::string name;
  Shape shape;
  std::optional<DType> dtype = DType::kF32;  // nullopt: any dtype
};

// Throws Error(kFormat):
//   "<file>: tensors do not match the model: missing a [3, 4]; unexpected b [2];
//    c has shape [2, 3], expected [3, 2]; d has dtype I8, expected F32"
void check_tensors(const SafetensorsFile& file, std::span<const ExpectedTensor> expected);

}  // namespace zhsenti::modelfile
