#include "zhsenti/serve/batcher.h"

#include <algorithm>

namespace zhsenti::serve {

nn::Workspace& thread_workspace(const LoadedModel& model, int threads) {
  struct Slot {
    std::uint64_t generation = 0;
    std::unique_ptr<nn::Workspace> ws;
  };
  thread_local Slot slot;
  if (slot.generation != model.generation || !slot.ws || slot.ws->threads() != threads) {
    slot.ws = std::make_unique<nn::Workspace>(threads);
    slot.generation = model.generation;
  }
  return *slot.ws;
}

MicroBatcher::MicroBatcher(Options options, BatchObserver observer)
    : options_(options), observer_(std::move(observer)) {
  options_.max_batch = std::max<std::size_t>(options_.max_batch, 1);
  options_.model_threads = std::max(options_.model_threads, 1);
  const int n = std::max(options_.workers, 1);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { worker_loop(); });
}

MicroBatcher::~MicroBatcher() { stop(); }

void MicroBatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stop_ && workers_.empty()) return;
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void MicroBatcher::Ticket::release() {
  if (batcher_ == nullptr) return;
  {
    std::lock_guard lock(batcher_->mutex_);
    --batcher_->announced_;
  }
  batcher_->wake_.notify_all();
  batcher_ = nullptr;
}

MicroBatcher::Ticket MicroBatcher::announce() {
  std::lock_guard lock(mutex_);
  ++announced_;
  return Ticket(this);
}

void MicroBatcher::predict(Ticket ticket, const LoadedModel& model,
                           const vocab::EncodedCorpus& corpus, std::span<float> out) {
  const bool announced = ticket.batcher_ == this;
  ticket.batcher_ = nullptr;  // submit() retires it under the lock, with the enqueue
  submit(model, corpus, out, announced);
}

void MicroBatcher::predict(const LoadedModel& model, const vocab::EncodedCorpus& corpus,
                           std::span<float> out) {
  submit(model, corpus, out, false);
}

void MicroBatcher::submit(const LoadedModel& model, const vocab::EncodedCorpus& corpus,
                          std::span<float> out, bool announced) {
  auto job = std::make_shared<Job>();
  job->model = &model;
  job->corpus = &corpus;
  job->out = out;
  job->enqueued = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (announced) --announced_;  // with the enqueue: no worker sees the request in neither
    if (stop_) {
      // Shutting down: the request still gets an answer, computed on this thread.
      model.predictor->predict_encoded(corpus, thread_workspace(model), out);
      return;
    }
    queue_.push_back(job);
    queued_texts_ += corpus.size();
  }
  wake_.notify_all();
  {
    std::unique_lock lock(job->done_mutex);
    job->done_cv.wait(lock, [&job] { return job->done; });
  }
  if (job->error) std::rethrow_exception(job->error);
}

void MicroBatcher::take_batch(std::unique_lock<std::mutex>& lock,
                              std::vector<std::shared_ptr<Job>>& batch) {
  batch.clear();
  if (options_.max_wait.count() > 0) {
    // Wait for a full batch while more requests are on their way, but never let the oldest
    // request wait longer than max_wait.
    const auto deadline = queue_.front()->enqueued + options_.max_wait;
    while (!stop_ && !queue_.empty() && queued_texts_ < options_.max_batch && announced_ > 0) {
      if (wake_.wait_until(lock, deadline) == std::cv_status::timeout) break;
    }
    if (queue_.empty()) return;  // another worker took them
  }
  const LoadedModel* model = queue_.front()->model;
  std::size_t texts = 0;
  while (!queue_.empty() && queue_.front()->model == model) {
    const std::size_t n = queue_.front()->corpus->size();
    if (!batch.empty() && (texts + n > options_.max_batch || options_.max_wait.count() == 0)) break;
    batch.push_back(queue_.front());
    queue_.pop_front();
    texts += n;
  }
  queued_texts_ -= texts;
}

void MicroBatcher::worker_loop() {
  std::vector<std::shared_ptr<Job>> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stop_) return;
      continue;
    }
    take_batch(lock, batch);
    if (batch.empty()) continue;
    lock.unlock();
    run_batch(batch);
    batch.clear();
    lock.lock();
  }
}

void MicroBatcher::run_batch(const std::vector<std::shared_ptr<Job>>& batch) {
  thread_local vocab::EncodedCorpus merged;
  thread_local std::vector<float> probs;
  const LoadedModel& model = *batch.front()->model;
  const auto classes = static_cast<std::size_t>(model.predictor->num_classes());
  std::size_t texts = 0;
  std::exception_ptr error;
  try {
    nn::Workspace& ws = thread_workspace(model, options_.model_threads);
    if (batch.size() == 1) {
      texts = batch.front()->corpus->size();
      model.predictor->predict_encoded(*batch.front()->corpus, ws, batch.front()->out);
    } else {
      merged.ids.clear();
      merged.offsets.assign(1, 0);
      for (const auto& job : batch) {
        for (std::size_t i = 0; i < job->corpus->size(); ++i)
          merged.push_back(job->corpus->sequence(i));
      }
      texts = merged.size();
      probs.resize(texts * classes);
      model.predictor->predict_encoded(merged, ws, probs);
      std::size_t row = 0;
      for (const auto& job : batch) {
        std::copy_n(probs.data() + row * classes, job->out.size(), job->out.data());
        row += job->corpus->size();
      }
    }
  } catch (...) {
    error = std::current_exception();
  }
  if (observer_ && !error) observer_(texts);
  for (const auto& job : batch) {
    {
      std::lock_guard lock(job->done_mutex);
      job->error = error;
      job->done = true;
    }
    job->done_cv.notify_one();
  }
}

}  // namespace zhsenti::serve
