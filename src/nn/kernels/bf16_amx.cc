// AMX-BF16 build of the bf16 GEMM (compiled with -mamx-tile -mamx-bf16 and the AVX-512
// flags). Tiles cover whole 16-row x 16-column blocks of C (the last partial row block too
// when the caller has spare rows); the remainders go to the AVX512-BF16 kernel, so the tile
// configuration never changes: every tile is 16 rows of 64 bytes. No std:: inline functions here
// (see bf16_avx512.cc).
//
// Tiles: tmm0-3 C (2 x 2 blocks of 16 x 16 fp32), tmm4-5 A (16 rows x 32 bf16), tmm6-7 B
// (16 pair rows x 16 columns). A row block of 32 stays in L1 while B streams by.
#include <immintrin.h>

#include <cstdint>

#include "kernels/bf16_gemm.h"

namespace zhsenti::nn {
namespace {

struct alignas(64) TileConfig {
  std::uint8_t palette = 1;
  std::uint8_t start_row = 0;
  std::uint8_t reserved[14] = {};
  std::uint16_t colsb[16] = {};
  std::uint8_t rows[16] = {};
};

// The configuration is per thread and survives context switches (XSAVE), so each thread
// loads it once.
thread_local bool t_configured = false;

void configure() {
  if (t_configured) return;
  TileConfig cfg;
  for (int t = 0; t < 8; ++t) {
    cfg.colsb[t] = 64;
    cfg.rows[t] = 16;
  }
  _tile_loadconfig(&cfg);
  t_configured = true;
}

constexpr int kMinTileRows = 4;

// Strides in bytes.
struct Strides {
  long a, c;
};

// C rows [0, 16 * R) x panels [0, P) with R, P in {1, 2}.
template <int R, int P>
inline void block(const Bf16GemmArgs& g, const Bf16* a, const Bf16* b, float* c, Strides s) {
  float* c01 = c + 16;
  float* c10 = c + 16 * g.ldc;
  float* c11 = c10 + 16;
  if (g.beta != 0.0f) {
    _tile_loadd(0, c, s.c);
    if (P == 2) _tile_loadd(1, c01, s.c);
    if (R == 2) _tile_loadd(2, c10, s.c);
    if (R == 2 && P == 2) _tile_loadd(3, c11, s.c);
  } else {
    _tile_zero(0);
    if (P == 2) _tile_zero(1);
    if (R == 2) _tile_zero(2);
    if (R == 2 && P == 2) _tile_zero(3);
  }
  const Bf16* b1 = b + g.panel_stride;
  const Bf16* a1 = a + 16 * g.lda;
  const int blocks = (g.k + kBf16KBlock - 1) / kBf16KBlock;
  for (int kb = 0; kb < blocks; ++kb) {
    // One k block: 32 columns of A, 16 pair rows (16 x 32 bf16 = 1 KB) of each B panel.
    _tile_loadd(4, a + kb * kBf16KBlock, s.a);
    _tile_loadd(6, b + kb * 16 * 2 * kBf16Panel, 64);
    _tile_dpbf16ps(0, 4, 6);
    if (P == 2) {
      _tile_loadd(7, b1 + kb * 16 * 2 * kBf16Panel, 64);
      _tile_dpbf16ps(1, 4, 7);
    }
    if (R == 2) {
      _tile_loadd(5, a1 + kb * kBf16KBlock, s.a);
      _tile_dpbf16ps(2, 5, 6);
      if (P == 2) _tile_dpbf16ps(3, 5, 7);
    }
  }
  _tile_stored(0, c, s.c);
  if (P == 2) _tile_stored(1, c01, s.c);
  if (R == 2) _tile_stored(2, c10, s.c);
  if (R == 2 && P == 2) _tile_stored(3, c11, s.c);
}

template <int R>
void row_block(const Bf16GemmArgs& g, int i, int panels, Strides s) {
  const Bf16* a = g.a + i * g.lda;
  float* c = g.c + i * g.ldc;
  int q = 0;
  for (; q + 2 <= panels; q += 2) {
    block<R, 2>(g, a, g.panels + q * g.panel_stride, c + q * 16, s);
  }
  if (q < panels) block<R, 1>(g, a, g.panels + q * g.panel_stride, c + q * 16, s);
}

}  // namespace

void bf16_amx_gemm(const Bf16GemmArgs& g) {
  int rows = g.m / 16 * 16;
  // Spare rows let the last partial block run on tiles too (its extra rows are scratch):
  // from 4 rows on that beats vdpbf16ps (bench/bf16_gemm_bench: k 128, n 512).
  if (g.m - rows >= kMinTileRows && g.m + g.m_spare >= rows + 16) rows += 16;
  const int panels = g.n / 16;
  if (rows > 0 && panels > 0) {
    // GCC's tileloadd asm does not declare that it reads memory: keep earlier stores before it.
    __asm__ volatile("" ::: "memory");
    configure();
    const Strides s{g.lda * static_cast<long>(sizeof(Bf16)),
                    g.ldc * static_cast<long>(sizeof(float))};
    int i = 0;
    for (; i + 32 <= rows; i += 32) row_block<2>(g, i, panels, s);
    if (i < rows) row_block<1>(g, i, panels, s);
  }
  if (rows < g.m) {
    Bf16GemmArgs rest = g;
    rest.m = g.m - rows;
    rest.a = g.a + rows * g.lda;
    rest.c = g.c + rows * g.ldc;
    bf16_avx512_gemm(rest);
  }
  if (rows > 0 && panels * 16 < g.n) {
    Bf16GemmArgs rest = g;
    rest.m = rows < g.m ? rows : g.m;
    rest.n = g.n - panels * 16;
    rest.panels = g.panels + panels * g.panel_stride;
    rest.c = g.c + panels * 16;
    bf16_avx512_gemm(rest);
  }
}

}  // namespace zhsenti::nn
