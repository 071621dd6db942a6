#pragma once
// Mini-batches of encoded sequences in the ragged layout the nn engine takes: the ids of the
// batch's examples back to back plus one length per example (no padding).
//
// ShuffledBatcher (training), per epoch:
//   1. shuffle all example indices with the caller's Rng;
//   2. cut them into chunks of chunk_batches * batch_size;
//   3. sort each chunk by length, longest first (stable, so ties keep the shuffled order);
//   4. cut each chunk into batches of batch_size;
//   5. shuffle the order of all batches.
// Batches then hold sequences of similar length (little wasted RNN work on short ones)
// while the epoch stays random. The same seed gives the same batches on every platform.
//
// OrderedBatcher (evaluation / prediction): walks the input in windows of `window`
// examples, sorts each window by length, longest first, and cuts it into batches; every
// example appears exactly once and Batch::indices says where each result belongs, so the
// caller writes outputs back in input order.
//
// In both, lengths within a batch are non-increasing. The batchers keep references to the
// corpus and labels: those must outlive them. A Batch's spans stay valid until the next
// call to next() or start_epoch()/reset().

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "zhsenti/core/rng.h"
#include "zhsenti/vocab/encoder.h"

namespace zhsenti::vocab {

struct Batch {
  std::span<const std::int32_t> ids;      // (sum(lengths)) token ids, example after example
  std::span<const std::int32_t> lengths;  // (B) each >= 1, non-increasing
  std::span<const std::int32_t> labels;   // (B) label ids, empty when the batcher has none
  std::span<const std::size_t> indices;   // (B) position of each example in the corpus

  std::size_t size() const { return lengths.size(); }
  std::size_t num_tokens() const { return ids.size(); }
  std::int32_t max_length() const { return lengths.empty() ? 0 : lengths.front(); }
};

struct BatcherOptions {
  std::size_t batch_size = 32;
  std::size_t chunk_batches = 50;  // length-sorting window, in batches
  bool drop_last = false;          // drop the one short batch of an epoch, if any
};

// Assembles the Batch views for a list of example indices (shared by both batchers).
class BatchBuffer {
 public:
  BatchBuffer(const EncodedCorpus& corpus, std::span<const std::int32_t> labels);
  Batch fill(std::span<const std::size_t> indices);

 private:
  const EncodedCorpus* corpus_;
  std::span<const std::int32_t> labels_;
  std::vector<std::int32_t> ids_;
  std::vector<std::int32_t> lengths_;
  std::vector<std::int32_t> batch_labels_;
};

// The example order of ShuffledBatcher's epochs, planned from the lengths alone: data-parallel
// training plans every rank's identical global batches from the lengths of all ranks'
// examples, each rank then filling only the examples it holds.
class ShuffledPlan {
 public:
  ShuffledPlan(std::vector<std::int32_t> lengths, BatcherOptions options);

  // Plans a new epoch; consumes randomness from rng.
  void start_epoch(Rng& rng);
  // The next batch's example indices, or false when the epoch is over.
  bool next(std::span<const std::size_t>& indices);

  std::size_t num_batches() const {
    const std::size_t n = lengths_.size(), b = options_.batch_size;
    return options_.drop_last ? n / b : (n + b - 1) / b;
  }

 private:
  std::vector<std::int32_t> lengths_;
  BatcherOptions options_;
  std::vector<std::size_t> order_;  // example indices, grouped batch by batch
  std::vector<std::pair<std::size_t, std::size_t>> batches_;  // [begin, end) into order_
  std::size_t next_ = 0;
};

class ShuffledBatcher {
 public:
  // labels: one per example, or empty. Throws Error(kInvalidArgument) on a size mismatch or
  // batch_size == 0.
  ShuffledBatcher(const EncodedCorpus& corpus, std::span<const std::int32_t> labels,
                  BatcherOptions options = {});

  // Plans a new epoch; consumes randomness from rng.
  void start_epoch(Rng& rng);
  // Fills `batch` and returns true, or returns false when the epoch is over.
  bool next(Batch& batch);

  // Batches per epoch, known before start_epoch (schedules need it): chunks are whole
  // batches long, so only the last batch of an epoch can be short.
  std::size_t num_batches() const { return plan_.num_batches(); }
  std::size_t num_examples() const { return corpus_->size(); }

 private:
  const EncodedCorpus* corpus_;
  BatchBuffer buffer_;
  ShuffledPlan plan_;
};

class OrderedBatcher {
 public:
  // window == 0 means 50 * batch_size.
  OrderedBatcher(const EncodedCorpus& corpus, std::span<const std::int32_t> labels,
                 std::size_t batch_size, std::size_t window = 0);

  bool next(Batch& batch);
  void reset() { next_ = 0; }
  std::size_t num_batches() const { return batches_.size(); }

 private:
  BatchBuffer buffer_;
  std::vector<std::size_t> order_;
  std::vector<std::pair<std::size_t, std::size_t>> batches_;
  std::size_t next_ = 0;
};

}  // namespace zhsenti::vocab
