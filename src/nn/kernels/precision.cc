#include "zhsenti/nn/kernels/precision.h"

#include <cpuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "zhsenti/core/check.h"
#include "zhsenti/nn/kernels/cpu_isa.h"

namespace zhsenti::nn {

namespace {

// Linux: arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) lets this process use AMX tile
// data; without it the first tile instruction raises SIGILL.
constexpr long kArchReqXcompPerm = 0x1023;
constexpr long kXfeatureXtiledata = 18;

struct Cpuid {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
};

bool cpuid(unsigned leaf, unsigned subleaf, Cpuid& out) {
  return __get_cpuid_count(leaf, subleaf, &out.eax, &out.ebx, &out.ecx, &out.edx) != 0;
}

uint64_t xcr0() {
  unsigned lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

bool os_saves_state(uint64_t mask) {
  Cpuid r;
  if (!cpuid(1, 0, r) || (r.ecx & (1u << 27)) == 0) return false;  // OSXSAVE
  return (xcr0() & mask) == mask;
}

bool cpu_has_avx512_bf16() {
  Cpuid r;
  return cpuid(7, 0, r) && r.eax >= 1 && cpuid(7, 1, r) && (r.eax & (1u << 5)) != 0;
}

bool cpu_has_amx_bf16() {
  Cpuid r;
  // EDX bit 22 AMX-BF16, bit 24 AMX-TILE; XCR0 bits 17-18: tile configuration and data.
  return cpuid(7, 0, r) && (r.edx & (1u << 22)) != 0 && (r.edx & (1u << 24)) != 0 &&
         os_saves_state((uint64_t{1} << 17) | (uint64_t{1} << 18));
}

bool amx_permitted() {
  static const bool permitted = [] {
    if (!cpu_has_amx_bf16()) return false;
    return ::syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
  }();
  return permitted;
}

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? nullptr : value;
}

}  // namespace

std::string_view precision_name(Precision precision) {
  switch (precision) {
    case Precision::kBf16:
      return "bf16";
    case Precision::kInt8:
      return "int8";
    case Precision::kFp32:
      break;
  }
  return "fp32";
}

Precision parse_precision(std::string_view name) {
  for (const Precision p : {Precision::kFp32, Precision::kBf16, Precision::kInt8}) {
    if (name == precision_name(p)) return p;
  }
  ZHSENTI_CHECK_ARG(false, "unknown precision '{}' (expected fp32, bf16 or int8)", name);
  return Precision::kFp32;
}

std::string_view bf16_impl_name(Bf16Impl impl) {
  switch (impl) {
    case Bf16Impl::kReference:
      return "reference";
    case Bf16Impl::kAvx512:
      return "avx512";
    case Bf16Impl::kAmx:
      return "amx";
  }
  return "?";
}

Bf16Impl parse_bf16_impl(std::string_view name) {
  for (const Bf16Impl impl : {Bf16Impl::kReference, Bf16Impl::kAvx512, Bf16Impl::kAmx}) {
    if (name == bf16_impl_name(impl)) return impl;
  }
  ZHSENTI_CHECK_ARG(false, "unknown bf16 implementation '{}' (expected reference, avx512 or amx)",
                    name);
  return Bf16Impl::kReference;
}

bool bf16_impl_supported(Bf16Impl impl) {
  switch (impl) {
    case Bf16Impl::kReference:
      return true;
    case Bf16Impl::kAvx512:
      return isa_supported(Isa::kAvx512) && cpu_has_avx512_bf16();
    case Bf16Impl::kAmx:
      // The AMX kernel hands its edges to the AVX512-BF16 one.
      return bf16_impl_supported(Bf16Impl::kAvx512) && amx_permitted();
  }
  return false;
}

Bf16Impl detected_bf16_impl() {
  if (active_isa() != Isa::kAvx512) return Bf16Impl::kReference;
  for (const Bf16Impl impl : {Bf16Impl::kAmx, Bf16Impl::kAvx512}) {
    if (bf16_impl_supported(impl)) return impl;
  }
  return Bf16Impl::kReference;
}

namespace {

Bf16Impl choose_bf16_impl() {
  const char* forced = env("ZHSENTI_BF16");
  if (forced == nullptr) return detected_bf16_impl();
  const Bf16Impl impl = parse_bf16_impl(forced);
  ZHSENTI_CHECK_ARG(bf16_impl_supported(impl),
                    "ZHSENTI_BF16={} but this CPU (or OS) does not support it; best: {}", forced,
                    bf16_impl_name(detected_bf16_impl()));
  return impl;
}

Precision choose_precision() {
  if (const char* forced = env("ZHSENTI_PRECISION")) return parse_precision(forced);
  return active_bf16_impl() == Bf16Impl::kReference ? Precision::kFp32 : Precision::kBf16;
}

}  // namespace

Bf16Impl active_bf16_impl() {
  static const Bf16Impl impl = choose_bf16_impl();
  return impl;
}

Precision default_inference_precision() {
  static const Precision precision = choose_precision();
  return precision;
}

}  // namespace zhsenti::nn
