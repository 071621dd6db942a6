#pragma once
// Bucket ids of token n-grams for the hashed n-gram embedding (ClassifierConfig::
// ngram_buckets). Position t of a sequence gets the bucket of (id[t-1], id[t]), and with
// trigrams also that of (id[t-2], id[t-1], id[t]); positions before the start are a start
// marker, so a one-token text still has its rows. The hashes are fixed (splitmix64's
// finaliser), so saved models keep their meaning everywhere.

#include <cstdint>
#include <span>

namespace zhsenti::nn {

// ids: B sequences concatenated, lengths summing to ids.size(); out: ids.size() buckets in
// the same order, each in [0, buckets).
void hash_bigrams(std::span<const int32_t> ids, std::span<const int32_t> lengths, int buckets,
                  int32_t* out);
// The same for (id[t-2], id[t-1], id[t]), into the same buckets with a different hash.
void hash_trigrams(std::span<const int32_t> ids, std::span<const int32_t> lengths, int buckets,
                   int32_t* out);

}  // namespace zhsenti::nn
