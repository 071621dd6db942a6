#include "zhsenti/modelfile/tensor_check.h"

#include <fmt/format.h>

#include <set>

#include "zhsenti/core/error.h"
#include "zhsenti/modelfile/sparse_weights.h"

namespace zhsenti::modelfile {

void check_tensors(const SafetensorsFile& file, std::span<const ExpectedTensor> expected) {
  std::vector<std::string> problems;
  std::set<std::string, std::less<>> wanted;
  for (const auto& e : expected) {
    wanted.insert(e.name);
    if (stores_sparse(file, e.name) && (!e.dtype || *e.dtype == DType::kF32)) {
      // A pruned matrix: copy_weight checks the pair against the shape as it decodes it.
      wanted.insert(e.name + std::string(kSparseBitmapSuffix));
      wanted.insert(e.name + std::string(kSparseValuesSuffix));
      if (file.find(e.name + std::string(kSparseValuesSuffix)) == nullptr) {
        problems.push_back(fmt::format("missing {}{}", e.name, kSparseValuesSuffix));
      }
      continue;
    }
    const TensorInfo* t = file.find(e.name);
    if (t == nullptr) {
      problems.push_back(fmt::format("missing {} {}", e.name, shape_string(e.shape)));
      continue;
    }
    if (t->shape != e.shape) {
      problems.push_back(fmt::format("{} has shape {}, expected {}", e.name, shape_string(t->shape),
                                     shape_string(e.shape)));
    }
    if (e.dtype && t->dtype != *e.dtype) {
      problems.push_back(fmt::format("{} has dtype {}, expected {}", e.name, dtype_name(t->dtype),
                                     dtype_name(*e.dtype)));
    }
  }
  for (const auto& t : file.tensors()) {
    if (!wanted.contains(t.name)) {
      problems.push_back(fmt::format("unexpected {} {}", t.name, shape_string(t.shape)));
    }
  }
  if (!problems.empty()) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: tensors do not match the model: {}", file.source(),
                                                fmt::join(problems, "; ")));
  }
}

}  // namespace zhsenti::modelfile
