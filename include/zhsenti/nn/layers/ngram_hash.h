#pragma once
// Bucket ids of token bigrams for the hashed n-gram embedding (ClassifierConfig::
// ngram_buckets). Position t of a sequence gets the bucket of (id[t-1], id[t]); the first
// position pairs its id with a start marker, so a one-token text still has a bigram row.
// The hash is fixed (splitmix64's finaliser), so saved models keep their meaning everywhere.

#include <cstdint>
#include <span>

namespace zhsenti::nn {

// ids: B sequences concatenated, lengths summing to ids.size(); out: ids.size() buckets in
// the same order, each in [0, buckets).
void hash_bigrams(std::span<const int32_t> ids, std::span<const int32_t> lengths, int buckets,
                  int32_t* out);

}  // namespace zhsenti::nn
