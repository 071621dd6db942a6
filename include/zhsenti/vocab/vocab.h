#pragma once
// Token <-> id table for the embedding layer. Ids are dense int32 in [0, size()):
//   0 = <pad>, 1 = <unk>, then the kept tokens by count descending, ties by token bytes
//   ascending, so a build is the same whatever the input order or hash seed.
// Lookups hash a string_view and never allocate.
//
// vocab.txt (save/load): UTF-8, one entry per line, line i (1-based) is id i-1, written as
// "token<TAB>count\n". The first two lines are "<pad>\t0" and "<unk>\tN" where N counts the
// training-token occurrences that were cut (min_count / max_size), i.e. the OOV mass seen in
// training. Tokens may not be empty or contain TAB, LF or CR; segmentation never produces
// them, and build/extend reject them with the offending token.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zhsenti::vocab {

inline constexpr std::int32_t kPadId = 0;
inline constexpr std::int32_t kUnkId = 1;
inline constexpr std::string_view kPadToken = "<pad>";
inline constexpr std::string_view kUnkToken = "<unk>";
inline constexpr std::int32_t kNumSpecials = 2;

// Counts tokens over a corpus before the vocabulary is fixed. Merge per-thread counters with
// merge(). Literal "<pad>"/"<unk>" tokens are counted like any other and later map to the
// special ids.
class TokenCounter {
 public:
  void add(std::string_view token, std::int64_t n = 1);
  void add(std::span<const std::string> tokens);
  void add(std::span<const std::string_view> tokens);
  void merge(const TokenCounter& other);

  std::int64_t count(std::string_view token) const;
  std::size_t distinct() const { return counts_.size(); }
  std::int64_t total() const { return total_; }

  // (token, count) sorted by count descending, then token bytes ascending.
  std::vector<std::pair<std::string, std::int64_t>> sorted() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept;
  };
  std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> counts_;
  std::int64_t total_ = 0;
};

struct BuildOptions {
  std::int64_t min_count = 1;  // drop tokens seen fewer times
  std::size_t max_size = 0;    // total rows including the 2 specials; 0 = unlimited
};

class Vocab {
 public:
  // A vocabulary holding only <pad> and <unk>.
  Vocab();

  static Vocab build(const TokenCounter& counts, const BuildOptions& options = {});

  // Parses vocab.txt content; errors are "source:line: message" (ErrorCode::kParse).
  static Vocab parse(std::string_view text, std::string_view source = "vocab.txt");
  static Vocab load(const std::filesystem::path& path);
  std::string to_text() const;
  void save(const std::filesystem::path& path) const;  // atomic

  // Id of token, or kUnkId when absent.
  std::int32_t id(std::string_view token) const {
    const auto found = find(token);
    return found ? *found : kUnkId;
  }
  std::optional<std::int32_t> find(std::string_view token) const;
  bool contains(std::string_view token) const { return find(token).has_value(); }

  // Throws Error(kInvalidArgument) for an id outside [0, size()).
  const std::string& token(std::int32_t id) const;
  std::int64_t count(std::int32_t id) const;
  std::size_t size() const { return tokens_.size(); }

  // Appends tokens not yet present (fine-tuning on new data). Existing ids and counts are
  // kept; new tokens follow the build order and filters, and max_size caps the total size.
  // Returns the number of rows added.
  std::size_t extend(const TokenCounter& counts, const BuildOptions& options = {});

  friend bool operator==(const Vocab& a, const Vocab& b) {
    return a.tokens_ == b.tokens_ && a.counts_ == b.counts_;
  }

 private:
  void append(std::string token, std::int64_t count);
  void rehash(std::size_t capacity);

  std::vector<std::string> tokens_;
  std::vector<std::int64_t> counts_;
  std::vector<std::uint64_t> hashes_;  // per id, so probing compares strings only on a hit
  std::vector<std::int32_t> slots_;    // open addressing, linear probing; -1 = empty
};

// Rejects tokens that cannot be stored in vocab.txt; `where` prefixes the message.
void check_token(std::string_view token, std::string_view where);

}  // namespace zhsenti::vocab
