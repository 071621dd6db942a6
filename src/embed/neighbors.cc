#include "zhsenti/embed/neighbors.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>

#include "zhsenti/core/check.h"
#include "zhsenti/embed/vector_io.h"

namespace zhsenti::embed {
namespace {

double norm(std::span<const float> v) {
  double s = 0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

// nearest() over candidate rows arriving one at a time, a block at once: a streamed file
// keeps one block of rows in memory.
class BlockSearch {
 public:
  BlockSearch(UnitRows queries, int k)
      : queries_(std::move(queries)), k_(k), lists_(queries_.size()) {
    block_.dim = queries_.dim;
  }
  void add(std::string_view word, std::span<const float> values) {
    if (block_.add(word, values) && block_.size() == kBlockRows) flush();
  }
  std::vector<std::vector<Neighbor>> finish() && {
    flush();
    return std::move(lists_);
  }

 private:
  static constexpr std::size_t kBlockRows = 4096;
  void flush() {
    if (block_.size() == 0) return;
    merge_nearest(lists_, nearest(block_, queries_, k_, -std::numeric_limits<float>::infinity()),
                  k_);
    block_.clear();
  }
  UnitRows queries_, block_;
  int k_;
  std::vector<std::vector<Neighbor>> lists_;
};

// The found queries' rows (a zero vector has no direction, hence no neighbours) and, per
// list, its row among them (-1: none).
struct QueryRows {
  UnitRows rows;
  std::vector<long> row_of;
};

QueryRows query_rows(int dim, const std::vector<NeighborList>& lists,
                     const std::vector<std::span<const float>>& vectors) {
  QueryRows q;
  q.rows.dim = dim;
  q.row_of.assign(lists.size(), -1);
  for (std::size_t i = 0; i < lists.size(); ++i) {
    if (lists[i].found && q.rows.add(lists[i].query, vectors[i])) {
      q.row_of[i] = static_cast<long>(q.rows.size()) - 1;
    }
  }
  return q;
}

void fill(std::vector<NeighborList>& lists, const QueryRows& q,
          std::vector<std::vector<Neighbor>> found) {
  for (std::size_t i = 0; i < lists.size(); ++i) {
    if (q.row_of[i] >= 0) lists[i].neighbors = std::move(found[q.row_of[i]]);
  }
}

}  // namespace

float cosine(std::span<const float> a, std::span<const float> b) {
  ZHSENTI_CHECK_ARG(a.size() == b.size(), "cosine of vectors of sizes {} and {}", a.size(),
                    b.size());
  const double na = norm(a), nb = norm(b);
  if (na == 0 || nb == 0) return 0.0f;
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += static_cast<double>(a[i]) * b[i];
  return static_cast<float>(d / (na * nb));
}

std::vector<NeighborList> nearest_neighbors(const std::filesystem::path& path,
                                            std::span<const std::string> queries, int k,
                                            std::optional<VectorFormat> format) {
  ZHSENTI_CHECK_ARG(k >= 1, "k must be >= 1, got {}", k);
  std::vector<NeighborList> lists(queries.size());
  std::unordered_map<std::string_view, std::vector<std::size_t>> wanted;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    lists[q].query = queries[q];
    wanted[lists[q].query].push_back(q);
  }
  std::vector<std::vector<float>> values(queries.size());
  int dim = 0;
  {
    VectorReader reader(path, format);
    dim = reader.dim();
    VectorRow row;
    while (reader.next(row, [&](std::string_view w) { return wanted.count(w) > 0; })) {
      if (row.values.empty()) continue;
      for (std::size_t q : wanted[row.word]) {
        if (lists[q].found) continue;
        values[q].assign(row.values.begin(), row.values.end());
        lists[q].found = true;
      }
    }
  }
  if (std::none_of(lists.begin(), lists.end(), [](const NeighborList& l) { return l.found; })) {
    return lists;
  }
  const QueryRows q = query_rows(dim, lists, {values.begin(), values.end()});
  BlockSearch search(q.rows, k);
  VectorReader reader(path, format);
  VectorRow row;
  while (reader.next(row)) search.add(row.word, row.values);
  fill(lists, q, std::move(search).finish());
  return lists;
}

std::vector<NeighborList> nearest_neighbors(const WordVectors& vectors,
                                            std::span<const std::string> queries, int k) {
  ZHSENTI_CHECK_ARG(k >= 1, "k must be >= 1, got {}", k);
  const auto index = word_index(vectors);
  std::vector<NeighborList> lists(queries.size());
  std::vector<std::span<const float>> values(queries.size());
  for (std::size_t q = 0; q < queries.size(); ++q) {
    lists[q].query = queries[q];
    const auto it = index.find(queries[q]);
    if (it == index.end()) continue;
    lists[q].found = true;
    values[q] = vectors.row(it->second);
  }
  const QueryRows q = query_rows(vectors.dim, lists, values);
  BlockSearch search(q.rows, k);
  for (std::size_t i = 0; i < vectors.size(); ++i) search.add(vectors.words[i], vectors.row(i));
  fill(lists, q, std::move(search).finish());
  return lists;
}

}  // namespace zhsenti::embed
