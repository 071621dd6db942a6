#include "layers/input_hoisting.h"

#include <cstring>

#include "kernels/bf16_gemm.h"
#include "kernels/int8_gemm.h"
#include "kernels/packed_gemm.h"
#include "layers/row_parallel.h"

namespace zhsenti::nn {

HoistedInputs hoist_inputs(const HoistShape& shape, int rows, const float* x, int ld_x,
                           const PackedRecurrentWeights& packed,
                           const RecurrentLayer::Precomputed* pre, Workspace& ws) {
  const int g = shape.gates, in = shape.input, dirs = shape.directions;
  const bool from_table = pre != nullptr && pre->input_table[0] != nullptr;
  const bool bf16 = packed.precision == Precision::kBf16;
  const bool int8 = packed.precision == Precision::kInt8;
  HoistedInputs out;

  // The rows to project: all of them, or those whose id is not in the table.
  int misses = 0;
  int32_t* miss_rows = nullptr;
  const float* proj_x = x;
  int ld_proj = ld_x, proj_rows = rows;
  float* dest[RecurrentLayer::kMaxDirections] = {};
  if (from_table) {
    miss_rows = ws.ints(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      if (pre->ids[r] >= pre->table_rows) miss_rows[misses++] = r;
    }
    if (misses > 0) {
      float* gathered = ws.floats(static_cast<std::size_t>(misses) * in);
      for (int m = 0; m < misses; ++m) {
        std::memcpy(gathered + static_cast<std::ptrdiff_t>(m) * in,
                    x + static_cast<std::ptrdiff_t>(pre->ids[miss_rows[m]]) * ld_x,
                    sizeof(float) * static_cast<std::size_t>(in));
      }
      proj_x = gathered;
      ld_proj = in;
    }
    proj_rows = misses;
    for (int d = 0; d < dirs; ++d) {
      out.x_rows[d] =
          static_cast<const float**>(ws.bytes(sizeof(float*) * static_cast<std::size_t>(rows)));
    }
  }
  for (int d = 0; d < dirs; ++d) {
    if (proj_rows > 0) dest[d] = ws.floats(static_cast<std::size_t>(proj_rows) * g);
    if (!from_table) out.gates[d] = dest[d];
  }
  Bf16* xb = nullptr;
  const int kp = bf16_padded_k(in);
  if (bf16 && proj_rows > 0) {
    xb = static_cast<Bf16*>(ws.bytes(sizeof(Bf16) * static_cast<std::size_t>(proj_rows) * kp));
    for_row_blocks(ws.pool(), proj_rows, [&](int r0, int n) {
      convert_rows_bf16(n, in, proj_x + static_cast<std::ptrdiff_t>(r0) * ld_proj, ld_proj,
                        xb + static_cast<std::ptrdiff_t>(r0) * kp, kp);
    });
  }

  std::int8_t* xq = nullptr;
  float* xs = nullptr;
  const int kq = i8_padded_k(in);
  if (int8 && proj_rows > 0) {
    xq = static_cast<std::int8_t*>(ws.bytes(static_cast<std::size_t>(proj_rows) * kq));
    xs = ws.floats(static_cast<std::size_t>(proj_rows));
    for_row_blocks(ws.pool(), proj_rows, [&](int r0, int n) {
      quantize_rows_i8(n, in, proj_x + static_cast<std::ptrdiff_t>(r0) * ld_proj, ld_proj,
                       xq + static_cast<std::ptrdiff_t>(r0) * kq, kq, xs + r0);
    });
  }

  auto hoist = [&](int d, ThreadPool* pool) {
    if (proj_rows > 0)
      for_row_blocks(pool, proj_rows, [&](int r0, int n) {
        float* c = dest[d] + static_cast<std::ptrdiff_t>(r0) * g;
        if (int8) {
          gemm_i8(n, xq + static_cast<std::ptrdiff_t>(r0) * kq, kq, xs + r0, packed.w_ih_q[d], c,
                  g);
        } else if (bf16) {
          gemm_bf16(n, xb + static_cast<std::ptrdiff_t>(r0) * kp, kp, packed.w_ih_b[d], 0.0f, c, g);
        } else {
          gemm_packed(n, proj_x + static_cast<std::ptrdiff_t>(r0) * ld_proj, ld_proj,
                      packed.w_ih_t[d], 0.0f, c, g);
        }
      });
    if (!from_table) return;
    for (int r = 0; r < rows; ++r) {
      out.x_rows[d][r] = pre->input_table[d] + static_cast<std::ptrdiff_t>(pre->ids[r]) * g;
    }
    for (int m = 0; m < misses; ++m) {
      out.x_rows[d][miss_rows[m]] = dest[d] + static_cast<std::ptrdiff_t>(m) * g;
    }
  };
  if (dirs > 1 && ws.pool() != nullptr) {
    run_parallel(ws, dirs, [&](int d) { hoist(d, nullptr); });
  } else {
    for (int d = 0; d < dirs; ++d) hoist(d, ws.pool());
  }
  return out;
}

}  // namespace zhsenti::nn
