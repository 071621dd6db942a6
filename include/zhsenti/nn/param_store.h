#pragma once
// One arena for all parameters of a model (llm.c style): values and gradients are two
// contiguous float blocks with identical layout, and each parameter is a named view
// (name, shape, offset). The gradient block is allocated on the first mutable gradient
// access, so models that only predict (served models, a trainer's best-so-far copy) carry
// no gradient memory. Like every mutation of the store, that first access must not race
// with other threads: take gradient views before work goes parallel. The model-file writer saves/loads by iterating the name table;
// optimisers keep their state (momentum, Adam moments) in blocks of the same layout.
//
// Sparse-row gradients: a parameter added with sparse_rows (an embedding) records which rows
// received gradient since the last zero_grad(); every other row of its gradient is zero.
// zero_grad() clears only those rows, and optimisers may restrict work to them where that
// does not change the result (see optim/*.h).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/nn/aligned_buffer.h"

namespace zhsenti::nn {

struct ParamInfo {
  std::string name;
  std::vector<int64_t> shape;
  std::size_t offset = 0;    // first float in values() / grads()
  std::size_t size = 0;      // product of shape
  bool trainable = true;     // false: a buffer (BatchNorm running stats): saved, not optimised
  bool sparse_rows = false;  // gradient rows tracked (rows = shape[0])
};

class ParamStore {
 public:
  using Id = int;
  // Offsets are multiples of this many floats (64 bytes).
  static constexpr std::size_t kAlignFloats = 16;

  ParamStore() = default;
  ParamStore(ParamStore&&) noexcept = default;
  ParamStore& operator=(ParamStore&&) noexcept = default;
  ParamStore(const ParamStore&) = delete;
  ParamStore& operator=(const ParamStore&) = delete;

  // Adds a zero-initialised parameter. Names are unique. Invalidates pointers and spans into
  // the store (the arena is reallocated), so models add everything before using any view.
  Id add(std::string name, std::vector<int64_t> shape, bool trainable = true,
         bool sparse_rows = false);

  std::size_t count() const { return infos_.size(); }
  const std::vector<ParamInfo>& infos() const { return infos_; }
  const ParamInfo& info(Id id) const { return infos_[static_cast<std::size_t>(id)]; }
  // -1 when absent.
  Id find(std::string_view name) const;
  // Throws Error(kNotFound) naming the missing parameter.
  Id id(std::string_view name) const;

  // Mutable views count as writes: they advance version() (see below).
  std::span<float> value(Id id) {
    version_ = next_version();
    return {values_.data() + info(id).offset, info(id).size};
  }
  std::span<const float> value(Id id) const {
    return {values_.data() + info(id).offset, info(id).size};
  }
  std::span<float> grad(Id id) {
    ensure_grads();
    return {grads_.data() + info(id).offset, info(id).size};
  }
  // Empty while no gradient exists.
  std::span<const float> grad(Id id) const {
    if (!has_grads()) return {};
    return {grads_.data() + info(id).offset, info(id).size};
  }

  // Whole arenas (including alignment gaps, which stay zero).
  std::span<float> values() {
    version_ = next_version();
    return {values_.data(), total_};
  }
  std::span<const float> values() const { return {values_.data(), total_}; }
  std::span<float> grads() {
    ensure_grads();
    return {grads_.data(), total_};
  }
  std::span<const float> grads() const {
    if (!has_grads()) return {};
    return {grads_.data(), total_};
  }
  bool has_grads() const { return grads_.size() > 0; }
  std::size_t total_size() const { return total_; }
  // Number of trainable scalars (no gaps, no buffers).
  std::size_t trainable_size() const;

  // Freezes (false) or unfreezes a parameter: optimisers and gradient clipping skip a
  // parameter that is not trainable, and models may skip computing its gradient.
  void set_trainable(Id id, bool trainable) {
    infos_[static_cast<std::size_t>(id)].trainable = trainable;
  }

  // Records that rows of a sparse_rows parameter received gradient (duplicates ignored).
  void touch_rows(Id id, std::span<const int32_t> rows);
  // Rows touched since the last zero_grad(), in first-touch order.
  std::span<const int32_t> touched_rows(Id id) const;

  // Sets all gradients to zero (only the touched rows for sparse_rows parameters).
  void zero_grad();

  // Copies all values from a store with the same name table (e.g. a best-so-far snapshot).
  void copy_values_from(const ParamStore& other);

  // Advances whenever values may change: on add(), copy_values_from() and every mutable
  // value()/values() view. Inference caches derived from the values (packed weights) are
  // rebuilt when it differs. Code that keeps a mutable span and writes through it after
  // later inference calls must call touch_values(). Versions come from one sequence for the
  // whole process, so no two stores ever hold the same one: (values address, version) still
  // identifies the weights when a freed model's memory is reused by the next model loaded.
  uint64_t version() const { return version_; }
  void touch_values() { version_ = next_version(); }

 private:
  struct RowTracker {
    std::vector<int32_t> rows;
    std::vector<uint8_t> seen;
  };

  void ensure_grads() {
    if (grads_.size() < values_.size()) allocate_grads();
  }
  void allocate_grads();
  static uint64_t next_version();

  std::vector<ParamInfo> infos_;
  std::vector<RowTracker> trackers_;  // one per parameter; empty unless sparse_rows
  AlignedBuffer<float> values_;
  AlignedBuffer<float> grads_;
  std::size_t total_ = 0;
  uint64_t version_ = next_version();
};

}  // namespace zhsenti::nn
