#include "zhsenti/nn/kernels/cpu_isa.h"

#include <cstdlib>
#include <string>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::kGeneric:
      return "generic";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
  }
  return "?";
}

Isa parse_isa(std::string_view name) {
  for (const Isa isa : {Isa::kGeneric, Isa::kAvx2, Isa::kAvx512}) {
    if (name == isa_name(isa)) return isa;
  }
  ZHSENTI_CHECK_ARG(false, "unknown instruction set '{}' (expected generic, avx2 or avx512)",
                    name);
  return Isa::kGeneric;
}

bool isa_supported(Isa isa) {
  // libgcc's detection also checks that the OS saves the wide registers (XCR0).
  switch (isa) {
    case Isa::kGeneric:
      return true;
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::kAvx512:
      return isa_supported(Isa::kAvx2) && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl");
  }
  return false;
}

Isa detected_isa() {
  for (const Isa isa : {Isa::kAvx512, Isa::kAvx2}) {
    if (isa_supported(isa)) return isa;
  }
  return Isa::kGeneric;
}

namespace {
Isa choose_isa() {
  const char* forced = std::getenv("ZHSENTI_ISA");
  if (forced == nullptr || *forced == '\0') return detected_isa();
  const Isa isa = parse_isa(forced);
  ZHSENTI_CHECK_ARG(isa_supported(isa), "ZHSENTI_ISA={} but this CPU supports at most {}",
                    forced, isa_name(detected_isa()));
  return isa;
}
}  // namespace

Isa active_isa() {
  static const Isa isa = choose_isa();
  return isa;
}

}  // namespace zhsenti::nn
