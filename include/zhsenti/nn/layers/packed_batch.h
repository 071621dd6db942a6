#pragma once
// The pack_padded_sequence layout of a ragged batch (PyTorch's PackedSequence with
// enforce_sorted=false): sequences sorted by length, longest first (stable, so ties keep
// batch order); step t holds the batch_sizes[t] sequences still running, in sorted order,
// as rows offsets[t] .. offsets[t+1]-1. Recurrent layers touch no padding: at step t only
// the first batch_sizes[t] rows are active. A row of a sequence b at step t is
// offsets[t] + position[b].

#include <cstdint>
#include <span>

#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {

struct PackedBatch {
  int batch = 0;  // B sequences
  int steps = 0;  // T = longest length
  int rows = 0;   // N = sum of lengths
  const int32_t* lengths = nullptr;      // [B] batch order
  const int32_t* order = nullptr;        // [B] sorted position -> batch index
  const int32_t* position = nullptr;     // [B] batch index -> sorted position
  const int32_t* batch_sizes = nullptr;  // [T] non-increasing
  const int32_t* offsets = nullptr;      // [T+1] first row of step t; offsets[T] = N
  const int32_t* starts = nullptr;       // [B] first id of sequence b in the ragged input

  int row(int b, int t) const { return offsets[t] + position[b]; }
};

// Validates lengths (B >= 1, each >= 1) and builds the layout in the workspace arena.
PackedBatch pack_batch(std::span<const int32_t> lengths, Workspace& ws);

// packed[row(b, t)] = ids[starts[b] + t]; ids.size() must equal the sum of lengths.
void pack_ids(const PackedBatch& pb, std::span<const int32_t> ids, int32_t* packed);

}  // namespace zhsenti::nn
