#include "zhsenti/embed/nearest.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <utility>

#include "zhsenti/core/thread_pool.h"
#include "zhsenti/nn/kernels/gemm.h"

namespace zhsenti::embed {
namespace {

// Scores of one query block against all candidates: (rows, candidates) floats. Rows per block
// depend on the candidate count only, so every thread count runs the same GEMM shapes.
std::size_t block_rows(std::size_t candidates) {
  constexpr std::size_t kMaxScores = std::size_t{1} << 22;  // 16 MiB of floats per thread
  return std::clamp<std::size_t>(kMaxScores / std::max<std::size_t>(candidates, 1), 1, 64);
}

double exact_dot(const float* a, const float* b, int dim) {
  double d = 0;
  for (int i = 0; i < dim; ++i) d += static_cast<double>(a[i]) * b[i];
  return d;
}

bool better(const Neighbor& a, const Neighbor& b) {
  return a.similarity != b.similarity ? a.similarity > b.similarity : a.word < b.word;
}

// The neighbours of query q from its row of float scores: a shortlist by the float scores,
// then the double re-score decides.
std::vector<Neighbor> pick(const float* scores, const UnitRows& cands, const UnitRows& queries,
                           std::size_t q, int k, float min_similarity) {
  using Entry = std::pair<float, std::size_t>;  // score, candidate
  const std::size_t cap = static_cast<std::size_t>(k) * 2 + 8;
  const float floor = min_similarity - 1e-3f;
  const auto greater = [](const Entry& a, const Entry& b) { return a > b; };
  std::vector<Entry> heap;  // min-heap on score
  for (std::size_t j = 0; j < cands.size(); ++j) {
    const float s = scores[j];
    if (!(s >= floor)) continue;
    if (heap.size() == cap) {
      if (s <= heap.front().first) continue;
      std::pop_heap(heap.begin(), heap.end(), greater);
      heap.pop_back();
    }
    heap.emplace_back(s, j);
    std::push_heap(heap.begin(), heap.end(), greater);
  }
  std::vector<Neighbor> out;
  for (const auto& [score, j] : heap) {
    if (cands.words[j] == queries.words[q]) continue;
    const double exact = exact_dot(queries.row(q), cands.row(j), cands.dim);
    if (exact >= min_similarity) out.push_back({cands.words[j], static_cast<float>(exact)});
  }
  std::sort(out.begin(), out.end(), better);
  if (out.size() > static_cast<std::size_t>(k)) out.resize(static_cast<std::size_t>(k));
  return out;
}

}  // namespace

bool UnitRows::add(std::string_view word, std::span<const float> v) {
  double sq = 0;
  for (const float x : v) sq += static_cast<double>(x) * x;
  if (sq == 0 || !std::isfinite(sq)) return false;
  const double inv = 1.0 / std::sqrt(sq);
  words.emplace_back(word);
  for (const float x : v) values.push_back(static_cast<float>(x * inv));
  return true;
}

std::vector<std::vector<Neighbor>> nearest(const UnitRows& cands, const UnitRows& queries, int k,
                                           float min_similarity, ThreadPool* pool) {
  std::vector<std::vector<Neighbor>> out(queries.size());
  if (cands.size() == 0 || queries.size() == 0) return out;
  const std::size_t rows = block_rows(cands.size());
  const std::size_t blocks = (queries.size() + rows - 1) / rows;
  const std::size_t workers = pool ? pool->size() : 1;
  std::vector<std::vector<float>> scores(workers);
  const auto run = [&](std::size_t begin, std::size_t end, std::size_t worker) {
    auto& s = scores[worker];
    s.resize(rows * cands.size());
    for (std::size_t b = begin; b < end; ++b) {
      const std::size_t q0 = b * rows;
      const std::size_t m = std::min(rows, queries.size() - q0);
      nn::gemm(nn::Trans::kNo, nn::Trans::kYes, static_cast<int>(m), static_cast<int>(cands.size()),
               cands.dim, 1.0f, queries.row(q0), queries.dim, cands.values.data(), cands.dim, 0.0f,
               s.data(), static_cast<int>(cands.size()));
      for (std::size_t i = 0; i < m; ++i) {
        out[q0 + i] = pick(s.data() + i * cands.size(), cands, queries, q0 + i, k, min_similarity);
      }
    }
  };
  if (pool) {
    pool->parallel_for(blocks, 1, run);
  } else {
    run(0, blocks, 0);
  }
  return out;
}

void merge_nearest(std::vector<std::vector<Neighbor>>& into,
                   std::vector<std::vector<Neighbor>> block, int k) {
  for (std::size_t q = 0; q < into.size() && q < block.size(); ++q) {
    auto& list = into[q];
    const std::ptrdiff_t kept = static_cast<std::ptrdiff_t>(list.size());
    list.insert(list.end(), std::make_move_iterator(block[q].begin()),
                std::make_move_iterator(block[q].end()));
    // Both runs are in nearest()'s order: a linear merge, whatever k is.
    std::inplace_merge(list.begin(), list.begin() + kept, list.end(), better);
    if (list.size() > static_cast<std::size_t>(k)) list.resize(static_cast<std::size_t>(k));
  }
}

}  // namespace zhsenti::embed
