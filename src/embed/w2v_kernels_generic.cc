// Portable word2vec kernels (any x86-64; what the compiler vectorises with SSE2).
#include <algorithm>
#include <cmath>

#include "w2v_kernels.h"

namespace zhsenti::embed::detail::generic {
namespace {
#include "zhsenti/nn/kernels/vec_lane.inc"
using Vec = Lane;
}  // namespace

#include "w2v_kernels.inc"

}  // namespace zhsenti::embed::detail::generic
