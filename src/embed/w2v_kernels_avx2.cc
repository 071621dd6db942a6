// word2vec kernels for AVX2 + FMA (this file is compiled with -mavx2 -mfma).
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "w2v_kernels.h"

namespace zhsenti::embed::detail::avx2 {
namespace {
#include "zhsenti/nn/kernels/vec_avx2.inc"
}  // namespace

#include "w2v_kernels.inc"

}  // namespace zhsenti::embed::detail::avx2
