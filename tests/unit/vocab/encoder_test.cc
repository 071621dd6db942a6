#include "zhsenti/vocab/encoder.h"

#include <gtest/gtest.h>

#include "zhsenti/core/error.h"

namespace zhsenti::vocab {
namespace {

Vocab small_vocab() {
  TokenCounter c;
  // ids: a=2 b=3 c=4 d=5 e=6 (counts descending)
  c.add("a", 9);
  c.add("b", 8);
  c.add("c", 7);
  c.add("d", 6);
  c.add("e", 5);
  return Vocab::build(c);
}

using Ids = std::vector<std::int32_t>;

TEST(Encoder, MapsTokensAndUnknowns) {
  const Vocab v = small_vocab();
  const Encoder enc(v);
  const std::vector<std::string> tokens = {"a", "zz", "e", "b"};
  EXPECT_EQ(enc.encode(tokens), (Ids{2, kUnkId, 6, 3}));
  const std::vector<std::string_view> views = {"c", "d"};
  EXPECT_EQ(enc.encode(views), (Ids{4, 5}));
}

TEST(Encoder, EmptyBecomesSinglePad) {
  const Vocab v = small_vocab();
  const Encoder enc(v, {.max_len = 3});
  EXPECT_EQ(enc.encode(std::vector<std::string>{}), (Ids{kPadId}));
  std::vector<std::int32_t> out = {7};
  EXPECT_EQ(enc.encode_into(std::vector<std::string>{}, out), 1u);
  EXPECT_EQ(out, (Ids{7, kPadId}));
}

TEST(Encoder, TruncationModes) {
  const Vocab v = small_vocab();
  const std::vector<std::string> tokens = {"a", "b", "c", "d", "e"};
  EXPECT_EQ(Encoder(v, {.max_len = 3}).encode(tokens), (Ids{2, 3, 4}));
  EXPECT_EQ(Encoder(v, {.max_len = 3, .truncation = Truncation::kTail}).encode(tokens), (Ids{4, 5, 6}));
  EXPECT_EQ(Encoder(v, {.max_len = 3, .truncation = Truncation::kHeadTail}).encode(tokens), (Ids{2, 3, 6}));
  EXPECT_EQ(Encoder(v, {.max_len = 4, .truncation = Truncation::kHeadTail}).encode(tokens), (Ids{2, 3, 5, 6}));
  EXPECT_EQ(Encoder(v, {.max_len = 1, .truncation = Truncation::kHeadTail}).encode(tokens), (Ids{2}));
  EXPECT_EQ(Encoder(v, {.max_len = 5, .truncation = Truncation::kTail}).encode(tokens), (Ids{2, 3, 4, 5, 6}));
  EXPECT_EQ(Encoder(v, {.max_len = 0}).encode(tokens).size(), 5u);
}

Truncation parse(std::string_view name) {
  return parse_setting<Truncation>(name, SettingNames::kJsonKeys, "truncation");
}

TEST(Encoder, ParsesTruncationNames) {
  EXPECT_EQ(parse("head"), Truncation::kHead);
  EXPECT_EQ(parse("tail"), Truncation::kTail);
  EXPECT_EQ(parse("head_tail"), Truncation::kHeadTail);
  for (auto t : {Truncation::kHead, Truncation::kTail, Truncation::kHeadTail}) {
    EXPECT_EQ(parse(name_of(t)), t);
  }
  try {
    parse("middle");
    ADD_FAILURE() << "middle accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "truncation 'middle' must be one of head, tail, head_tail");
  }
}

TEST(Encoder, CorpusStoresSequencesBackToBackAndCountsTruncation) {
  const Vocab v = small_vocab();
  const Encoder enc(v, {.max_len = 2});
  EncodedCorpus corpus;
  enc.append(std::vector<std::string>{"a", "b", "c"}, corpus);
  enc.append(std::vector<std::string>{}, corpus);
  enc.append(std::vector<std::string_view>{"e"}, corpus);
  ASSERT_EQ(corpus.size(), 3u);
  EXPECT_EQ(corpus.ids, (Ids{2, 3, kPadId, 6}));
  EXPECT_EQ(corpus.length(0), 2);
  EXPECT_EQ(corpus.length(1), 1);
  EXPECT_EQ(corpus.length(2), 1);
  EXPECT_EQ(Ids(corpus.sequence(2).begin(), corpus.sequence(2).end()), (Ids{6}));
  EXPECT_EQ(corpus.num_truncated, 1u);
  corpus.push_back(Ids{4, 4});
  EXPECT_EQ(corpus.length(3), 2);
  EXPECT_THROW(corpus.push_back(Ids{}), Error);
}

TEST(OovStats, CountsUnknownOverNonPad) {
  const Ids ids = {2, kUnkId, kPadId, kUnkId, 5, kPadId};
  const OovStats s = oov_stats(ids);
  EXPECT_EQ(s.tokens, 4);
  EXPECT_EQ(s.unknown, 2);
  EXPECT_DOUBLE_EQ(s.rate(), 0.5);
  OovStats t;
  EXPECT_EQ(t.rate(), 0.0);
  t.add(Ids{kPadId});
  EXPECT_EQ(t.rate(), 0.0) << "an empty text is not an OOV token";
  t.merge(s);
  EXPECT_DOUBLE_EQ(t.rate(), 0.5);
}

}  // namespace
}  // namespace zhsenti::vocab
