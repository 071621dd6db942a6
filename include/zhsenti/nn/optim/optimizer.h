#pragma once
// Optimisers over a ParamStore, with PyTorch's update rules (torch.optim.SGD, Adam, AdamW).
// State (momentum, Adam moments) lives in arenas with the store's layout, allocated at
// construction, so a step allocates nothing. Only trainable parameters are updated.
//
// Sparse embedding rows (ParamStore sparse_rows): a row that received no gradient this step
// still moves under dense semantics whenever the rule has memory or decay (momentum, Adam
// moments, weight decay), so those optimisers update every row, exactly like PyTorch with a
// dense gradient. They restrict work to the touched rows only where that gives the identical
// result (plain SGD), or when asked to (Adam lazy_sparse: torch.optim.SparseAdam semantics,
// moments and parameters of untouched rows frozen; faster, different results).

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "zhsenti/nn/aligned_buffer.h"
#include "zhsenti/nn/param_store.h"

namespace zhsenti {
class ThreadPool;
}

namespace zhsenti::nn {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One update from the gradients currently in the store (it must be the store, or one with
  // the same layout, given at construction).
  virtual void step(ParamStore& store) = 0;

  float lr() const { return lr_; }
  void set_lr(float lr);
  int64_t steps() const { return steps_; }

  // Splits large tensors across a pool (e.g. the training Workspace's); updates are
  // element-wise, so results are the same for any split. Null: one thread.
  void set_pool(ThreadPool* pool) { pool_ = pool; }

  // Named state buffers with the store's layout (for checkpoints), and the step counter.
  virtual std::vector<std::pair<std::string, std::span<float>>> state() = 0;
  void set_steps(int64_t steps) { steps_ = steps; }

 protected:
  explicit Optimizer(float lr);
  void check_layout(const ParamStore& store) const;
  std::size_t layout_size_ = 0;
  float lr_;
  int64_t steps_ = 0;
  ThreadPool* pool_ = nullptr;
};

struct SgdOptions {
  float lr = 0.01f;
  float momentum = 0.0f;
  float dampening = 0.0f;
  float weight_decay = 0.0f;  // L2 added to the gradient
  bool nesterov = false;      // needs momentum > 0 and dampening == 0
};

class Sgd final : public Optimizer {
 public:
  Sgd(const ParamStore& store, const SgdOptions& options);
  void step(ParamStore& store) override;
  std::vector<std::pair<std::string, std::span<float>>> state() override;

 private:
  SgdOptions options_;
  AlignedBuffer<float> momentum_;
};

struct AdamOptions {
  float lr = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;  // Adam: L2 added to the gradient; AdamW: decoupled decay
  bool decoupled = false;     // true: AdamW (PyTorch's default weight_decay there is 1e-2)
  bool lazy_sparse = false;   // sparse_rows parameters: update touched rows only
};

class Adam final : public Optimizer {
 public:
  Adam(const ParamStore& store, const AdamOptions& options);
  void step(ParamStore& store) override;
  std::vector<std::pair<std::string, std::span<float>>> state() override;

 private:
  AdamOptions options_;
  AlignedBuffer<float> m_, v_;
};

// torch.nn.utils.clip_grad_norm_: total = ||all trainable gradients||_2; if
// total > max_norm, every gradient is scaled by max_norm / (total + 1e-6). Returns total.
double clip_grad_norm(ParamStore& store, double max_norm);
// The global gradient L2 norm (trainable parameters).
double grad_norm(const ParamStore& store);

}  // namespace zhsenti::nn
