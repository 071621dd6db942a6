#include "zhsenti/embed/word2vec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "w2v_kernels.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/rng.h"
#include "zhsenti/embed/neighbors.h"
#include "zhsenti/nn/kernels/cpu_isa.h"

namespace zhsenti::embed {
namespace {

// Two topics whose words never share a sentence: a0..a5 and b0..b5, plus a filler word in
// every sentence.
Corpus topic_corpus(int sentences, std::int64_t min_count = 1) {
  CorpusBuilder builder;
  Rng rng(11);
  for (int s = 0; s < sentences; ++s) {
    const char topic = s % 2 == 0 ? 'a' : 'b';
    std::vector<std::string> tokens;
    for (int i = 0; i < 8; ++i) {
      tokens.push_back(std::string(1, topic) + std::to_string(rng.uniform_int(6)));
      if (i == 3) tokens.push_back("的");
    }
    builder.add_sentence(std::span<const std::string>(tokens));
  }
  return builder.build(min_count);
}

double mean_cosine(const WordVectors& v, char x, char y) {
  const auto index = word_index(v);
  double sum = 0;
  int n = 0;
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) {
      if (x == y && i == j) continue;
      sum += cosine(v.row(index.at(std::string(1, x) + std::to_string(i))),
                    v.row(index.at(std::string(1, y) + std::to_string(j))));
      ++n;
    }
  }
  return sum / n;
}

TEST(CorpusBuilder, VocabularyByCountThenBytesAndRareWordsDropped) {
  CorpusBuilder b;
  const std::vector<std::string> s1 = {"b", "a", "rare", "b"};
  const std::vector<std::string> s2 = {"a", "c", "c"};
  const std::vector<std::string_view> s3 = {"rare2"};
  b.add_sentence(std::span<const std::string>(s1));
  b.add_sentence(std::span<const std::string>(s2));
  b.add_sentence(std::span<const std::string_view>(s3));
  const Corpus c = b.build(2);
  EXPECT_EQ(c.words, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(c.counts, (std::vector<std::int64_t>{2, 2, 2}));
  EXPECT_EQ(c.raw_words, 8);
  ASSERT_EQ(c.num_sentences(), 2u) << "a sentence left empty is dropped";
  EXPECT_EQ(std::vector<std::int32_t>(c.sentence(0).begin(), c.sentence(0).end()),
            (std::vector<std::int32_t>{1, 0, 1}));
  EXPECT_EQ(std::vector<std::int32_t>(c.sentence(1).begin(), c.sentence(1).end()),
            (std::vector<std::int32_t>{0, 2, 2}));
  EXPECT_THROW(b.build(0), Error);
}

TEST(CorpusBuilder, BuildOverAVocabularyChosenElsewhereUsesItsIds) {
  // What an MPI rank does with the vocabulary agreed over all ranks (build_agreed): words
  // this rank never saw are in it, words outside it are dropped from the sentences.
  CorpusBuilder b;
  const std::vector<std::string> s1 = {"x", "a", "b"};
  const std::vector<std::string> s2 = {"x"};
  b.add_sentence(std::span<const std::string>(s1));
  b.add_sentence(std::span<const std::string>(s2));
  const Corpus c = b.build_over({"b", "z", "a"}, {9, 7, 5}, 100);
  EXPECT_EQ(c.words, (std::vector<std::string>{"b", "z", "a"}));
  EXPECT_EQ(c.counts, (std::vector<std::int64_t>{9, 7, 5}));
  EXPECT_EQ(c.raw_words, 100);
  ASSERT_EQ(c.num_sentences(), 1u);
  EXPECT_EQ(std::vector<std::int32_t>(c.sentence(0).begin(), c.sentence(0).end()),
            (std::vector<std::int32_t>{2, 0}));
  // In a world of one the agreed corpus is build()'s.
  const Corpus one = build_agreed(b, 1), local = b.build(1);
  EXPECT_EQ(one.words, local.words);
  EXPECT_EQ(one.ids, local.ids);
  EXPECT_EQ(one.raw_words, local.raw_words);
}

TEST(Word2Vec, OneThreadIsReproducibleBySeed) {
  const Corpus corpus = topic_corpus(200);
  Word2VecOptions o;
  o.dim = 12;
  o.epochs = 2;
  o.threads = 1;
  o.seed = 3;
  const WordVectors a = train_word2vec(corpus, o);
  const WordVectors b = train_word2vec(corpus, o);
  EXPECT_EQ(a.values, b.values);
  o.seed = 4;
  EXPECT_NE(train_word2vec(corpus, o).values, a.values);
}

class Word2VecModels : public ::testing::TestWithParam<const char*> {};

TEST_P(Word2VecModels, WordsOfATopicEndUpCloser) {
  const Corpus corpus = topic_corpus(600);
  Word2VecOptions o;
  o.model = GetParam();
  o.dim = 16;
  o.window = 3;
  o.epochs = 5;
  o.threads = 2;
  o.sample = 0;
  Word2VecStats stats;
  const WordVectors v = train_word2vec(corpus, o, false, &stats);
  EXPECT_EQ(v.size(), 13u);
  EXPECT_EQ(stats.raw_words, 600 * 9 * 5);
  EXPECT_EQ(stats.trained_words, stats.raw_words) << "sample 0 keeps every word";
  const double within = (mean_cosine(v, 'a', 'a') + mean_cosine(v, 'b', 'b')) / 2;
  const double across = mean_cosine(v, 'a', 'b');
  EXPECT_GT(within, across + 0.05) << "within " << within << ", across " << across;
}

INSTANTIATE_TEST_SUITE_P(Both, Word2VecModels, ::testing::Values("skipgram", "cbow"));

TEST(Word2Vec, SubsamplingDropsFrequentWords) {
  const Corpus corpus = topic_corpus(300);
  Word2VecOptions o;
  o.dim = 8;
  o.epochs = 1;
  o.threads = 1;
  o.sample = 1e-2;  // every word here is frequent (f >= 1/27)
  Word2VecStats stats;
  train_word2vec(corpus, o, false, &stats);
  EXPECT_LT(stats.trained_words, stats.raw_words * 9 / 10);
  EXPECT_GT(stats.trained_words, 0);
}

TEST(Word2Vec, RejectsBadOptionsAndEmptyVocabulary) {
  const Corpus corpus = topic_corpus(10);
  Word2VecOptions o;
  o.model = "glove";
  EXPECT_THROW(train_word2vec(corpus, o), Error);
  o = {};
  o.window = 0;
  EXPECT_THROW(train_word2vec(corpus, o), Error);
  EXPECT_THROW(train_word2vec(topic_corpus(10, 1000), Word2VecOptions{}), Error);
}

// Every instruction set's kernel computes the same update (up to FMA rounding).
TEST(Word2VecKernels, InstructionSetsAgree) {
  using namespace detail;
  const std::vector<std::int64_t> counts = {50, 30, 20, 10, 5, 3, 2, 1};
  const UnigramTable table(counts);
  const std::vector<std::uint64_t> keep(counts.size(), std::uint64_t{1} << 32);
  const std::vector<std::int32_t> sentence = {0, 1, 2, 3, 4, 5, 6, 7, 0, 2, 4, 6};
  for (bool cbow : {false, true}) {
    std::vector<std::pair<TrainSentenceFn, nn::Isa>> fns = {
        {generic::train_sentence, nn::Isa::kGeneric},
        {avx2::train_sentence, nn::Isa::kAvx2},
        {avx512::train_sentence, nn::Isa::kAvx512}};
    std::vector<float> reference;
    for (const auto& [fn, isa] : fns) {
      if (!nn::isa_supported(isa)) continue;
      constexpr int kDim = 37;  // not a multiple of any vector width: tails are exercised
      std::vector<float> syn0(counts.size() * kDim), syn1(counts.size() * kDim, 0.01f);
      Rng init(1);
      for (auto& x : syn0) x = init.uniform_float(-0.5f, 0.5f);
      W2vModel m;
      m.syn0 = syn0.data();
      m.syn1 = syn1.data();
      m.dim = kDim;
      m.window = 3;
      m.negative = 4;
      m.cbow = cbow;
      m.unigram = &table;
      m.keep = keep.data();
      Rng rng(7);
      W2vScratch scratch;
      EXPECT_EQ(fn(m, sentence, 0.05f, rng, scratch), sentence.size());
      syn0.insert(syn0.end(), syn1.begin(), syn1.end());
      if (reference.empty()) {
        reference = syn0;
        continue;
      }
      ASSERT_EQ(syn0.size(), reference.size());
      for (std::size_t i = 0; i < syn0.size(); ++i) {
        ASSERT_NEAR(syn0[i], reference[i], 1e-5)
            << nn::isa_name(isa) << " cbow " << cbow << " at " << i;
      }
    }
  }
}

}  // namespace
}  // namespace zhsenti::embed
