// Occlusion attributions are real predictions: each weight must equal the drop in the
// label's probability when that character is removed from the text.

#include "zhsenti/predict/explain.h"

#include <gtest/gtest.h>

#include "tiny_model.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::predict {
namespace {

class ExplainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir("explain");
    testing::write_tiny_model(dir_ / "m", 3);
    p_ = Predictor::load(dir_ / "m");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<float> probs(const std::string& text) const {
    std::vector<float> out(static_cast<std::size_t>(p_->num_classes()));
    p_->predict_proba(std::vector<std::string>{text}, out);
    return out;
  }

  std::filesystem::path dir_;
  std::shared_ptr<const Predictor> p_;
};

TEST_F(ExplainTest, WeightIsTheProbabilityDropWhenTheTokenIsLeftOut) {
  const std::string text = "服务很好不错";
  nn::Workspace ws(1);
  for (int label = 0; label < 2; ++label) {
    const auto attr = occlusion_attributions(*p_, text, label, ws);
    const std::u32string cps = utf8::decode(text);
    ASSERT_EQ(attr.size(), cps.size());
    const float full = probs(text)[static_cast<std::size_t>(label)];
    for (std::size_t i = 0; i < cps.size(); ++i) {
      std::u32string rest = cps;
      rest.erase(i, 1);
      EXPECT_EQ(attr[i].token, utf8::encode(cps.substr(i, 1)));
      EXPECT_NEAR(attr[i].weight, full - probs(utf8::encode(rest))[static_cast<std::size_t>(label)],
                  1e-5)
          << i;
    }
  }
}

// Only the tokens the model reads are left out (the cost follows max_len, not the text), yet
// every weight is still the real drop: the next unread token moves in, and a token the model
// never reads has weight 0.
TEST_F(ExplainTest, TruncatedTextsExplainWhatTheModelReads) {
  const std::string text = "服务很好不错酒店很差失望一般棒坏";
  const std::u32string cps = utf8::decode(text);
  for (const auto truncation :
       {vocab::Truncation::kHead, vocab::Truncation::kTail, vocab::Truncation::kHeadTail}) {
    const auto dir = dir_ / ("t" + std::to_string(static_cast<int>(truncation)));
    testing::write_tiny_model(dir, 5, "好坏很差棒一般服务酒店不错失望", {"neg", "pos"},
                              {.max_len = 5, .truncation = truncation});
    const auto p = Predictor::load(dir);
    const auto predict = [&](const std::string& t) {
      std::vector<float> out(2);
      p->predict_proba(std::vector<std::string>{t}, out);
      return out[1];
    };
    nn::Workspace ws(1);
    const Occlusion o = occlusion_variants(*p, text);
    EXPECT_EQ(o.read.size(), 5u);
    EXPECT_EQ(o.variants.size(), 6u) << "the text and one variant per token read";
    const auto attr = occlusion_attributions(*p, text, 1, ws);
    ASSERT_EQ(attr.size(), cps.size());
    int nonzero = 0;
    for (std::size_t i = 0; i < cps.size(); ++i) {
      std::u32string rest = cps;
      rest.erase(i, 1);
      EXPECT_NEAR(attr[i].weight, predict(text) - predict(utf8::encode(rest)), 1e-6)
          << "truncation " << static_cast<int>(truncation) << " token " << i;
      nonzero += attr[i].weight != 0.0f;
    }
    EXPECT_GT(nonzero, 0);
    EXPECT_LE(nonzero, 5);
  }
}

TEST_F(ExplainTest, AttributionsOfTwoLabelsAreOpposite) {
  nn::Workspace ws(1);
  const auto a = occlusion_attributions(*p_, "酒店很差", 0, ws);
  const auto b = occlusion_attributions(*p_, "酒店很差", 1, ws);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i].weight, -b[i].weight, 1e-5);
}

TEST_F(ExplainTest, EmptyTextAndBadLabel) {
  nn::Workspace ws(1);
  EXPECT_TRUE(occlusion_attributions(*p_, "", 0, ws).empty());
  EXPECT_THROW(occlusion_attributions(*p_, "好", 2, ws), Error);
}

TEST_F(ExplainTest, CallerWorkspaceGivesTheSameProbabilities) {
  const std::vector<std::string> texts = {"好", "很差很差", "一般"};
  vocab::EncodedCorpus corpus;
  p_->encode_all(texts, corpus);
  std::vector<float> a(6), b(6);
  p_->predict_encoded(corpus, a);
  nn::Workspace ws(1);
  p_->predict_encoded(corpus, ws, b);
  EXPECT_EQ(a, b);
  EXPECT_FALSE(p_->reference().has_value());
}

}  // namespace
}  // namespace zhsenti::predict
