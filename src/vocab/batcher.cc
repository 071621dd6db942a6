#include "zhsenti/vocab/batcher.h"

#include <algorithm>
#include <numeric>

#include "zhsenti/core/check.h"

namespace zhsenti::vocab {

namespace {

// Sorts each window of `window` indices longest first (stable, so ties keep their order) and
// appends its batches as [begin, end) ranges; length(i) is example i's length.
template <typename Length>
void plan_batches(Length length, std::vector<std::size_t>& order, std::size_t window,
                  std::size_t batch_size, std::vector<std::pair<std::size_t, std::size_t>>& batches) {
  batches.clear();
  for (std::size_t w = 0; w < order.size(); w += window) {
    const std::size_t w_end = std::min(order.size(), w + window);
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(w),
                     order.begin() + static_cast<std::ptrdiff_t>(w_end),
                     [&](std::size_t a, std::size_t b) { return length(a) > length(b); });
    for (std::size_t b = w; b < w_end; b += batch_size) {
      batches.emplace_back(b, std::min(w_end, b + batch_size));
    }
  }
}

}  // namespace

BatchBuffer::BatchBuffer(const EncodedCorpus& corpus, std::span<const std::int32_t> labels)
    : corpus_(&corpus), labels_(labels) {
  ZHSENTI_CHECK_ARG(labels.empty() || labels.size() == corpus.size(),
                    "{} labels for {} encoded examples", labels.size(), corpus.size());
}

Batch BatchBuffer::fill(std::span<const std::size_t> indices) {
  ids_.clear();
  lengths_.clear();
  batch_labels_.clear();
  for (const std::size_t i : indices) {
    const auto seq = corpus_->sequence(i);
    ids_.insert(ids_.end(), seq.begin(), seq.end());
    lengths_.push_back(static_cast<std::int32_t>(seq.size()));
    if (!labels_.empty()) batch_labels_.push_back(labels_[i]);
  }
  return Batch{ids_, lengths_, batch_labels_, indices};
}

ShuffledPlan::ShuffledPlan(std::vector<std::int32_t> lengths, BatcherOptions options)
    : lengths_(std::move(lengths)), options_(options) {
  ZHSENTI_CHECK_ARG(options.batch_size > 0, "batch_size must be > 0");
  ZHSENTI_CHECK_ARG(options.chunk_batches > 0, "chunk_batches must be > 0");
}

void ShuffledPlan::start_epoch(Rng& rng) {
  order_.resize(lengths_.size());
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  rng.shuffle(std::span(order_));
  plan_batches([this](std::size_t i) { return lengths_[i]; }, order_,
               options_.chunk_batches * options_.batch_size, options_.batch_size, batches_);
  // Only the last chunk can end in a short batch (chunks are whole batches long).
  if (options_.drop_last && !batches_.empty() &&
      batches_.back().second - batches_.back().first < options_.batch_size) {
    batches_.pop_back();
  }
  rng.shuffle(std::span(batches_));
  next_ = 0;
}

bool ShuffledPlan::next(std::span<const std::size_t>& indices) {
  if (next_ >= batches_.size()) return false;
  const auto [begin, end] = batches_[next_++];
  indices = std::span<const std::size_t>(order_).subspan(begin, end - begin);
  return true;
}

namespace {

std::vector<std::int32_t> corpus_lengths(const EncodedCorpus& corpus) {
  std::vector<std::int32_t> lengths(corpus.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) lengths[i] = corpus.length(i);
  return lengths;
}

}  // namespace

ShuffledBatcher::ShuffledBatcher(const EncodedCorpus& corpus, std::span<const std::int32_t> labels,
                                 BatcherOptions options)
    : corpus_(&corpus), buffer_(corpus, labels), plan_(corpus_lengths(corpus), options) {}

void ShuffledBatcher::start_epoch(Rng& rng) { plan_.start_epoch(rng); }

bool ShuffledBatcher::next(Batch& batch) {
  std::span<const std::size_t> indices;
  if (!plan_.next(indices)) return false;
  batch = buffer_.fill(indices);
  return true;
}

OrderedBatcher::OrderedBatcher(const EncodedCorpus& corpus, std::span<const std::int32_t> labels,
                               std::size_t batch_size, std::size_t window)
    : buffer_(corpus, labels) {
  ZHSENTI_CHECK_ARG(batch_size > 0, "batch_size must be > 0");
  if (window == 0) window = 50 * batch_size;
  order_.resize(corpus.size());
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  plan_batches([&corpus](std::size_t i) { return corpus.length(i); }, order_, window, batch_size,
               batches_);
}

bool OrderedBatcher::next(Batch& batch) {
  if (next_ >= batches_.size()) return false;
  const auto [begin, end] = batches_[next_++];
  batch = buffer_.fill(std::span<const std::size_t>(order_).subspan(begin, end - begin));
  return true;
}

}  // namespace zhsenti::vocab
