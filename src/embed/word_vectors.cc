#include "zhsenti/embed/word_vectors.h"

#include <fmt/format.h>

#include "zhsenti/core/error.h"

namespace zhsenti::embed {

std::string_view format_name(VectorFormat format) {
  switch (format) {
    case VectorFormat::kWord2VecText:
      return "word2vec";
    case VectorFormat::kWord2VecBinary:
      return "word2vec-bin";
    case VectorFormat::kGloveText:
      return "glove";
    case VectorFormat::kFastTextVec:
      return "fasttext";
  }
  return "?";
}

VectorFormat parse_format(std::string_view name) {
  for (auto f : {VectorFormat::kWord2VecText, VectorFormat::kWord2VecBinary,
                 VectorFormat::kGloveText, VectorFormat::kFastTextVec}) {
    if (name == format_name(f)) return f;
  }
  throw Error(
      ErrorCode::kInvalidArgument,
      fmt::format("unknown vector format '{}' (word2vec, word2vec-bin, glove, fasttext)", name));
}

VectorFormat format_for_path(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".bin") return VectorFormat::kWord2VecBinary;
  if (ext == ".vec") return VectorFormat::kFastTextVec;
  if (ext == ".glove") return VectorFormat::kGloveText;
  return VectorFormat::kWord2VecText;
}

std::unordered_map<std::string_view, std::size_t> word_index(const WordVectors& vectors) {
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) index.emplace(vectors.words[i], i);
  return index;
}

void check_word(std::string_view word, std::string_view where) {
  if (word.empty()) throw Error(ErrorCode::kInvalidArgument, fmt::format("{}: empty word", where));
  for (char c : word) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      throw Error(ErrorCode::kInvalidArgument,
                  fmt::format("{}: word '{}' contains whitespace, which vector files cannot store",
                              where, word));
    }
  }
}

}  // namespace zhsenti::embed
