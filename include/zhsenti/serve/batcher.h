#pragma once
// Dynamic micro-batching. Request threads encode their texts and submit them; a few model
// threads take queued requests together, up to max_batch texts or until the oldest has
// waited max_wait, and run them as one batch (one GEMM per step for all of them). With
// max_wait == 0 each request runs alone on the model threads (batching off).
//
// A model thread only waits for requests it knows are coming: a request thread announces
// itself (Ticket) before it tokenizes, so a lone request at low load runs at once instead of
// idling for max_wait, and under load the batch fills with the requests being encoded.
//
// Only requests for the same loaded model share a batch: after a reload, requests encoded
// with the old vocabulary still run on the old model.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "zhsenti/nn/workspace.h"
#include "zhsenti/serve/model_slot.h"
#include "zhsenti/vocab/encoder.h"

namespace zhsenti::serve {

// This thread's workspace for `model` with `threads` threads, rebuilt when the model
// generation or the thread count changes.
nn::Workspace& thread_workspace(const LoadedModel& model, int threads = 1);

class MicroBatcher {
 public:
  struct Options {
    std::size_t max_batch = 16;
    std::chrono::microseconds max_wait{500};
    int workers = 1;
    // Threads each model call runs on (a worker's workspace): directions and row groups
    // of the recurrent layers run in parallel.
    int model_threads = 1;
  };
  // Called after every model call with the number of texts it ran (for metrics).
  using BatchObserver = std::function<void(std::size_t texts)>;

  // Held by a request thread from parsing to submission (or failure).
  class Ticket {
   public:
    explicit Ticket(MicroBatcher* b) : batcher_(b) {}
    Ticket(Ticket&& o) noexcept : batcher_(std::exchange(o.batcher_, nullptr)) {}
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() { release(); }
    void release();

   private:
    friend class MicroBatcher;
    MicroBatcher* batcher_;
  };

  MicroBatcher(Options options, BatchObserver observer);
  ~MicroBatcher();
  MicroBatcher(const MicroBatcher&) = delete;
  MicroBatcher& operator=(const MicroBatcher&) = delete;

  // Blocks until out (corpus.size() x classes) holds the probabilities; rethrows a model
  // error. `model` must stay alive until it returns (the caller holds its snapshot).
  void predict(const LoadedModel& model, const vocab::EncodedCorpus& corpus, std::span<float> out);
  // Announces a request that will call predict() soon (pass the ticket to it).
  Ticket announce();
  void predict(Ticket ticket, const LoadedModel& model, const vocab::EncodedCorpus& corpus,
               std::span<float> out);

  // Finishes the queued requests, then stops the model threads. Idempotent.
  void stop();

 private:
  struct Job {
    const LoadedModel* model;
    const vocab::EncodedCorpus* corpus;
    std::span<float> out;
    std::chrono::steady_clock::time_point enqueued;
    std::exception_ptr error;
    // A condition variable, not std::atomic::wait: libstdc++'s atomic wait spins on
    // sched_yield before it sleeps, and waiting request threads spinning took CPU away from
    // the model thread (measured in docs/BENCHMARKS.md, Serving, session 7).
    std::mutex done_mutex;
    std::condition_variable done_cv;
    bool done = false;
  };
  void submit(const LoadedModel& model, const vocab::EncodedCorpus& corpus, std::span<float> out,
              bool announced);
  void worker_loop();
  void take_batch(std::unique_lock<std::mutex>& lock, std::vector<std::shared_ptr<Job>>& batch);
  void run_batch(const std::vector<std::shared_ptr<Job>>& batch);

  Options options_;
  BatchObserver observer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  // Shared ownership: a worker still notifying must not see the waiter's job freed.
  std::deque<std::shared_ptr<Job>> queue_;
  std::size_t queued_texts_ = 0;
  std::size_t announced_ = 0;  // tickets not yet submitted
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace zhsenti::serve
