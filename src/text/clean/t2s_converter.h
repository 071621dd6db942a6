#pragma once
// Traditional → simplified Chinese through OpenCC's t2s.json, shared by every Cleaner.
//
// Thread safety: one OpenCC handle serves all threads without a lock. opencc_convert_utf8
// calls SimpleConverter::Convert, which is const all the way down (Converter, MaxMatch
// segmentation, DictGroup, MarisaDict); every call builds its own segments and its own
// marisa::Agent and only reads the loaded tries. The one shared mutable object in the C API
// is the last-error string, written only when a conversion fails (it cannot on valid UTF-8).
// Checked against OpenCC 1.1 sources; tests/unit/text/t2s_converter_test.cc converts from
// several threads and compares with single-threaded results.
//
// Speed: OpenCC allocates per segment and converts a few MB/s, while most texts have nothing
// to convert. The dictionaries' keys decide exactly which texts can change: only a text
// containing a key whose first conversion differs from the key. Such texts contain one of
// those single-character keys or one of the few phrase keys made of characters that are not
// changed on their own (反覆, 一目瞭然); everything else skips OpenCC. And as all keys are CJK
// ideographs, only the runs of ideographs that hold such a key go to OpenCC.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zhsenti::text {

class T2sConverter {
 public:
  // Loaded once per process; throws Error(kNotFound) when OpenCC's t2s.json cannot be loaded.
  static std::shared_ptr<const T2sConverter> shared();

  ~T2sConverter();
  T2sConverter(const T2sConverter&) = delete;
  T2sConverter& operator=(const T2sConverter&) = delete;

  // Whether OpenCC could change `text` (valid UTF-8).
  bool may_change(std::string_view text) const;
  // Appends OpenCC's conversion of text to out; false (out then unspecified) when nothing
  // can change.
  bool convert(std::string_view text, std::string& out) const;

 private:
  T2sConverter();
  void load_keys();
  // Whether a key that changes text starts at text[pos] (code point cp).
  bool changes_at(std::string_view text, std::size_t pos, char32_t cp) const;
  void convert_piece(std::string_view piece, std::string& out) const;
  static bool test(const std::vector<std::uint64_t>& bits, char32_t cp) {
    return cp / 64 < bits.size() && ((bits[cp / 64] >> (cp % 64)) & 1) != 0;
  }
  static void set(std::vector<std::uint64_t>& bits, char32_t cp) {
    if (cp / 64 >= bits.size()) bits.resize(cp / 64 + 1, 0);
    bits[cp / 64] |= std::uint64_t{1} << (cp % 64);
  }

  void* handle_ = nullptr;                     // opencc_t
  unsigned char skip_below_ = 0;               // UTF-8 lead byte of the smallest key code point
  bool runs_are_independent_ = false;          // every key is made of CJK ideographs only
  std::vector<std::uint64_t> changing_chars_;  // bitmap: single-character keys that change
  // Changing phrase keys none of whose characters changes alone, by first code point (and a
  // bitmap of those first code points, so most characters cost one bit test).
  std::unordered_map<char32_t, std::vector<std::string>> phrases_;
  std::vector<std::uint64_t> phrase_starts_;
  std::vector<std::uint64_t> key_starts_;  // changing_chars_ | phrase_starts_: one test per char
};

}  // namespace zhsenti::text
