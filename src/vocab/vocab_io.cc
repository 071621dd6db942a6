// vocab.txt reading and writing (format in vocab.h).

#include <fmt/format.h>

#include <charconv>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/lines.h"
#include "zhsenti/vocab/vocab.h"

namespace zhsenti::vocab {

std::string Vocab::to_text() const {
  std::string out;
  for (std::size_t id = 0; id < tokens_.size(); ++id) {
    fmt::format_to(std::back_inserter(out), "{}\t{}\n", tokens_[id], counts_[id]);
  }
  return out;
}

void Vocab::save(const std::filesystem::path& path) const { write_file_atomic(path, to_text()); }

Vocab Vocab::load(const std::filesystem::path& path) {
  return parse(read_file(path), path.string());
}

Vocab Vocab::parse(std::string_view text, std::string_view source) {
  if (text.empty()) throw_parse_error(source, 0, "empty vocabulary file (expected <pad> and <unk> lines)");
  Vocab v;
  v.tokens_.clear();
  v.counts_.clear();
  v.hashes_.clear();
  v.rehash(16);
  for_each_line(text, [&](std::string_view row, std::size_t line) {
    const std::size_t tab = row.find('\t');
    if (tab == std::string_view::npos) {
      throw_parse_error(source, line, fmt::format("expected token<TAB>count, got {:?}", row));
    }
    const std::string_view token = row.substr(0, tab);
    const std::string_view count_text = row.substr(tab + 1);
    if (token.empty()) throw_parse_error(source, line, "empty token");
    if (token.find('\r') != std::string_view::npos) {
      throw_parse_error(source, line, fmt::format("token {:?} contains a carriage return", token));
    }
    std::int64_t count = 0;
    const auto [ptr, ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
    if (ec != std::errc() || ptr != count_text.data() + count_text.size() || count < 0) {
      throw_parse_error(source, line,
                        fmt::format("count {:?} of token {:?} is not a non-negative integer",
                                    count_text, token));
    }
    if (line == 1 && token != kPadToken) {
      throw_parse_error(source, line, fmt::format("first entry must be {}, got {:?}", kPadToken, token));
    }
    if (line == 2 && token != kUnkToken) {
      throw_parse_error(source, line, fmt::format("second entry must be {}, got {:?}", kUnkToken, token));
    }
    if (const auto dup = v.find(token)) {
      throw_parse_error(source, line,
                        fmt::format("duplicate token {:?} (first on line {})", token,
                                    static_cast<std::size_t>(*dup) + 1));
    }
    v.append(std::string(token), count);
  });
  if (v.size() < static_cast<std::size_t>(kNumSpecials)) {
    throw_parse_error(source, 0, fmt::format("only {} entries; <pad> and <unk> are required", v.size()));
  }
  return v;
}

}  // namespace zhsenti::vocab
