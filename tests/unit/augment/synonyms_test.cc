// Synonyms from word vectors: nearest substitutable words above a threshold, the same from a
// file, in memory and on any number of threads.

#include "zhsenti/augment/synonyms.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "augment_test_util.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/embed/vector_io.h"

namespace zhsenti::augment {
namespace {

using testing::sample_vectors;
using testing::toks;

std::vector<std::string> words_of(std::span<const Synonym> list) {
  std::vector<std::string> out;
  for (const auto& s : list) out.push_back(s.word);
  return out;
}

TEST(SynonymsTest, NearestSubstitutableWordsAboveTheThreshold) {
  const ProtectionPolicy policy;
  const auto table = SynonymTable::build(sample_vectors(), toks("酒店 房间 服务 零 缺席 酒店"),
                                         policy, SynonymOptions{2, 0.9f, 0});
  // 很, 不好, 但是 and ， are as close as the real synonyms but may never be substituted.
  EXPECT_EQ(words_of(table.find("酒店")), (std::vector<std::string>{"宾馆", "旅馆"}));
  EXPECT_EQ(words_of(table.find("房间")), (std::vector<std::string>{"屋子", "客房"}));
  const auto hotel = table.find("酒店");
  EXPECT_GT(hotel[0].similarity, hotel[1].similarity);
  EXPECT_NEAR(hotel[0].similarity, 0.95 / std::sqrt(0.95 * 0.95 + 0.01), 1e-6);
  EXPECT_FALSE(table.has("服务"));  // nothing above 0.9
  EXPECT_FALSE(table.has("零"));    // zero vector
  EXPECT_FALSE(table.has("缺席"));  // no vector
  const auto& s = table.stats();
  EXPECT_EQ(s.vector_rows, 15u);
  EXPECT_EQ(s.candidates, 10u);  // 15 rows minus 很 不好 但是 ， and the zero vector 零
  EXPECT_EQ(s.queries, 5u);
  EXPECT_EQ(s.queries_found, 3u);
  EXPECT_EQ(s.with_synonyms, 2u);
  EXPECT_EQ(s.synonyms, 4u);
  EXPECT_EQ(table.entries().size(), 2u);
  EXPECT_EQ(table.entries()[0].first, "房间");
}

TEST(SynonymsTest, TopKAndMaxVocab) {
  const ProtectionPolicy policy;
  const auto one = SynonymTable::build(sample_vectors(), toks("酒店"), policy, {1, 0.0f, 0});
  EXPECT_EQ(words_of(one.find("酒店")), (std::vector<std::string>{"宾馆"}));
  // Only the first 2 rows are candidates; 房间 (row 7) still finds its synonyms among them.
  const auto head = SynonymTable::build(sample_vectors(), toks("酒店 房间"), policy, {5, -1.0f, 2});
  EXPECT_EQ(words_of(head.find("酒店")), (std::vector<std::string>{"宾馆"}));
  EXPECT_EQ(head.find("房间").size(), 2u);
  EXPECT_EQ(head.stats().candidates, 2u);
}

TEST(SynonymsTest, FileAndThreadsGiveTheSameTable) {
  const ProtectionPolicy policy;
  const auto path = (std::filesystem::temp_directory_path() /
                     ("zhsenti_syn_" + std::to_string(::getpid()) + ".txt"))
                        .string();
  embed::save_vectors(path, sample_vectors(), embed::VectorFormat::kWord2VecText);
  const auto queries = toks("酒店 宾馆 干净 房间 卫生 服务");
  const SynonymOptions o{3, 0.3f, 0};
  const auto memory = SynonymTable::build(sample_vectors(), queries, policy, o);
  ThreadPool pool(2);
  const auto file = SynonymTable::from_file(path, queries, policy, o, &pool);
  std::filesystem::remove(path);
  const auto a = memory.entries(), b = file.entries();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_EQ(words_of(a[i].second), words_of(b[i].second));
  }
  EXPECT_EQ(file.stats().vector_rows, 15u);
  EXPECT_EQ(file.stats().candidates, memory.stats().candidates);
}

TEST(SynonymsTest, BadInputIsAnError) {
  const ProtectionPolicy policy;
  EXPECT_THROW(SynonymTable::from_file("/nonexistent/vectors.bin", toks("酒店"), policy, {}),
               Error);
  EXPECT_THROW(SynonymTable::build(sample_vectors(), toks("酒店"), policy, {0, 0.5f, 0}), Error);
  try {
    SynonymOptions{5, 1.5f, 0}.validate();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("1.5"), std::string::npos) << e.what();
  }
  // No queries, or no candidates: an empty table, not an error.
  EXPECT_EQ(SynonymTable::build(sample_vectors(), {}, policy, {}).stats().with_synonyms, 0u);
  embed::WordVectors none;
  none.dim = 4;
  EXPECT_FALSE(SynonymTable::build(none, toks("酒店"), policy, {}).has("酒店"));
}

}  // namespace
}  // namespace zhsenti::augment
