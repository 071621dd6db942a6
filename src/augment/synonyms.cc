#include "zhsenti/augment/synonyms.h"

#include <algorithm>
#include <unordered_set>

#include "zhsenti/core/check.h"
#include "zhsenti/embed/nearest.h"
#include "zhsenti/embed/vector_io.h"

namespace zhsenti::augment {
namespace {

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
  embed::UnitRows cands, found;
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
  table.add_lists(found.words,
                  embed::nearest(cands, found, options.k, options.min_similarity, pool));
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
  embed::UnitRows cands, found;
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
  table.add_lists(found.words,
                  embed::nearest(cands, found, options.k, options.min_similarity, pool));
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
