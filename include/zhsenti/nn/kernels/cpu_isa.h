#pragma once
// Run-time choice of the instruction set for the engine's element-wise kernels
// (CTranslate2's cpu_isa): generic C++ (any x86-64), AVX2+FMA, or AVX-512 (F/DQ/BW/VL).
// Chosen once, on first use, from CPU detection; ZHSENTI_ISA=generic|avx2|avx512 forces one
// (an ISA the CPU lacks, or an unknown name, is an Error naming it).

#include <string_view>

namespace zhsenti::nn {

enum class Isa { kGeneric = 0, kAvx2 = 1, kAvx512 = 2 };

std::string_view isa_name(Isa isa);
// Throws Error(kInvalidArgument) for an unknown name.
Isa parse_isa(std::string_view name);
// The best ISA this CPU (and OS) supports.
Isa detected_isa();
bool isa_supported(Isa isa);
// The ISA in use: ZHSENTI_ISA if set, else detected_isa(). Fixed after the first call.
Isa active_isa();

// isa's one of three per-ISA builds (function pointers): the one place where the engine's
// kernel tables and word2vec's training step are chosen. Pointers rather than values, so
// nothing of a build the CPU lacks runs, not even a table's initialisation.
template <class Fn>
Fn for_isa(Isa isa, Fn generic, Fn avx2, Fn avx512) {
  switch (isa) {
    case Isa::kAvx512:
      return avx512;
    case Isa::kAvx2:
      return avx2;
    case Isa::kGeneric:
      break;
  }
  return generic;
}

}  // namespace zhsenti::nn
