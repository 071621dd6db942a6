#pragma once
// Embedding lookup with a padding id (nn.Embedding(padding_idx=...)): out[r] = W[ids[r]].
// Parameter <name>.weight (vocab x dim), a sparse_rows parameter: backward writes only the
// rows of ids in the batch and records them in the ParamStore. The padding row starts at
// zero and never receives gradient.

#include <cstdint>
#include <span>
#include <string>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/param_store.h"

namespace zhsenti::nn {

class Embedding {
 public:
  // padding_id < 0: no padding row.
  Embedding(ParamStore& store, const std::string& name, int vocab, int dim, int padding_id);

  // N(0, 1); the padding row zero.
  void init_pytorch(ParamStore& store, Rng& rng) const;

  int vocab() const { return vocab_; }
  int dim() const { return dim_; }
  int padding_id() const { return padding_id_; }
  ParamStore::Id weight() const { return weight_; }

  // Throws Error(kInvalidArgument) naming the first id outside [0, vocab).
  void check_ids(std::span<const int32_t> ids) const;
  // out (n, ld_out): row r = W[ids[r]]. Ids must be checked.
  void forward(const ParamStore& store, std::span<const int32_t> ids, float* out,
               int ld_out) const;
  // out (n, ld_out): row r += W[ids[r]]. Ids must be checked.
  void forward_add(const ParamStore& store, std::span<const int32_t> ids, float* out,
                   int ld_out) const;
  // dW[ids[r]] += dout[r] for ids != padding_id.
  void backward(ParamStore& store, std::span<const int32_t> ids, const float* dout,
                int ld_dout) const;

 private:
  int vocab_, dim_, padding_id_;
  ParamStore::Id weight_;
};

}  // namespace zhsenti::nn
