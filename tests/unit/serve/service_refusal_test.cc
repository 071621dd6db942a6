// What the service refuses so that no wrong data is stored or served: feedback pairing a
// prediction with another text, and a reload to a model with non-finite weights.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "bad_model.h"
#include "tiny_model.h"
#include "zhsenti/serve/service.h"

namespace zhsenti::serve {
namespace {

using nlohmann::json;

class ServiceRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir("service_refusal");
    testing::write_tiny_model(dir_ / "m1", 1);
    std::ofstream(dir_ / "token") << "s3cret\n";
    options_.model_dir = dir_ / "m1";
    options_.admin_token_file = dir_ / "token";
    options_.feedback_file = dir_ / "feedback.jsonl";
    options_.batch_workers = 1;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::size_t feedback_lines() const {
    std::ifstream in(dir_ / "feedback.jsonl");
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }

  std::filesystem::path dir_;
  ServeOptions options_;
};

TEST_F(ServiceRefusalTest, FeedbackWithAPredictionIdAndAnotherTextIsRefused) {
  Service s(options_);
  const json p = json::parse(s.predict(R"({"text": "服务很好"})", false).body);
  Reply r =
      s.feedback(json{{"prediction_id", p["id"]}, {"text", "酒店很差"}, {"label", "neg"}}.dump());
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "prediction_text_mismatch") << r.body;
  EXPECT_EQ(feedback_lines(), 0u) << "nothing stored";

  r = s.feedback(json{{"prediction_id", p["id"]}, {"text", "服务很好"}, {"label", "neg"}}.dump());
  ASSERT_EQ(r.status, 200) << "the text it was made for is fine: " << r.body;
  EXPECT_EQ(feedback_lines(), 1u);
}

TEST_F(ServiceRefusalTest, ReloadToANonFiniteModelFailsAndTheOldModelKeepsServing) {
  Service s(options_);
  const std::string v1 = json::parse(s.model_info().body)["version"];
  testing::write_tiny_model(dir_ / "nan", 2);
  testing::poison_tensor(dir_ / "nan", "head.weight", std::nanf(""));
  const Reply r = s.reload("Bearer s3cret", json{{"model", (dir_ / "nan").string()}}.dump());
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "reload_failed");
  EXPECT_NE(r.body.find("head.weight"), std::string::npos) << r.body;
  EXPECT_EQ(json::parse(s.model_info().body)["version"], v1);
  const json p = json::parse(s.predict(R"({"text": "好"})", false).body);
  EXPECT_FALSE(std::isnan(p["probabilities"]["pos"].get<double>())) << p;
}

}  // namespace
}  // namespace zhsenti::serve
