#pragma once
// A small fixed-size thread pool. parallel_for splits [0, n) into contiguous chunks; the
// calling thread works too, so a pool of size 1 runs everything inline.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace zhsenti {

class ThreadPool {
 public:
  // threads == 0 means one per hardware thread.
  explicit ThreadPool(std::size_t threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  std::size_t size() const { return workers_.size() + 1; }

  // Calls fn(begin, end, worker_index) over chunks of [0, n), at most `size()` at a time,
  // worker_index in [0, size()). Blocks until all chunks are done; rethrows the first
  // exception a chunk threw.
  void parallel_for(std::size_t n, std::size_t grain,
                    const std::function<void(std::size_t, std::size_t, std::size_t)>& fn);

  static std::size_t hardware_threads();

 private:
  void worker_loop(std::size_t index);
  void run_chunks(std::size_t worker_index);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  bool stop_ = false;
  std::size_t generation_ = 0;
  std::size_t active_ = 0;

  // The current job (valid while a parallel_for is running).
  const std::function<void(std::size_t, std::size_t, std::size_t)>* job_ = nullptr;
  std::size_t job_n_ = 0;
  std::size_t job_grain_ = 1;
  std::size_t next_chunk_ = 0;
  std::exception_ptr error_;
};

}  // namespace zhsenti
