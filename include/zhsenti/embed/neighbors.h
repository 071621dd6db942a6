#pragma once
// Nearest words of given query words by cosine similarity, from a vector file or vectors in
// memory.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/embed/nearest.h"
#include "zhsenti/embed/word_vectors.h"

namespace zhsenti::embed {

struct NeighborList {
  std::string query;
  bool found = false;               // false: the query word is not in the vectors
  std::vector<Neighbor> neighbors;  // most similar first, the query itself excluded
};

// cos(a, b); 0 when either is the zero vector.
float cosine(std::span<const float> a, std::span<const float> b);

// The k nearest words of each query (nearest.h's search; a query whose vector is zero has
// none), streaming the file twice (the queries' vectors, then every row), so memory stays at
// one block of 4,096 rows plus k entries per query.
std::vector<NeighborList> nearest_neighbors(const std::filesystem::path& path,
                                            std::span<const std::string> queries, int k,
                                            std::optional<VectorFormat> format = {});

// The same over vectors in memory.
std::vector<NeighborList> nearest_neighbors(const WordVectors& vectors,
                                            std::span<const std::string> queries, int k);

}  // namespace zhsenti::embed
