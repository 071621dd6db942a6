#pragma once
// Nearest words by cosine similarity.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zhsenti/embed/word_vectors.h"

namespace zhsenti::embed {

struct Neighbor {
  std::string word;
  float similarity = 0;
};

struct NeighborList {
  std::string query;
  bool found = false;               // false: the query word is not in the vectors
  std::vector<Neighbor> neighbors;  // most similar first, the query itself excluded
};

// cos(a, b); 0 when either is the zero vector.
float cosine(std::span<const float> a, std::span<const float> b);

// The k nearest words of each query, streaming the file twice (the queries' vectors, then
// every row), so memory stays at one row plus k entries per query.
std::vector<NeighborList> nearest_neighbors(const std::filesystem::path& path,
                                            std::span<const std::string> queries, int k,
                                            std::optional<VectorFormat> format = {});

// The same over vectors in memory.
std::vector<NeighborList> nearest_neighbors(const WordVectors& vectors,
                                            std::span<const std::string> queries, int k);

}  // namespace zhsenti::embed
