// Generic build of the kernels: plain C++ for any x86-64 (and any other CPU).
#include <cstddef>

#include "kernels/kernel_table.h"

namespace zhsenti::nn {
namespace generic {
namespace {

constexpr Isa kIsa = Isa::kGeneric;
constexpr void (*kGemmPacked)(const PackedGemmArgs&) = nullptr;  // gemm_packed uses BLAS
constexpr int kGemmPanel = 0;
#include "zhsenti/nn/kernels/vec_lane.inc"
using Vec = Lane;
#include "kernels/kernels_impl.inc"

}  // namespace
}  // namespace generic

const KernelTable& generic_kernel_table() { return generic::table(); }

}  // namespace zhsenti::nn
