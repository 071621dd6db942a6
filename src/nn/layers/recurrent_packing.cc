// A recurrent layer's forward weights packed for inference (packed_weights.h): fp32 panels
// of W_ih^T and W_hh^T, or with bf16 the same in bfloat16 plus the stacked [W_ih^T; W_hh^T]
// a bf16 step multiplies [x_t, h_{t-1}] by (lstm, rnn), or with int8 both matrices as int8
// panels (kernels/int8_gemm.h).
#include "kernels/bf16_gemm.h"
#include "kernels/packed_gemm.h"
#include "layers/packed_weights.h"
#include "zhsenti/nn/layers/recurrent.h"

namespace zhsenti::nn {

namespace {
// Each packed matrix starts on a 16-float (64-byte) boundary.
std::size_t rounded(std::size_t floats) { return (floats + 15) / 16 * 16; }
std::size_t bf16_floats(int k, int n) { return rounded((packed_bf16_size(k, n) + 1) / 2); }
std::size_t i8_floats(int k, int n) { return rounded((packed_i8_bytes(k, n) + 3) / 4); }

// A weight's int8 rows: the model's stored quantisation, or its values quantised now.
PackedI8 pack_i8(const ParamStore& store, ParamStore::Id id, int k, int n,
                 std::span<const QuantizedRows> quantized, float* buffer) {
  const auto index = static_cast<std::size_t>(id);
  QuantizedRows local;
  const QuantizedRows* q =
      index < quantized.size() && !quantized[index].values.empty() ? &quantized[index] : nullptr;
  if (q == nullptr) {
    local = quantize_rows(store.value(id), n, k);
    q = &local;
  }
  return pack_i8_into(k, n, q->values.data(), q->scales.data(),
                      reinterpret_cast<std::byte*>(buffer));
}
}  // namespace

std::size_t RecurrentLayer::packed_weights_size(Precision precision) const {
  const int g = gate_count(cell_) * hidden_;
  if (precision == Precision::kInt8) return dirs_ * (i8_floats(input_, g) + i8_floats(hidden_, g));
  if (precision == Precision::kBf16) {
    const std::size_t stacked =
        cell_ == CellType::kGru ? 0 : bf16_floats(bf16_padded_k(input_) + hidden_, g);
    return dirs_ * (bf16_floats(input_, g) + bf16_floats(hidden_, g) + stacked);
  }
  return dirs_ * (rounded(packed_size(Trans::kYes, input_, g)) +
                  rounded(packed_size(Trans::kYes, hidden_, g)));
}

void RecurrentLayer::pack_forward_weights(const ParamStore& store, float* buffer,
                                          PackedRecurrentWeights& out, Precision precision,
                                          std::span<const QuantizedRows> quantized) const {
  const int g = gate_count(cell_) * hidden_;
  out = PackedRecurrentWeights{};
  out.precision = precision;
  for (int d = 0; d < dirs_; ++d) {
    const float* w_ih = store.value(params_[d].w_ih).data();
    const float* w_hh = store.value(params_[d].w_hh).data();
    if (precision == Precision::kInt8) {
      out.w_ih_q[d] = pack_i8(store, params_[d].w_ih, input_, g, quantized, buffer);
      buffer += i8_floats(input_, g);
      out.w_hh_q[d] = pack_i8(store, params_[d].w_hh, hidden_, g, quantized, buffer);
      buffer += i8_floats(hidden_, g);
      continue;
    }
    if (precision == Precision::kBf16) {
      out.w_ih_b[d] =
          pack_bf16_into(Trans::kYes, input_, g, w_ih, input_, reinterpret_cast<Bf16*>(buffer));
      buffer += bf16_floats(input_, g);
      out.w_hh_b[d] =
          pack_bf16_into(Trans::kYes, hidden_, g, w_hh, hidden_, reinterpret_cast<Bf16*>(buffer));
      buffer += bf16_floats(hidden_, g);
      // lstm/rnn: x and h in one product; gru keeps its hidden product apart (r scales it).
      if (cell_ == CellType::kGru) {
        out.w_in_b[d] = out.w_ih_b[d];
        continue;
      }
      out.w_in_b[d] =
          pack_bf16_stacked_into(input_, hidden_, g, w_ih, w_hh, reinterpret_cast<Bf16*>(buffer));
      buffer += bf16_floats(bf16_padded_k(input_) + hidden_, g);
      continue;
    }
    out.w_ih_t[d] = pack_b_into(Trans::kYes, input_, g, w_ih, input_, buffer);
    buffer += rounded(packed_size(Trans::kYes, input_, g));
    out.w_hh_t[d] = pack_b_into(Trans::kYes, hidden_, g, w_hh, hidden_, buffer);
    buffer += rounded(packed_size(Trans::kYes, hidden_, g));
  }
}

}  // namespace zhsenti::nn
