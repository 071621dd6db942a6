#pragma once
// Chinese word segmentation identical to jieba 0.42's precise mode (jieba.lcut(text,
// cut_all=False, HMM=...)) and to jieba.posseg.lcut, from jieba's own dictionary and HMM tables
// (read from the python3-jieba package; Python is not needed at run time).
//
// Loading parses dict.txt and the HMM tables once and stores the result as a flat binary cache
// (cache_dir/jieba-<hash>.bin, validated by the source files' sizes and mtimes, a version and
// a checksum); later loads mmap it, which takes milliseconds.
//
// Threads: a Segmenter is immutable after load() and cut() is const; each thread keeps its own
// scratch buffers (thread_local), so concurrent cuts need no locks and a thread's steady-state
// cut() allocates nothing once its buffers have grown to its longest text. thread_local
// rather than a caller-held Scratch keeps the call sites (CLI, vocab, server) one-liners.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::text {

struct SegmenterOptions {
  // Empty: $ZHSENTI_JIEBA_DIR or the python3-jieba package dir.
  std::filesystem::path jieba_dir;
  // Lines "word [freq] [tag]", stacked in order, like jieba.load_userdict.
  std::vector<std::filesystem::path> user_dicts;
  // HMM for unknown words (jieba's HMM=True).
  bool hmm = true;
  // Empty: $XDG_CACHE_HOME/zhsenti or ~/.cache/zhsenti.
  std::filesystem::path cache_dir;
};

struct TaggedToken {
  std::string_view word;
  std::string_view tag;
};

struct SegmenterInfo {
  std::filesystem::path jieba_dir;
  std::filesystem::path cache_file;  // empty when no cache directory could be used
  bool cache_hit = false;            // loaded from a valid cache (false: built from sources)
  std::int64_t total = 0;            // jieba's Tokenizer.total after the user dictionaries
  std::size_t trie_nodes = 0;
};

class Segmenter {
 public:
  // Throws Error(kNotFound) when jieba's files are missing, Error(kParse) with file:line for
  // malformed dictionaries or tables. A missing, stale or corrupt cache is rebuilt; an
  // unwritable cache directory only costs speed (logged at debug level).
  static std::shared_ptr<const Segmenter> load(const SegmenterOptions& options = {});

  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // jieba.lcut(text, cut_all=False, HMM=options.hmm) with whitespace-only tokens dropped;
  // tokens are views into `text`; `tokens` is cleared first. Invalid UTF-8 bytes become
  // one-byte tokens (callers that care validate first).
  void cut(std::string_view text, std::vector<std::string_view>& tokens) const;
  std::vector<std::string> cut(std::string_view text) const;
  // jieba.posseg.lcut(text, HMM=options.hmm) equivalent, whitespace tokens dropped; words view
  // `text`, tags view segmenter-owned storage.
  void cut_pos(std::string_view text, std::vector<TaggedToken>& tokens) const;

  const SegmenterInfo& info() const;
  bool hmm() const;

  struct Impl;

 private:
  explicit Segmenter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Character mode: one token per code point, whitespace (Python str.isspace) dropped.
void cut_chars(std::string_view text, std::vector<std::string_view>& tokens);

// The jieba folder options.jieba_dir resolves to (option, $ZHSENTI_JIEBA_DIR, package dir).
std::filesystem::path resolve_jieba_dir(const std::filesystem::path& option);
// The cache folder options.cache_dir resolves to; empty when none can be determined.
std::filesystem::path resolve_cache_dir(const std::filesystem::path& option);

}  // namespace zhsenti::text
