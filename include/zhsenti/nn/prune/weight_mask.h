#pragma once
// Magnitude pruning masks over a ParamStore (`zhsenti prune`).
//
// What is pruned: every rank-2 parameter, i.e. the weight matrices: the token embedding and
// the hashed n-gram table, the recurrent cells' input (w_ih) and recurrent (w_hh) matrices,
// the attention projection and the output layer. Biases, norm scales and shifts, the
// attention vector and buffers (all rank 1) are never pruned: they are a few hundred values
// and each one shifts a whole unit.
//
// Selection: the smallest |w| are pruned, exactly round(sparsity x n) of them, either in each
// matrix separately (per-matrix) or ranked over all prunable matrices together (global).
// Ties at the threshold are broken by position (earlier parameters, then lower flat index,
// first), so a mask is a pure function of the weights. Weights that are already zero have
// the smallest magnitude, so a gradual schedule's masks are nested.
//
// During fine-tuning the mask holds: the pruned values are zeroed once, and their gradients
// are zeroed after every backward pass. The optimiser state of a pruned weight is zeroed at
// the start (fresh optimisers start at zero anyway), so with a zero gradient Adam's moments
// stay zero and its update, lr * m / (sqrt(v) + eps), is exactly 0; weight decay scales or
// adds a zero. Pruned weights therefore stay exactly zero without re-masking the values.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/nn/param_store.h"

namespace zhsenti::nn {

enum class PruneScope { kPerMatrix, kGlobal };

// "per-matrix" | "global"; throws Error(kInvalidArgument) naming the accepted values.
PruneScope parse_prune_scope(const std::string& name);
const char* prune_scope_name(PruneScope scope);

// The parameters pruning considers (rank 2), in store order.
std::vector<ParamStore::Id> prunable_params(const ParamStore& store);

class WeightMask {
 public:
  struct Entry {
    ParamStore::Id id = -1;
    std::size_t offset = 0;          // of the parameter in the store's arena
    std::vector<std::uint8_t> keep;  // one per element: 1 kept, 0 pruned
    std::size_t pruned = 0;
  };

  // Prunes `sparsity` (in [0, 1)) of the prunable weights by magnitude.
  static WeightMask select(const ParamStore& store, double sparsity, PruneScope scope);

  // Zeroes the pruned values.
  void apply_values(ParamStore& store) const;
  // Zeroes the pruned gradients (of a sparse_rows parameter: in the touched rows, the only
  // ones that can hold gradient).
  void mask_grads(ParamStore& store) const;
  // Zeroes the pruned positions of a buffer with the store's layout (optimiser state).
  void mask_state(std::span<float> buffer) const;

  const std::vector<Entry>& entries() const { return entries_; }
  std::size_t pruned() const;
  std::size_t total() const;
  // pruned() / total(); 0 when nothing is prunable.
  double sparsity() const;

 private:
  std::vector<Entry> entries_;
};

// The fraction of exactly-zero values over the prunable parameters.
double measured_sparsity(const ParamStore& store);

}  // namespace zhsenti::nn
