#include "zhsenti/augment/augment_job.h"

#include <fmt/format.h>

#include <algorithm>

#include "zhsenti/augment/protection.h"
#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/nn/threads.h"

namespace zhsenti::augment {
namespace {

std::optional<SynonymTable> build_synonyms(const AugmentJob& job, const data::Dataset& dataset,
                                           const text::Tokenizer& tokenizer,
                                           const ProtectionPolicy& policy) {
  if (job.vectors.empty() || (job.eda.alpha_sr <= 0 && job.eda.alpha_ri <= 0)) return {};
  const auto vocabulary =
      substitutable_vocabulary(dataset, tokenizer, policy, job.threads, job.output.show_progress);
  nn::set_blas_threads(1);  // the pool below runs one GEMM per thread
  ThreadPool pool(static_cast<std::size_t>(std::max(job.threads, 0)));
  SynonymTable table =
      SynonymTable::from_file(job.vectors, vocabulary, policy, job.synonyms, &pool, job.vector_format);
  const auto& s = table.stats();
  log::info(
      "synonyms: {} of {} replaceable input words have a vector, {} have neighbours at "
      "cosine >= {} ({} synonyms; {} candidate words among {} vector rows)",
      s.queries_found, s.queries, s.with_synonyms, job.synonyms.min_similarity, s.synonyms,
      s.candidates, s.vector_rows);
  if (s.with_synonyms == 0) {
    log::warn(
        "no input word has a synonym at cosine >= {}: synonym replacement and random "
        "insertion are off (lower --min-similarity, or check that the vectors are "
        "word-level)",
        job.synonyms.min_similarity);
  }
  if (!job.dump_synonyms.empty()) write_synonym_table(job.dump_synonyms, table);
  return table;
}

}  // namespace

void write_synonym_table(const std::filesystem::path& path, const SynonymTable& table) {
  std::string out;
  for (const auto& [word, list] : table.entries()) {
    out += word;
    for (const auto& s : list) out += fmt::format("\t{}:{:.4f}", s.word, s.similarity);
    out += '\n';
  }
  write_file_atomic(path, out);
}

AugmentResult run_augment_job(const AugmentJob& job) {
  AugmentResult result;
  const data::Dataset dataset = data::read_dataset(job.input, job.read);
  result.skipped_rows = dataset.skipped.size();
  if (!dataset.skipped.empty()) {
    log::warn("{}: {} bad rows skipped", dataset.source, dataset.skipped.size());
  }
  text::TokenizerConfig tc = job.tokenizer;
  tc.mode = text::TokenMode::kWord;  // EDA edits words
  const text::Tokenizer tokenizer(tc);
  std::vector<std::string> extra;
  for (const auto& f : job.protect_files) {
    auto words = read_word_list(f);
    extra.insert(extra.end(), words.begin(), words.end());
  }
  const ProtectionPolicy policy(std::move(extra));

  const std::optional<SynonymTable> synonyms = build_synonyms(job, dataset, tokenizer, policy);
  if (synonyms) result.synonyms = synonyms->stats();
  const SynonymTable* table = synonyms ? &*synonyms : nullptr;
  const Augmenter augmenter(policy, table, job.eda);
  std::string ops;
  for (const auto op : augmenter.ops()) {
    if (!ops.empty()) ops += ',';
    ops += op_name(op);
  }
  log::info("augmenting {} texts, {} per text, operations {}", dataset.examples.size(),
            job.eda.n_aug, ops);
  DatasetAugmentOptions o = job.output;
  o.threads = job.threads;
  result.report = augment_dataset(dataset, tokenizer, augmenter, table, job.out, o);
  return result;
}

}  // namespace zhsenti::augment
