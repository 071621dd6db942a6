// OpenCC t2s inside the cleaner: the pre-filter that skips OpenCC must never skip a text that
// OpenCC would change (checked against OpenCC itself on every line of two data sets), and one
// Cleaner must give the same results from many threads at once.

#include <gtest/gtest.h>
#include <opencc/opencc.h>

#include <algorithm>
#include <random>
#include <thread>

#include "clean_test_data.h"
#include "clean_test_util.h"
#include "zhsenti/text/cleaner.h"

namespace zhsenti::text {
namespace {

using testing::no_steps;
using testing::with;

// OpenCC on the whole text, no pre-filter: the reference.
class RawOpenCC {
 public:
  RawOpenCC() : handle_(opencc_open("t2s.json")) {}
  ~RawOpenCC() {
    if (handle_ != reinterpret_cast<opencc_t>(-1)) opencc_close(handle_);
  }
  bool ok() const { return handle_ != reinterpret_cast<opencc_t>(-1); }
  std::string convert(const std::string& s) const {
    char* out = opencc_convert_utf8(handle_, s.data(), s.size());
    std::string result = out != nullptr ? out : "<OpenCC error>";
    opencc_convert_utf8_free(out);
    return result;
  }

 private:
  opencc_t handle_;
};

std::vector<std::string> reference_texts() {
  std::vector<std::string> texts = testing::chnsenticorp_texts("train");
  for (const std::string& line : testing::data_lines("smp2020_ewect/usual_eval_labeled.csv")) {
    texts.push_back(line);
  }
  return texts;
}

TEST(CleanerT2sTest, SameAsOpenCCOnEveryLineOfRealData) {
  const RawOpenCC opencc;
  ASSERT_TRUE(opencc.ok()) << opencc_error();
  const Cleaner t2s_only(with(&CleanOptions::t2s, true, no_steps()));
  std::size_t converted = 0;
  for (const std::string& text : reference_texts()) {
    if (text.find('\0') != std::string::npos) continue;
    const std::string expected = opencc.convert(text);
    ASSERT_EQ(t2s_only.clean(text), expected) << text;
    converted += expected != text;
  }
  // ChnSentiCorp has a few dozen reviews in traditional characters.
  EXPECT_GT(converted, 50u);
}

TEST(CleanerT2sTest, PhraseKeysAreNotSkipped) {
  const RawOpenCC opencc;
  ASSERT_TRUE(opencc.ok());
  const Cleaner t2s_only(with(&CleanOptions::t2s, true, no_steps()));
  // Keys whose characters do not change on their own (覆, 瞭, 藉, 沈, 么 ...).
  for (const std::string s :
       {"反覆", "一目瞭然", "找藉口", "沈默", "么麽", "回覆", "答覆", "明瞭"}) {
    EXPECT_EQ(t2s_only.clean(s), opencc.convert(s)) << s;
    EXPECT_NE(opencc.convert(s), s) << s;
  }
}

TEST(CleanerT2sTest, OneCleanerIsSafeFromManyThreads) {
  std::vector<std::string> texts = testing::chnsenticorp_texts("dev");
  for (const std::string& text : testing::chnsenticorp_texts("train")) {
    if (text.find("這") != std::string::npos || text.find("說") != std::string::npos) {
      texts.push_back(text);  // traditional reviews, so OpenCC itself runs concurrently
    }
  }
  const Cleaner cleaner(with(&CleanOptions::emoji, EmojiMode::kDrop));
  std::vector<std::string> expected;
  for (const std::string& text : texts) expected.push_back(cleaner.clean(text));

  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> results(kThreads, std::vector<std::string>(texts.size()));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread walks the texts in its own order.
      std::vector<std::size_t> order(texts.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::shuffle(order.begin(), order.end(), std::mt19937(static_cast<unsigned>(t)));
      for (int round = 0; round < 2; ++round) {
        for (const std::size_t i : order) results[t][i] = cleaner.clean(texts[i]);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(results[t], expected) << "thread " << t;
}

}  // namespace
}  // namespace zhsenti::text
