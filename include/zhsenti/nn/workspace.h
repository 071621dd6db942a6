#pragma once
// Per-thread scratch for forward/backward passes (fastText's Model::State): a bump arena for
// every intermediate buffer, the model's cache of forward results needed by backward, and
// an optional thread pool for intra-op parallelism. A Classifier is immutable during
// inference, so any number of threads can predict at once, each with its own Workspace.
//
// The arena hands out 64-byte aligned blocks until reset(); a pass that outgrows it adds a
// block, and the next reset() merges all blocks into one, so steady-state steps allocate
// nothing. Pointers stay valid until the next reset().

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "zhsenti/core/thread_pool.h"
#include "zhsenti/nn/aligned_buffer.h"

namespace zhsenti::nn {

class Workspace {
 public:
  // threads == 0: default_threads() (see threads.h).
  explicit Workspace(int threads = 0);
  ~Workspace();
  Workspace(Workspace&&) noexcept;
  Workspace& operator=(Workspace&&) noexcept;
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  void set_threads(int n);
  int threads() const { return threads_; }
  // Null when threads() == 1.
  ThreadPool* pool() { return pool_.get(); }

  // Invalidates every pointer handed out since the previous reset().
  void reset();
  float* floats(std::size_t n) { return static_cast<float*>(bytes(n * sizeof(float))); }
  int32_t* ints(std::size_t n) { return static_cast<int32_t*>(bytes(n * sizeof(int32_t))); }
  float* zeros(std::size_t n);
  void* bytes(std::size_t n);

  std::size_t arena_bytes() const;
  // Heap blocks allocated over the workspace's life (tests check steady state adds none).
  std::size_t block_allocations() const { return block_allocations_; }

  // One cache object of the model using this workspace; created on first use.
  struct Cache {
    virtual ~Cache() = default;
  };
  template <typename T>
  T& cache() {
    if (dynamic_cast<T*>(cache_.get()) == nullptr) cache_ = std::make_unique<T>();
    return *static_cast<T*>(cache_.get());
  }
  // The cache if it exists and has type T, else null.
  template <typename T>
  const T* find_cache() const {
    return dynamic_cast<const T*>(cache_.get());
  }

 private:
  void add_block(std::size_t min_bytes);

  int threads_ = 1;
  std::unique_ptr<ThreadPool> pool_;
  std::vector<AlignedBuffer<std::byte>> blocks_;
  std::size_t block_ = 0;        // current block
  std::size_t used_ = 0;         // bytes used in the current block
  std::size_t pass_bytes_ = 0;   // bytes handed out since reset()
  std::size_t block_allocations_ = 0;
  std::unique_ptr<Cache> cache_;
};

}  // namespace zhsenti::nn
