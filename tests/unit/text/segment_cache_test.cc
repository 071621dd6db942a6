// The dictionary image cache: built on a miss, used on a hit, rebuilt (never trusted) when it is
// stale, truncated or damaged, and optional when the cache folder cannot be written.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "segment_test_util.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti::text {
namespace {

using testing::ScratchDir;

constexpr const char* kDict = "甲 1 n\n乙 1 v\n丙 1 x\n甲乙 1 n\n乙丙 1 nz\n丁戊己 3 i\n丁 0 m\n";

class SegmenterCache : public ::testing::Test {
 protected:
  // Without the HMM, so that a word added to a dictionary shows in the cut (with it, the
  // HMM joins 丙丁 anyway).
  SegmenterOptions options() const {
    SegmenterOptions o;
    o.jieba_dir = jieba_;
    o.cache_dir = dir_.path() / "cache";
    o.hmm = false;
    return o;
  }
  std::shared_ptr<const Segmenter> load() const { return Segmenter::load(options()); }

  ScratchDir dir_;
  std::filesystem::path jieba_ = testing::make_jieba_dir(dir_, kDict);
};

void overwrite(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST_F(SegmenterCache, BuildsThenHits) {
  const auto first = load();
  EXPECT_FALSE(first->info().cache_hit);
  ASSERT_TRUE(std::filesystem::exists(first->info().cache_file));
  EXPECT_EQ(first->info().total, 8);
  const auto second = load();
  EXPECT_TRUE(second->info().cache_hit);
  EXPECT_EQ(second->info().cache_file, first->info().cache_file);
  EXPECT_EQ(testing::cut_joined(*second, "甲乙丙丁戊己"),
            testing::cut_joined(*first, "甲乙丙丁戊己"));
  EXPECT_EQ(testing::cut_joined(*second, "甲乙丙丁戊己"), "甲乙 丙 丁戊己");
}

TEST_F(SegmenterCache, DamagedCachesAreRebuilt) {
  const auto path = load()->info().cache_file;
  const std::string good = read_file(path);
  const std::string expected = testing::cut_pos_joined(*load(), "甲乙丙丁戊己 abc");

  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x20;
  const std::vector<std::string> damaged = {
      flipped,                          // one bit in the middle: the checksum catches it
      good.substr(0, good.size() / 3),  // truncated
      good.substr(0, 40),               // not even a header
      "",                               // empty
      std::string(good.size(), 'x'),    // garbage of the right size
  };
  for (std::size_t i = 0; i < damaged.size(); ++i) {
    overwrite(path, damaged[i]);
    const auto seg = load();
    EXPECT_FALSE(seg->info().cache_hit) << "case " << i;
    EXPECT_EQ(testing::cut_pos_joined(*seg, "甲乙丙丁戊己 abc"), expected) << "case " << i;
    EXPECT_EQ(read_file(path), good) << "case " << i << ": the cache was not rewritten";
  }
}

TEST_F(SegmenterCache, EditedSourcesInvalidateTheCache) {
  EXPECT_EQ(testing::cut_joined(*load(), "甲乙丙丁"), "甲乙 丙 丁");
  // A new word: size and mtime of dict.txt change.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  overwrite(jieba_ / "dict.txt", std::string(kDict) + "丙丁 9 n\n");
  const auto seg = load();
  EXPECT_FALSE(seg->info().cache_hit);
  EXPECT_EQ(seg->info().total, 17);
  EXPECT_EQ(testing::cut_joined(*seg, "甲乙丙丁"), "甲乙 丙丁");
  EXPECT_TRUE(load()->info().cache_hit);
}

TEST_F(SegmenterCache, UserDictionariesAreStackedAndTracked) {
  SegmenterOptions o = options();
  const auto user = dir_.write("user.txt", "丙丁 20 nr\n");
  o.user_dicts = {user};
  const auto seg = Segmenter::load(o);
  EXPECT_FALSE(seg->info().cache_hit);
  EXPECT_EQ(testing::cut_pos_joined(*seg, "甲乙丙丁"), "甲乙/n 丙丁/nr");
  EXPECT_TRUE(Segmenter::load(o)->info().cache_hit);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  overwrite(user, "丙丁 20 nr\n乙丙丁 500 nz\n");
  const auto again = Segmenter::load(o);
  EXPECT_FALSE(again->info().cache_hit);
  EXPECT_EQ(testing::cut_pos_joined(*again, "甲乙丙丁"), "甲/n 乙丙丁/nz");
  // Without the user dictionary the plain image (its own cache file) still applies.
  EXPECT_EQ(testing::cut_joined(*load(), "甲乙丙丁"), "甲乙 丙 丁");
}

TEST_F(SegmenterCache, UnwritableCacheFolderOnlyCostsSpeed) {
  SegmenterOptions o = options();
  o.cache_dir = dir_.write("not-a-dir", "x") / "cache";
  const auto seg = Segmenter::load(o);
  EXPECT_FALSE(seg->info().cache_hit);
  EXPECT_EQ(testing::cut_joined(*seg, "甲乙丙"), "甲乙 丙");
}

TEST_F(SegmenterCache, MissingFilesAreReportedByName) {
  SegmenterOptions o = options();
  o.jieba_dir = dir_.path() / "nowhere";
  try {
    Segmenter::load(o);
    ADD_FAILURE() << "loaded without a dictionary";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("nowhere/dict.txt"), std::string::npos) << e.what();
  }
  o = options();
  o.user_dicts = {dir_.path() / "missing-user.txt"};
  EXPECT_THROW(Segmenter::load(o), Error);
}

TEST_F(SegmenterCache, MalformedUserDictionaryNamesTheLine) {
  SegmenterOptions o = options();
  o.user_dicts = {dir_.write("bad.txt", "好词 3 n\n坏\t词\n")};
  try {
    Segmenter::load(o);
    ADD_FAILURE() << "accepted a tab-separated line";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParse);
    EXPECT_NE(std::string(e.what()).find("bad.txt:2:"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zhsenti::text
