// Reading raw or pre-segmented texts into a CorpusBuilder, tokenizing in blocks on a pool.

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "zhsenti/core/error.h"
#include "zhsenti/core/line_reader.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/embed/bigram_entry.h"
#include "zhsenti/embed/corpus.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::embed {
namespace {

constexpr std::size_t kBlock = 4096;

bool is_data_file(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".tsv" || ext == ".csv" || ext == ".jsonl" || ext == ".ndjson" || ext == ".json";
}

bool has_space(std::string_view token) {
  return std::any_of(token.begin(), token.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  });
}

// Texts of one block, tokenized together.
class BlockTokenizer {
 public:
  BlockTokenizer(const std::filesystem::path& path, const CorpusReadOptions& options,
                 CorpusBuilder& builder, CorpusBuilder* bigram_builder)
      : source_(path.string()),
        options_(options),
        builder_(builder),
        bigram_builder_(bigram_builder),
        pool_(static_cast<std::size_t>(std::max(options.threads, 0))) {
    if (!options.pre_segmented) tokenizer_.emplace(options.tokenizer);
    if (options.show_progress) progress_.emplace("read " + source_, 0, "texts");
  }

  void add(std::string_view text, std::size_t line) {
    texts_.emplace_back(text);
    lines_.push_back(line);
    if (texts_.size() == kBlock) flush();
  }

  void flush() {
    bigrams_.resize(texts_.size());
    if (options_.pre_segmented) {
      for (std::size_t i = 0; i < texts_.size(); ++i) {
        if (const auto bad = utf8::find_invalid(texts_[i])) {
          throw_parse_error(source_, lines_[i], fmt::format("invalid UTF-8 at byte {}", *bad));
        }
        split_whitespace(texts_[i], views_);
        if (views_.empty()) continue;
        builder_.add_sentence(std::span<const std::string_view>(views_));
        ++texts_added_;
        if (bigram_builder_) {
          bigram_entries(views_, bigrams_[i]);
          add_sentence(bigram_builder_, bigrams_[i]);
        }
      }
    } else {
      tokens_.resize(texts_.size());
      pool_.parallel_for(texts_.size(), 64, [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t i = begin; i < end; ++i) {
          try {
            tokenizer_->tokenize(texts_[i], tokens_[i]);
          } catch (const Error& e) {
            throw Error(e.code(), location_message(source_, lines_[i], e.what()));
          }
          // Vector files separate fields by whitespace, so such tokens cannot be stored.
          std::erase_if(tokens_[i], [](const std::string& t) { return has_space(t); });
          if (bigram_builder_) bigram_entries(tokens_[i], bigrams_[i]);
        }
      });
      for (std::size_t i = 0; i < texts_.size(); ++i) {
        if (tokens_[i].empty()) continue;
        add_sentence(&builder_, tokens_[i]);
        ++texts_added_;
        if (bigram_builder_) add_sentence(bigram_builder_, bigrams_[i]);
      }
    }
    if (progress_) progress_->advance(texts_.size());
    texts_.clear();
    lines_.clear();
  }

  std::size_t finish() {
    flush();
    if (progress_) progress_->finish();
    return texts_added_;
  }

 private:
  static void add_sentence(CorpusBuilder* to, const std::vector<std::string>& sentence) {
    if (!sentence.empty()) to->add_sentence(std::span<const std::string>(sentence));
  }

  std::string source_;
  const CorpusReadOptions& options_;
  CorpusBuilder& builder_;
  CorpusBuilder* bigram_builder_;
  ThreadPool pool_;
  std::optional<text::Tokenizer> tokenizer_;
  std::optional<Progress> progress_;
  std::vector<std::string> texts_;
  std::vector<std::size_t> lines_;
  std::vector<std::vector<std::string>> tokens_;
  std::vector<std::vector<std::string>> bigrams_;  // per text, when bigram_builder_ is set
  std::vector<std::string_view> views_;
  std::size_t texts_added_ = 0;
};

}  // namespace

std::size_t read_corpus_file(const std::filesystem::path& path, const CorpusReadOptions& options,
                             CorpusBuilder& builder, CorpusBuilder* bigrams) {
  BlockTokenizer block(path, options, builder, bigrams);
  if (is_data_file(path)) {
    data::ReadOptions read;
    read.text_col = options.text_col;
    read.require_labels = false;
    read.shard_index = options.shard_index;
    read.shard_count = options.shard_count;
    const data::Dataset ds = data::read_dataset(path, read);
    for (const auto& ex : ds.examples) block.add(ex.text, ex.line);
  } else {
    LineReader in(path);
    std::string_view line;
    std::size_t number = 0, text = 0;
    while (in.read_line(line)) {
      ++number;
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      if (text++ % options.shard_count != options.shard_index) continue;
      block.add(line, number);
    }
  }
  return block.finish();
}

}  // namespace zhsenti::embed
