#include <fmt/format.h>

#include "emit.h"

namespace zhsenti::exporter {

// x = E[id] (+ N[bigram] (+ N[trigram])), added in the classifier's order so the sums round
// the same way.
std::string emit_embeddings(GraphContext& c, const std::string& ids_tb,
                            std::span<const std::string> ngram_tb) {
  const nn::ClassifierConfig& cfg = c.config;
  const std::string table = c.matrix("embedding.weight", cfg.vocab_size, cfg.embed_dim);
  std::string x = c.g.op("Gather", {table, ids_tb}, {Attr::i("axis", 0)});
  if (ngram_tb.empty()) return x;
  const std::string ngrams = c.matrix("ngram_embedding.weight", cfg.ngram_buckets, cfg.embed_dim);
  for (const std::string& ids : ngram_tb) {
    x = c.g.op("Add", {x, c.g.op("Gather", {ngrams, ids}, {Attr::i("axis", 0)})});
  }
  return x;
}

}  // namespace zhsenti::exporter
