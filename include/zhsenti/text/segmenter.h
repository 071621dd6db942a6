#pragma once
// Chinese word segmentation identical to jieba 0.42's three modes (jieba.lcut(text,
// cut_all=False|True, HMM=...), jieba.lcut_for_search, jieba.tokenize) and to
// jieba.posseg.lcut, from jieba's own dictionary and HMM tables (read from the python3-jieba
// package; Python is not needed at run time).
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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::text {

class FreqTable;

struct SegmenterOptions {
  // Empty: $ZHSENTI_JIEBA_DIR or the python3-jieba package dir.
  std::filesystem::path jieba_dir;
  // The main "word freq [tag]" dictionary (jieba.Tokenizer(dictionary=...)); empty:
  // jieba_dir/dict.txt.
  std::filesystem::path dictionary;
  // Lines "word [freq] [tag]", stacked in order, like jieba.load_userdict.
  std::vector<std::filesystem::path> user_dicts;
  // HMM for unknown words (jieba's HMM=True).
  bool hmm = true;
  // Empty: $XDG_CACHE_HOME/zhsenti or ~/.cache/zhsenti.
  std::filesystem::path cache_dir;
};

// jieba's modes: precise (cut), full (cut(cut_all=True)), search engine (cut_for_search).
enum class CutMode { kDefault, kFull, kSearch };
// "default" (or "word"), "full", "search"; nullopt for anything else.
std::optional<CutMode> parse_cut_mode(std::string_view name);

struct CutOptions {
  CutMode mode = CutMode::kDefault;
  bool hmm = true;  // the full mode never uses the HMM (as in jieba)
  // Keep jieba's output exactly: whitespace tokens and, in full mode, the empty strings
  // jieba's re_skip.split leaves around them. false: both are dropped.
  bool keep_space = false;
};

// A token with its position in code points (jieba.tokenize's start and end).
struct TokenSpan {
  std::string_view word;
  std::uint32_t start;
  std::uint32_t end;
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
  // A segmenter over a dictionary held in memory (one being edited with add_word), with the
  // HMM tables of options' jieba folder; built every time, never cached.
  static std::shared_ptr<const Segmenter> from_table(const FreqTable& table,
                                                     const SegmenterOptions& options = {});

  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // jieba.lcut(text, cut_all=False, HMM=options.hmm) with whitespace-only tokens dropped;
  // tokens are views into `text`; `tokens` is cleared first. Invalid UTF-8 bytes become
  // one-byte tokens (callers that care validate first).
  void cut(std::string_view text, std::vector<std::string_view>& tokens) const;
  std::vector<std::string> cut(std::string_view text) const;
  // Any mode, with the HMM chosen per call. Full mode can (rarely) glue ASCII letters that are
  // not adjacent in the text into one token in jieba; here they stay separate tokens.
  void cut(std::string_view text, std::vector<std::string_view>& tokens,
           const CutOptions& options) const;
  // The same tokens with code-point offsets (jieba.tokenize for kDefault / kSearch).
  void tokenize(std::string_view text, std::vector<TokenSpan>& tokens,
                const CutOptions& options) const;
  // jieba.posseg.lcut(text, HMM=options.hmm) equivalent, whitespace tokens dropped; words view
  // `text`, tags view segmenter-owned storage.
  void cut_pos(std::string_view text, std::vector<TaggedToken>& tokens) const;
  // jieba.posseg.lcut(text, HMM=hmm); keep_space keeps whitespace tokens (tagged x).
  void cut_pos(std::string_view text, std::vector<TaggedToken>& tokens, bool hmm,
               bool keep_space) const;
  // FREQ.get(word) is truthy: word is in the dictionary with a positive frequency.
  bool is_word(std::string_view word) const;

  const SegmenterInfo& info() const;
  bool hmm() const;

  struct Impl;

 private:
  explicit Segmenter(std::unique_ptr<Impl> impl);
  static std::shared_ptr<const Segmenter> bind_fresh(std::unique_ptr<Impl> impl,
                                                     std::string_view image);
  std::unique_ptr<Impl> impl_;
};

// Character mode: one token per code point, whitespace (Python str.isspace) dropped.
void cut_chars(std::string_view text, std::vector<std::string_view>& tokens);

// The jieba folder options.jieba_dir resolves to (option, $ZHSENTI_JIEBA_DIR, package dir).
std::filesystem::path resolve_jieba_dir(const std::filesystem::path& option);
// The cache folder options.cache_dir resolves to; empty when none can be determined.
std::filesystem::path resolve_cache_dir(const std::filesystem::path& option);

}  // namespace zhsenti::text
