#include "zhsenti/embed/neighbors.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "zhsenti/core/check.h"
#include "zhsenti/embed/vector_io.h"

namespace zhsenti::embed {
namespace {

double norm(std::span<const float> v) {
  double s = 0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

// Keeps the k best (word, similarity) pairs seen, as a min-heap on similarity.
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) {}
  void offer(std::string_view word, float similarity) {
    if (heap_.size() == k_ && similarity <= heap_.front().similarity) return;
    if (heap_.size() == k_) {
      std::pop_heap(heap_.begin(), heap_.end(), worse);
      heap_.pop_back();
    }
    heap_.push_back({std::string(word), similarity});
    std::push_heap(heap_.begin(), heap_.end(), worse);
  }
  std::vector<Neighbor> sorted() && {
    std::sort(heap_.begin(), heap_.end(), [](const Neighbor& a, const Neighbor& b) {
      return a.similarity != b.similarity ? a.similarity > b.similarity : a.word < b.word;
    });
    return std::move(heap_);
  }

 private:
  static bool worse(const Neighbor& a, const Neighbor& b) { return a.similarity > b.similarity; }
  std::size_t k_;
  std::vector<Neighbor> heap_;
};

struct Query {
  std::vector<float> unit;  // the query vector scaled to length 1
  TopK top;
};

// Scans rows against the found queries.
void scan(const std::function<bool(std::string_view&, std::span<const float>&)>& next_row,
          std::vector<NeighborList>& lists, std::vector<std::optional<Query>>& queries) {
  std::string_view word;
  std::span<const float> values;
  while (next_row(word, values)) {
    const double n = norm(values);
    if (n == 0) continue;
    for (std::size_t q = 0; q < queries.size(); ++q) {
      if (!queries[q] || word == lists[q].query) continue;
      double d = 0;
      for (std::size_t i = 0; i < values.size(); ++i)
        d += static_cast<double>(queries[q]->unit[i]) * values[i];
      queries[q]->top.offer(word, static_cast<float>(d / n));
    }
  }
  for (std::size_t q = 0; q < queries.size(); ++q) {
    if (queries[q]) lists[q].neighbors = std::move(queries[q]->top).sorted();
  }
}

std::optional<Query> make_query(std::span<const float> v, int k) {
  const double n = norm(v);
  Query q{std::vector<float>(v.size(), 0.0f), TopK(static_cast<std::size_t>(k))};
  if (n > 0) {
    for (std::size_t i = 0; i < v.size(); ++i) q.unit[i] = static_cast<float>(v[i] / n);
  }
  return q;
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
  std::vector<std::optional<Query>> state(queries.size());
  {
    VectorReader reader(path, format);
    VectorRow row;
    while (reader.next(row, [&](std::string_view w) { return wanted.count(w) > 0; })) {
      if (row.values.empty()) continue;
      for (std::size_t q : wanted[row.word]) {
        if (!lists[q].found) state[q] = make_query(row.values, k), lists[q].found = true;
      }
    }
  }
  if (std::none_of(lists.begin(), lists.end(), [](const NeighborList& l) { return l.found; })) {
    return lists;
  }
  VectorReader reader(path, format);
  VectorRow row;
  scan(
      [&](std::string_view& w, std::span<const float>& v) {
        if (!reader.next(row)) return false;
        w = row.word;
        v = row.values;
        return true;
      },
      lists, state);
  return lists;
}

std::vector<NeighborList> nearest_neighbors(const WordVectors& vectors,
                                            std::span<const std::string> queries, int k) {
  ZHSENTI_CHECK_ARG(k >= 1, "k must be >= 1, got {}", k);
  const auto index = word_index(vectors);
  std::vector<NeighborList> lists(queries.size());
  std::vector<std::optional<Query>> state(queries.size());
  for (std::size_t q = 0; q < queries.size(); ++q) {
    lists[q].query = queries[q];
    const auto it = index.find(queries[q]);
    if (it == index.end()) continue;
    lists[q].found = true;
    state[q] = make_query(vectors.row(it->second), k);
  }
  std::size_t i = 0;
  scan(
      [&](std::string_view& w, std::span<const float>& v) {
        if (i == vectors.size()) return false;
        w = vectors.words[i];
        v = vectors.row(i);
        ++i;
        return true;
      },
      lists, state);
  return lists;
}

}  // namespace zhsenti::embed
