#include "kernels/kernel_table.h"

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

const KernelTable& kernels_for(Isa isa) {
  ZHSENTI_CHECK_ARG(isa_supported(isa), "this CPU does not support {}", isa_name(isa));
  return for_isa(isa, &generic_kernel_table, &avx2_kernel_table, &avx512_kernel_table)();
}

const KernelTable& kernels() {
  static const KernelTable& table = kernels_for(active_isa());
  return table;
}

}  // namespace zhsenti::nn
