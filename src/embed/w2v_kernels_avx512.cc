// word2vec kernels for AVX-512F (this file is compiled with -mavx512f -mfma).
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "w2v_kernels.h"

namespace zhsenti::embed::detail::avx512 {
namespace {
#include "zhsenti/nn/kernels/vec_avx512.inc"
}  // namespace

#include "w2v_kernels.inc"

}  // namespace zhsenti::embed::detail::avx512
