#pragma once
// Word vectors in memory and the four file formats they are exchanged in.
//
//   word2vec text   "count dim\n" then "word v1 ... vdim\n" per word
//   word2vec binary "count dim\n" then "word " + dim little-endian float32 (+ optional "\n")
//   GloVe text      "word v1 ... vdim\n" per word, no header (dim from the first row)
//   fastText .vec   word2vec text; fastText ends each row with a space, which readers accept
//
// Words may not contain ASCII whitespace (it separates the fields in every format).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zhsenti::embed {

enum class VectorFormat { kWord2VecText, kWord2VecBinary, kGloveText, kFastTextVec };

// "word2vec" | "word2vec-bin" | "glove" | "fasttext"
std::string_view format_name(VectorFormat format);
// Throws Error(kInvalidArgument) naming the bad value and the accepted names.
VectorFormat parse_format(std::string_view name);
// The format a path's extension suggests when writing: .bin -> word2vec binary, .vec ->
// fastText, .glove -> GloVe, anything else -> word2vec text.
VectorFormat format_for_path(const std::filesystem::path& path);

struct WordVectors {
  int dim = 0;
  std::vector<std::string> words;
  std::vector<float> values;  // (words.size(), dim) row-major

  std::size_t size() const { return words.size(); }
  std::span<const float> row(std::size_t i) const {
    return {values.data() + i * static_cast<std::size_t>(dim), static_cast<std::size_t>(dim)};
  }
  std::span<float> row(std::size_t i) {
    return {values.data() + i * static_cast<std::size_t>(dim), static_cast<std::size_t>(dim)};
  }
};

// word -> row; the views point into `vectors`, which must outlive the map and stay unchanged.
std::unordered_map<std::string_view, std::size_t> word_index(const WordVectors& vectors);

// Rejects a word no format can store (empty, or holding ASCII whitespace); `where` prefixes
// the message.
void check_word(std::string_view word, std::string_view where);

}  // namespace zhsenti::embed
