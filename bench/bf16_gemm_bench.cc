// The products of recurrent inference, fp32 against every bf16 implementation this CPU has
// (AVX512-BF16 vdpbf16ps, AMX-BF16 tiles; src/nn/kernels/bf16_gemm.h) and the int8 kernels
// of the active ISA (src/nn/kernels/int8_gemm.h), one thread:
//   step   C (m x 4H) += h (m x H) W_hh^T for m = 1 .. 64 rows (one time step of a batch),
//   hoist  C (N x 4H)  = x (N x E) W_ih^T for N = 4096 tokens (all steps at once),
// with H = E = 128 (the peer's word BiLSTM) unless --k says otherwise. bf16 times include
// rounding A to bf16, int8 times quantising A, as inference does. Prints a table on stderr and one
// JSON object per line on stdout.
//
// Usage: bf16_gemm_bench [--hidden N] [--k K] [--min-seconds S] [--cpu-time]
//   --k 256: the per-step product of bf16 inference, [x_t, h_{t-1}] by [W_ih^T; W_hh^T].

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "kernels/bf16_gemm.h"
#include "kernels/int8_gemm.h"
#include "kernels/kernel_table.h"
#include "kernels/packed_gemm.h"
#include "zhsenti/core/rng.h"
#include "zhsenti/nn/aligned_buffer.h"
#include "zhsenti/nn/kernels/cpu_isa.h"
#include "zhsenti/nn/quantized.h"

namespace {

namespace nn = zhsenti::nn;
using Clock = std::chrono::steady_clock;

// Seconds of wall time, or with --cpu-time of this thread's CPU time: on a shared machine
// the time the thread was not running does not count against the code.
bool g_cpu_time = false;
double seconds_now() {
  if (g_cpu_time) {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  }
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

// Calls per second of fn, repeated until min_seconds have passed.
template <typename Fn>
double rate(const Fn& fn, double min_seconds) {
  fn();
  long calls = 0;
  const double t0 = seconds_now();
  double s = 0;
  do {
    for (int i = 0; i < 16; ++i) fn();
    calls += 16;
    s = seconds_now() - t0;
  } while (s < min_seconds);
  return static_cast<double>(calls) / s;
}

}  // namespace

int main(int argc, char** argv) {
  int hidden = 128, k = 0;
  double min_seconds = 0.3;
  for (int i = 1; i < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--cpu-time") {
      g_cpu_time = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", a.c_str());
      return 2;
    }
    if (a == "--hidden") {
      hidden = std::atoi(argv[i + 1]);
    } else if (a == "--k") {
      k = std::atoi(argv[i + 1]);
    } else if (a == "--min-seconds") {
      min_seconds = std::atof(argv[i + 1]);
    } else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (k <= 0) k = hidden;
  const int n = 4 * hidden, kp = nn::bf16_padded_k(k);
  const int max_m = 4096;
  zhsenti::Rng rng(1);
  nn::AlignedBuffer<float> w(static_cast<std::size_t>(n) * k),
      a(static_cast<std::size_t>(max_m + 16) * k),
      c(static_cast<std::size_t>(max_m + 16) * n, true);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(rng.uniform_double() - 0.5);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(rng.uniform_double() - 0.5);

  nn::AlignedBuffer<float> fp32_panels(nn::packed_size(nn::Trans::kYes, k, n) + 16);
  const nn::PackedB fb = nn::pack_b_into(nn::Trans::kYes, k, n, w.data(), k, fp32_panels.data());
  nn::AlignedBuffer<nn::Bf16> bf16_panels(nn::packed_bf16_size(k, n));
  const nn::PackedBf16 bb =
      nn::pack_bf16_into(nn::Trans::kYes, k, n, w.data(), k, bf16_panels.data());
  nn::AlignedBuffer<nn::Bf16> ab(static_cast<std::size_t>(max_m + 16) * kp, true);

  const nn::QuantizedRows wq = nn::quantize_rows({w.data(), w.size()}, n, k);
  nn::AlignedBuffer<std::byte> i8_panels(nn::packed_i8_bytes(k, n));
  const nn::PackedI8 qb =
      nn::pack_i8_into(k, n, wq.values.data(), wq.scales.data(), i8_panels.data());
  const int kp8 = nn::i8_padded_k(k);
  nn::AlignedBuffer<std::int8_t> aq(static_cast<std::size_t>(max_m + 16) * kp8, true);
  nn::AlignedBuffer<float> a_scales(static_cast<std::size_t>(max_m + 16), true);
  const std::string i8_impl(nn::i8_impl_name(nn::i8_kernels().impl));

  std::vector<nn::Bf16Impl> impls;
  for (const auto impl : {nn::Bf16Impl::kReference, nn::Bf16Impl::kAvx512, nn::Bf16Impl::kAmx}) {
    if (nn::bf16_impl_supported(impl)) impls.push_back(impl);
  }
  const bool amx = nn::bf16_impl_supported(nn::Bf16Impl::kAmx);
  std::fprintf(stderr, "isa %s, k = %d, n = %d; GFLOP/s, one thread\n%8s %10s",
               std::string(nn::isa_name(nn::active_isa())).c_str(), k, n, "rows", "fp32");
  for (const auto impl : impls) {
    std::fprintf(stderr, " %10s", std::string(nn::bf16_impl_name(impl)).c_str());
  }
  if (amx) std::fprintf(stderr, " %10s", "amx+spare");
  std::fprintf(stderr, " %12s\n", ("int8 " + i8_impl).c_str());

  // GFLOP/s of converting A and multiplying, as inference does; spare: rows past m the AMX
  // kernel may compute as scratch (whole 16-row tiles).
  auto bf16_gflops = [&](nn::Bf16Impl impl, int m, int spare) {
    const nn::Bf16Kernels& kt = nn::bf16_kernels_for(impl);
    nn::Bf16GemmArgs args{m,    n,        k, kp, ab.data(), kp, bb.panels, bb.panel_stride,
                          1.0f, c.data(), n};
    args.m_spare = spare;
    const double calls = rate(
        [&] {
          kt.convert({m, k, kp, a.data(), k, ab.data(), kp});
          kt.gemm(args);
        },
        impl == nn::Bf16Impl::kReference ? 0.05 : min_seconds);
    return calls * 2.0 * m * k * n / 1e9;
  };
  for (const int m : {1, 2, 4, 8, 12, 16, 24, 32, 48, 50, 64, 4096}) {
    const double flops = 2.0 * m * k * n;
    const double fp32 =
        rate([&] { nn::gemm_packed(m, a.data(), k, fb, 1.0f, c.data(), n); }, min_seconds) * flops /
        1e9;
    std::fprintf(stderr, "%8d %10.1f", m, fp32);
    std::string json = fmt::format(
        R"({{"bench": "bf16_gemm", "rows": {}, "k": {}, "n": {}, "fp32_gflops": {:.2f})", m, k, n,
        fp32);
    for (const auto impl : impls) {
      if (impl == nn::Bf16Impl::kReference && m > 64) {
        std::fprintf(stderr, " %10s", "-");
        continue;
      }
      const double g = bf16_gflops(impl, m, 0);
      std::fprintf(stderr, " %10.1f", g);
      json += fmt::format(R"(, "{}_gflops": {:.2f})", nn::bf16_impl_name(impl), g);
    }
    if (amx) {
      const double g = bf16_gflops(nn::Bf16Impl::kAmx, m, (m + 15) / 16 * 16 - m);
      std::fprintf(stderr, " %10.1f", g);
      json += fmt::format(R"(, "amx_spare_gflops": {:.2f})", g);
    }
    const double i8 =
        rate(
            [&] {
              nn::quantize_rows_i8(m, k, a.data(), k, aq.data(), kp8, a_scales.data());
              nn::gemm_i8(m, aq.data(), kp8, a_scales.data(), qb, c.data(), n);
            },
            i8_impl == "generic" ? 0.05 : min_seconds) *
        flops / 1e9;
    std::fprintf(stderr, " %12.1f\n", i8);
    json += fmt::format(R"(, "int8_{}_gflops": {:.2f})", i8_impl, i8);
    std::printf("%s}\n", json.c_str());
  }
  return 0;
}
