#pragma once
// Arithmetic precision of inference (training is always fp32).
//
// bf16 inference rounds the recurrent layers' weights and the left operand of their
// products (embeddings, hidden states) to bfloat16, round to nearest even, and accumulates
// in fp32; gate activations, cell states, pooling and the output layer stay fp32.
//
// The bf16 products run on one of three implementations, chosen once per process:
//   amx        AMX-BF16 tiles for whole 16-row x 16-column blocks, AVX512-BF16 for the rest
//   avx512     AVX512-BF16 (vdpbf16ps) only
//   reference  portable scalar code with the hardware's rounding (any CPU; tests)
// The best one the CPU and OS support is used (the hardware ones only when the AVX-512
// kernels are active, see cpu_isa.h); ZHSENTI_BF16=reference|avx512|amx forces one (one the
// CPU or OS lacks, or an unknown name, is an Error naming it). AMX needs the kernel's
// permission (arch_prctl ARCH_REQ_XCOMP_PERM), requested once; a refusal means no AMX.
//
// Default inference precision: bf16 when a hardware implementation is available, else fp32.
// ZHSENTI_PRECISION=fp32|bf16|int8 overrides it (bf16 without the hardware runs the
// reference: correct, slow).
//
// int8 (a quantised model's default, `zhsenti quantize`): the recurrent products take int8
// weights with per-row scales (nn/quantized.h) and their left operands quantised per row at
// run time (dynamic quantisation), with exact int32 sums (kernels/int8_gemm.h: AVX-512
// VNNI, AVX2 or generic, chosen with the ISA of cpu_isa.h, bit-identical results); the rest
// stays fp32, as with bf16. An fp32 model run in int8 quantises its weights when packing.

#include <string_view>

namespace zhsenti::nn {

enum class Precision { kFp32 = 0, kBf16 = 1, kInt8 = 2 };

std::string_view precision_name(Precision precision);
// "fp32" | "bf16" | "int8"; throws Error(kInvalidArgument) otherwise.
Precision parse_precision(std::string_view name);
// ZHSENTI_PRECISION if set, else bf16 when active_bf16_impl() is hardware. Fixed after the
// first call.
Precision default_inference_precision();

enum class Bf16Impl { kReference = 0, kAvx512 = 1, kAmx = 2 };

std::string_view bf16_impl_name(Bf16Impl impl);
// "reference" | "avx512" | "amx"; throws Error(kInvalidArgument) otherwise.
Bf16Impl parse_bf16_impl(std::string_view name);
// Whether this CPU and OS can run it (amx: asks the OS for the tile permission once).
bool bf16_impl_supported(Bf16Impl impl);
// The fastest supported implementation, reference unless the AVX-512 kernels are active.
Bf16Impl detected_bf16_impl();
// ZHSENTI_BF16 if set, else detected_bf16_impl(). Fixed after the first call.
Bf16Impl active_bf16_impl();

}  // namespace zhsenti::nn
