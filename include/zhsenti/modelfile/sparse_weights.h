#pragma once
// Sparse storage of pruned weight matrices in model.safetensors (`zhsenti prune`).
//
// A float matrix NAME whose zeros make it pay is stored as two tensors instead of one:
//
//   NAME.sparse_bitmap  U8  [ceil(n / 8)]  bit i % 8 (least significant first) of byte i / 8
//                                          is set when element i (row-major) is non-zero;
//                                          the bits past n are zero
//   NAME.sparse_values  F32 [nnz]          the non-zero elements, in row-major order
//
// n is the element count of the dense shape, which the model's architecture gives (the
// reader checks the bitmap against it). That costs n/8 + 4 nnz bytes against 4 n dense, so
// it pays from about 3 % zeros on; at 50 % a matrix takes 53 % of its dense bytes, at 90 %
// 13 %. Only rank-2 tensors are considered, so models that were not pruned (a few exact
// zeros at most, e.g. the padding row) keep the plain dense file. Every safetensors reader
// can open the file; tools/torch_import.py decodes the pair.

#include <span>
#include <string>
#include <string_view>

#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::modelfile {

inline constexpr std::string_view kSparseBitmapSuffix = ".sparse_bitmap";
inline constexpr std::string_view kSparseValuesSuffix = ".sparse_values";

// Adds a float tensor: dense F32, or the sparse pair when the tensor is a matrix and the
// pair is smaller. The writer owns the encoded pair; dense values stay a view.
void add_weight(SafetensorsWriter& writer, std::string name, Shape shape,
                std::span<const float> values);

// True when `file` stores NAME as the sparse pair.
bool stores_sparse(const SafetensorsFile& file, std::string_view name);

// NAME's values into `out` (its dense element count): a dense tensor through copy_f32, the
// sparse pair decoded. A pair that does not fit `out` (bitmap size, stray bits past n, set
// bits against values) or holds a NaN or infinite value throws Error(kFormat) naming the
// file and the tensor.
void copy_weight(const SafetensorsFile& file, std::string_view name, std::span<float> out);

}  // namespace zhsenti::modelfile
