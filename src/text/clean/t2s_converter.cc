#include "t2s_converter.h"

#include <fmt/format.h>
#include <opencc/opencc.h>

#include <algorithm>
#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/Dict.hpp>
#include <opencc/Exception.hpp>
#include <opencc/Lexicon.hpp>
#include <opencc/MaxMatchSegmentation.hpp>

#include "clean_chars.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

// OpenCC resolves a bare name against its data directory (/usr/share/opencc on Debian).
constexpr const char* kConfig = OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP;  // "t2s.json"

const opencc_t kInvalidHandle = reinterpret_cast<opencc_t>(-1);

}  // namespace

std::shared_ptr<const T2sConverter> T2sConverter::shared() {
  // A failed load throws out of the initialiser, so the next call tries again.
  static const std::shared_ptr<const T2sConverter> instance(new T2sConverter());
  return instance;
}

T2sConverter::T2sConverter() {
  handle_ = opencc_open(kConfig);
  if (handle_ == kInvalidHandle) {
    handle_ = nullptr;
    throw Error(ErrorCode::kNotFound,
                fmt::format("OpenCC: cannot load {}: {} (is libopencc-data installed?)", kConfig,
                            opencc_error()));
  }
  try {
    load_keys();
  } catch (...) {
    opencc_close(handle_);
    throw;
  }
}

T2sConverter::~T2sConverter() {
  if (handle_ != nullptr) opencc_close(handle_);
}

// The keys come from OpenCC's C++ API (the C API cannot list them); only this function
// depends on it.
void T2sConverter::load_keys() {
  std::vector<std::u32string> phrase_keys;
  std::vector<char32_t> chars;
  runs_are_independent_ = true;
  const auto all_ideographs = [](const std::u32string& cps) {
    return std::all_of(cps.begin(), cps.end(), detail::is_cjk_ideograph);
  };
  try {
    opencc::Config config;
    const opencc::ConverterPtr converter = config.NewFromFile(kConfig);
    const auto segmentation =
        std::dynamic_pointer_cast<opencc::MaxMatchSegmentation>(converter->GetSegmentation());
    if (segmentation == nullptr) {
      runs_are_independent_ = false;
    } else {
      // DictGroup::GetLexicon builds a new lexicon: keep it alive while iterating.
      const opencc::LexiconPtr lexicon = segmentation->GetDict()->GetLexicon();
      for (const auto& entry : *lexicon) {
        runs_are_independent_ = runs_are_independent_ && all_ideographs(utf8::decode(entry->Key()));
      }
    }
    for (const opencc::ConversionPtr& conversion :
         converter->GetConversionChain()->GetConversions()) {
      const opencc::LexiconPtr lexicon = conversion->GetDict()->GetLexicon();
      for (const auto& entry : *lexicon) {
        const std::string key = entry->Key();
        std::u32string cps = utf8::decode(key);
        runs_are_independent_ = runs_are_independent_ && all_ideographs(cps);
        if (entry->GetDefault() == key) continue;
        if (cps.size() == 1) {
          chars.push_back(cps[0]);
        } else if (cps.size() > 1) {
          phrase_keys.push_back(std::move(cps));
        }
      }
    }
  } catch (const opencc::Exception& e) {
    throw Error(ErrorCode::kNotFound, fmt::format("OpenCC: cannot read {}: {}", kConfig, e.what()));
  }
  for (const char32_t cp : chars) set(changing_chars_, cp);
  char32_t min_cp = chars.empty() ? 0 : *std::min_element(chars.begin(), chars.end());
  for (const std::u32string& key : phrase_keys) {
    min_cp = std::min(min_cp, key[0]);
    // A key with a character that changes alone is already caught by the bitmap.
    if (std::any_of(key.begin(), key.end(),
                    [&](char32_t cp) { return test(changing_chars_, cp); })) {
      continue;
    }
    phrases_[key[0]].push_back(utf8::encode(key));
    set(phrase_starts_, key[0]);
  }
  key_starts_ = changing_chars_;
  key_starts_.resize(std::max(key_starts_.size(), phrase_starts_.size()), 0);
  for (std::size_t w = 0; w < phrase_starts_.size(); ++w) key_starts_[w] |= phrase_starts_[w];
  // A byte at or above 0xC2 is always a lead byte, so skipping smaller ones stays aligned.
  std::string lead;
  utf8::append(lead, min_cp);
  const auto min_lead = static_cast<unsigned char>(lead[0]);
  skip_below_ = min_lead >= 0xC2 ? min_lead : 0;
}

bool T2sConverter::changes_at(std::string_view text, std::size_t pos, char32_t cp) const {
  if (test(changing_chars_, cp)) return true;
  if (!test(phrase_starts_, cp)) return false;
  const std::string_view rest = text.substr(pos);
  for (const std::string& phrase : phrases_.at(cp)) {
    if (rest.starts_with(phrase)) return true;
  }
  return false;
}

bool T2sConverter::may_change(std::string_view text) const {
  std::size_t i = 0;
  while (i < text.size()) {
    // Bytes below skip_below_ are ASCII, continuation bytes or leads of code points below
    // every key (t2s keys are all CJK ideographs, U+3400 and up).
    if (static_cast<unsigned char>(text[i]) < skip_below_) {
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = detail::decode_valid(text, i, cp);
    if (test(key_starts_, cp) && changes_at(text, i, cp)) return true;
    i += len;
  }
  return false;
}

void T2sConverter::convert_piece(std::string_view piece, std::string& out) const {
  // OpenCC stops at NUL (it copies with strncpy), so NUL-separated parts convert separately.
  std::size_t begin = 0;
  while (begin <= piece.size()) {
    const std::size_t nul = std::min(piece.find('\0', begin), piece.size());
    if (nul > begin) {
      char* converted = opencc_convert_utf8(handle_, piece.data() + begin, nul - begin);
      if (converted == nullptr) {
        throw Error(ErrorCode::kInternal,
                    fmt::format("OpenCC: t2s conversion failed: {}", opencc_error()));
      }
      out.append(converted);
      opencc_convert_utf8_free(converted);
    }
    if (nul == piece.size()) break;
    out.push_back('\0');
    begin = nul + 1;
  }
}

bool T2sConverter::convert(std::string_view text, std::string& out) const {
  // Most texts have no key to convert: one quick scan answers that.
  if (!may_change(text)) return false;
  if (!runs_are_independent_) {
    convert_piece(text, out);
    return true;
  }
  // Every key is made of CJK ideographs, so OpenCC's segments never cross another character:
  // converting each run of ideographs on its own gives OpenCC's result for the whole text, and
  // runs without a changing key are copied as they are.
  bool changed = false;
  std::size_t copied = 0;  // text[copied, run) is still to be copied verbatim
  std::size_t run = std::string_view::npos;
  bool run_changes = false;
  const auto end_run = [&](std::size_t end) {
    if (run_changes) {
      if (!changed) out.reserve(out.size() + text.size());
      out.append(text, copied, run - copied);
      convert_piece(text.substr(run, end - run), out);
      copied = end;
      changed = true;
    }
    run = std::string_view::npos;
    run_changes = false;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < skip_below_) {
      // Continuation bytes belong to a character whose lead already ended the run.
      if (b < 0x80 || b >= 0xC0) end_run(i);
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = detail::decode_valid(text, i, cp);
    if (!detail::is_cjk_ideograph(cp)) {
      end_run(i);
    } else {
      if (run == std::string_view::npos) run = i;
      run_changes = run_changes || (test(key_starts_, cp) && changes_at(text, i, cp));
    }
    i += len;
  }
  end_run(text.size());
  if (changed) out.append(text, copied);
  return changed;
}

}  // namespace zhsenti::text
