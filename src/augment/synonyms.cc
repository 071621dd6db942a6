#include "zhsenti/augment/synonyms.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "zhsenti/core/check.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/embed/vector_io.h"
#include "zhsenti/nn/kernels/gemm.h"

namespace zhsenti::augment {
namespace {

// Unit-length rows: a dot product of two rows is their cosine.
struct UnitRows {
  int dim = 0;
  std::vector<std::string> words;
  std::vector<float> values;

  std::size_t size() const { return words.size(); }
  const float* row(std::size_t i) const {
    return values.data() + i * static_cast<std::size_t>(dim);
  }

  // Appends `v` scaled to length 1; false (nothing added) for the zero vector.
  bool add(std::string_view word, std::span<const float> v) {
    double sq = 0;
    for (const float x : v) sq += static_cast<double>(x) * x;
    if (sq == 0 || !std::isfinite(sq)) return false;
    const double inv = 1.0 / std::sqrt(sq);
    words.emplace_back(word);
    for (const float x : v) values.push_back(static_cast<float>(x * inv));
    return true;
  }
};

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

// The synonyms of query q from its row of float scores: a shortlist by the float scores
// (slack below the threshold and in size, for rounding), then the double re-score decides.
std::vector<Synonym> pick_synonyms(const float* scores, const UnitRows& cands,
                                   const UnitRows& queries, std::size_t q,
                                   const SynonymOptions& o) {
  using Entry = std::pair<float, std::size_t>;  // score, candidate
  const std::size_t cap = static_cast<std::size_t>(o.k) * 2 + 8;
  const float floor = o.min_similarity - 1e-3f;
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
  std::vector<Synonym> out;
  for (const auto& [score, j] : heap) {
    if (cands.words[j] == queries.words[q]) continue;
    const double exact = exact_dot(queries.row(q), cands.row(j), cands.dim);
    if (exact >= o.min_similarity) out.push_back({cands.words[j], static_cast<float>(exact)});
  }
  std::sort(out.begin(), out.end(), [](const Synonym& a, const Synonym& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity : a.word < b.word;
  });
  if (out.size() > static_cast<std::size_t>(o.k)) out.resize(static_cast<std::size_t>(o.k));
  return out;
}

std::vector<std::vector<Synonym>> nearest(const UnitRows& cands, const UnitRows& queries,
                                          const SynonymOptions& o, ThreadPool* pool) {
  std::vector<std::vector<Synonym>> out(queries.size());
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
        out[q0 + i] = pick_synonyms(s.data() + i * cands.size(), cands, queries, q0 + i, o);
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

std::vector<std::string> unique_sorted(std::span<const std::string> words) {
  std::vector<std::string> out(words.begin(), words.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

void SynonymOptions::validate() const {
  ZHSENTI_CHECK_ARG(k >= 1 && k <= 1000, "synonyms per word must be in [1, 1000], got {}", k);
  ZHSENTI_CHECK_ARG(min_similarity >= -1.0f && min_similarity <= 1.0f,
                    "minimum similarity must be in [-1, 1], got {}", min_similarity);
}

void SynonymTable::add_lists(const std::vector<std::string>& words,
                             std::vector<std::vector<Synonym>> lists) {
  for (std::size_t q = 0; q < words.size(); ++q) {
    if (lists[q].empty()) continue;
    ++stats_.with_synonyms;
    stats_.synonyms += lists[q].size();
    table_.emplace(words[q], std::move(lists[q]));
  }
}

SynonymTable SynonymTable::build(const embed::WordVectors& vectors,
                                 std::span<const std::string> queries,
                                 const ProtectionPolicy& policy, const SynonymOptions& options,
                                 ThreadPool* pool) {
  options.validate();
  const auto wanted = unique_sorted(queries);
  const std::unordered_set<std::string_view> wanted_set(wanted.begin(), wanted.end());
  UnitRows cands, found;
  cands.dim = found.dim = vectors.dim;
  std::unordered_set<std::string_view> seen_cand, seen_query;
  const std::size_t limit = options.max_vocab == 0 ? vectors.size() : options.max_vocab;
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    const std::string& w = vectors.words[i];
    if (i < limit && policy.may_substitute(w) && seen_cand.insert(w).second) {
      cands.add(w, vectors.row(i));
    }
    if (wanted_set.contains(w) && seen_query.insert(w).second) found.add(w, vectors.row(i));
  }
  SynonymTable table;
  table.stats_ = {vectors.size(), cands.size(), wanted.size(), found.size(), 0, 0};
  table.add_lists(found.words, nearest(cands, found, options, pool));
  return table;
}

SynonymTable SynonymTable::from_file(const std::filesystem::path& path,
                                     std::span<const std::string> queries,
                                     const ProtectionPolicy& policy, const SynonymOptions& options,
                                     ThreadPool* pool, std::optional<embed::VectorFormat> format) {
  options.validate();
  const auto wanted = unique_sorted(queries);
  const std::unordered_set<std::string_view> wanted_set(wanted.begin(), wanted.end());
  embed::VectorReader reader(path, format);
  UnitRows cands, found;
  cands.dim = found.dim = reader.dim();
  std::unordered_set<std::string> seen_cand, seen_query;
  std::size_t row_index = 0;
  const auto is_candidate = [&](std::string_view w) {
    return (options.max_vocab == 0 || row_index < options.max_vocab) && policy.may_substitute(w);
  };
  embed::VectorRow row;
  // Only candidate and query rows are parsed and kept; the rest of the file streams past.
  while (reader.next(
      row, [&](std::string_view w) { return is_candidate(w) || wanted_set.contains(w); })) {
    if (!row.values.empty()) {
      if (is_candidate(row.word) && seen_cand.emplace(row.word).second) {
        cands.add(row.word, row.values);
      }
      if (wanted_set.contains(row.word) && seen_query.emplace(row.word).second) {
        found.add(row.word, row.values);
      }
    }
    ++row_index;
  }
  SynonymTable table;
  table.stats_ = {row_index, cands.size(), wanted.size(), found.size(), 0, 0};
  table.add_lists(found.words, nearest(cands, found, options, pool));
  return table;
}

std::span<const Synonym> SynonymTable::find(std::string_view word) const {
  const auto it = table_.find(word);
  return it == table_.end() ? std::span<const Synonym>() : std::span<const Synonym>(it->second);
}

std::vector<std::pair<std::string, std::vector<Synonym>>> SynonymTable::entries() const {
  std::vector<std::pair<std::string, std::vector<Synonym>>> out(table_.begin(), table_.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace zhsenti::augment
