// A long text leaves nothing behind in a thread's scratch buffers (core/scratch.h): the
// server's 64 request threads would otherwise each keep ~300 KB after one 5,000-character
// text, which is how RSS crept up under issue 17's explanation soak.

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
// From the sanitizer runtime (its header does not come with every GCC installation).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

#include <string>
#include <vector>

#include "tiny_model.h"
#include "zhsenti/core/scratch.h"
#include "zhsenti/predict/predictor.h"
#include "zhsenti/text/tokenizer.h"

namespace zhsenti::predict {
namespace {

// Bytes the allocator has handed out and not got back (this thread's arena in a
// single-threaded test, large blocks included).
std::size_t allocated_bytes() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 m = ::mallinfo2();
  return m.uordblks + m.hblkhd;
#endif
}

std::string long_review(std::size_t chars) {
  const std::u32string unit = U"房间干净服务很好但是早餐一般价格偏贵下次还会再来。";
  std::u32string text;
  while (text.size() < chars) text += unit;
  text.resize(chars);
  return utf8::encode(text);
}

// What one long text leaves allocated once its caller has let go of the result.
template <class Fn>
std::ptrdiff_t retained_after(Fn fn) {
  fn("服务很好");  // buffers exist for short texts, as in a warm server
  const std::size_t before = allocated_bytes();
  fn(long_review(5000));
  return static_cast<std::ptrdiff_t>(allocated_bytes()) - static_cast<std::ptrdiff_t>(before);
}

// Buffers under the keep size stay (a 5,000-character text's cleaned copy is one); a
// regression keeps hundreds of KB (token vectors alone are ~160 KB).
constexpr std::ptrdiff_t kAllowance = 4 * static_cast<std::ptrdiff_t>(kScratchKeepBytes);

TEST(ScratchMemory, PredictorEncodeKeepsNothingOfALongText) {
  const auto dir = testing::fresh_temp_dir("scratch_memory");
  testing::write_tiny_model(dir / "m");
  const auto p = Predictor::load(dir / "m");
  const auto retained = retained_after([&](const std::string& text) {
    std::vector<std::int32_t> ids;
    p->encode(text, ids);
    ASSERT_FALSE(ids.empty());
  });
  EXPECT_LT(retained, kAllowance);
  std::filesystem::remove_all(dir);
}

TEST(ScratchMemory, WordTokenizerKeepsNothingOfALongText) {
  const text::Tokenizer tokenizer{text::TokenizerConfig{}};  // jieba words, cleaned
  const auto retained = retained_after([&](const std::string& text) {
    std::vector<std::string> tokens;
    tokenizer.tokenize(text, tokens);
    ASSERT_GT(tokens.size(), 1u);
  });
  EXPECT_LT(retained, kAllowance);
}

}  // namespace
}  // namespace zhsenti::predict
