#include "w2v_kernels.h"
#include "zhsenti/nn/kernels/cpu_isa.h"

namespace zhsenti::embed::detail {

TrainSentenceFn select_train_sentence() {
  switch (nn::active_isa()) {
    case nn::Isa::kAvx512:
      return train_sentence_avx512;
    case nn::Isa::kAvx2:
      return train_sentence_avx2;
    case nn::Isa::kGeneric:
      break;
  }
  return train_sentence_generic;
}

}  // namespace zhsenti::embed::detail
