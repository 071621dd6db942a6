// The API without sockets: each endpoint's JSON, errors, feedback, reload and batching.

#include "zhsenti/serve/service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "tiny_model.h"

namespace zhsenti::serve {
namespace {

using nlohmann::json;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir("service");
    testing::write_tiny_model(dir_ / "m1", 1);
    testing::write_tiny_model(dir_ / "m2", 2);
    std::ofstream(dir_ / "token") << "s3cret\n";
    options_.model_dir = dir_ / "m1";
    options_.admin_token_file = dir_ / "token";
    options_.feedback_file = dir_ / "feedback.jsonl";
    options_.max_texts = 4;
    options_.max_chars = 20;
    options_.max_wait = std::chrono::microseconds(2000);
    options_.batch_workers = 2;
    options_.drift_window = 20;
    options_.drift_min_samples = 10;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  ServeOptions options_;
};

TEST_F(ServiceTest, PredictOneAndManyWithModelVersion) {
  Service s(options_);
  Reply r = s.predict(R"({"text": "服务很好"})", false);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_TRUE(j["label"] == "neg" || j["label"] == "pos");
  EXPECT_NEAR(j["probabilities"]["neg"].get<double>() + j["probabilities"]["pos"].get<double>(),
              1.0, 1e-5);
  EXPECT_EQ(j["model"]["name"], "m1");
  EXPECT_EQ(j["model"]["version"].get<std::string>().size(), 12u);
  EXPECT_FALSE(j["id"].get<std::string>().empty());
  EXPECT_FALSE(j.contains("attributions"));

  r = s.predict(R"({"texts": ["服务很好", "酒店很差"]})", true);
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  ASSERT_EQ(j["predictions"].size(), 2u);
  EXPECT_EQ(j["predictions"][1]["attributions"].size(), 4u);
  EXPECT_EQ(j["predictions"][1]["attributions"][0]["token"], "酒");
  EXPECT_EQ(j["model"]["name"], "m1");
}

TEST_F(ServiceTest, ClientErrorsAreJson) {
  Service s(options_);
  for (const auto& [body, status] :
       std::vector<std::pair<std::string, int>>{{"nope", 400},
                                                {"{}", 422},
                                                {R"({"texts": ["a","b","c","d","e"]})", 413},
                                                {R"({"text": ""})", 422}}) {
    const Reply r = s.predict(body, false);
    EXPECT_EQ(r.status, status) << body;
    EXPECT_TRUE(json::parse(r.body)["error"].contains("code")) << r.body;
  }
}

TEST_F(ServiceTest, FeedbackByTextAndByIdIsStoredAndCounted) {
  Service s(options_);
  const json p = json::parse(s.predict(R"({"text": "服务很好"})", false).body);
  const std::string predicted = p["label"];
  Reply r = s.feedback(json{{"prediction_id", p["id"]}, {"label", predicted}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json::parse(r.body)["correct"].get<bool>());
  r = s.feedback(json{{"text", "服务很好"}, {"label", predicted == "pos" ? "neg" : "pos"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(json::parse(r.body)["correct"].get<bool>());
  EXPECT_DOUBLE_EQ(json::parse(r.body)["live_accuracy"].get<double>(), 0.5);
  EXPECT_EQ(s.feedback(R"({"text": "好", "label": "meh"})").status, 422);
  EXPECT_EQ(s.feedback(R"({"prediction_id": "zzz", "label": "pos"})").status, 404);

  std::ifstream in(dir_ / "feedback.jsonl");
  std::string line;
  std::vector<json> lines;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["text"], "服务很好");
  EXPECT_EQ(lines[0]["prediction_id"], p["id"]);
  EXPECT_EQ(lines[1]["label"], predicted == "pos" ? "neg" : "pos");
  EXPECT_NE(s.metrics().body.find("zhsenti_live_accuracy 0.5\n"), std::string::npos);
}

TEST_F(ServiceTest, ReloadNeedsTokenSwapsAndKeepsOldModelOnFailure) {
  Service s(options_);
  const std::string v1 = json::parse(s.model_info().body)["version"];
  EXPECT_EQ(s.reload("", "").status, 401);
  EXPECT_EQ(s.reload("Bearer wrong", "").status, 401);
  Reply r = s.reload("Bearer s3cret", json{{"model", (dir_ / "m2").string()}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string v2 = json::parse(s.model_info().body)["version"];
  EXPECT_NE(v1, v2);
  EXPECT_EQ(json::parse(s.predict(R"({"text": "好"})", false).body)["model"]["version"], v2);

  std::filesystem::create_directories(dir_ / "bad");
  std::ofstream(dir_ / "bad" / "config.json") << "{not json";
  r = s.reload("Bearer s3cret", json{{"model", (dir_ / "bad").string()}}.dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "reload_failed");
  EXPECT_EQ(json::parse(s.model_info().body)["version"], v2);
  const std::string m = s.metrics().body;
  EXPECT_NE(m.find("zhsenti_model_reloads_total{result=\"success\"} 1\n"), std::string::npos) << m;
  EXPECT_NE(m.find("zhsenti_model_reloads_total{result=\"failure\"} 1\n"), std::string::npos) << m;

  options_.admin_token_file.clear();
  Service no_admin(options_);
  EXPECT_EQ(no_admin.reload("Bearer s3cret", "").status, 404);
}

// Two single-threaded workers, and the default: one worker whose calls use every core.
TEST_F(ServiceTest, ConcurrentBatchedRequestsGetTheirOwnResults) {
  for (const int workers : {2, 0}) {
    options_.batch_workers = workers;
    Service s(options_);
    const std::vector<std::string> texts = {"好", "很差", "服务不错", "酒店一般", "失望", "棒"};
    std::vector<json> expected;
    for (const auto& t : texts)
      expected.push_back(json::parse(s.predict(json{{"text", t}}.dump(), false).body));
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 30; ++i) {
          const std::size_t k = static_cast<std::size_t>(t + i) % texts.size();
          const json j = json::parse(s.predict(json{{"text", texts[k]}}.dump(), false).body);
          const double a = j["probabilities"]["pos"], b = expected[k]["probabilities"]["pos"];
          if (std::abs(a - b) > 1e-5) ++mismatches;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0) << workers << " workers";
    const std::string m = s.metrics().body;
    EXPECT_NE(m.find("zhsenti_batch_size_count"), std::string::npos);
    EXPECT_NE(m.find("zhsenti_predictions_total{label="), std::string::npos);
  }
}

TEST_F(ServiceTest, ALoneRequestDoesNotWaitForABatch) {
  options_.max_wait = std::chrono::microseconds(2'000'000);
  Service s(options_);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(s.predict(R"({"text": "好"})", false).status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1000))
      << "no other request was on its way, so the batch ran at once";
}

TEST_F(ServiceTest, InfoEndpointsAndDraining) {
  Service s(options_);
  EXPECT_EQ(s.healthz().status, 200);
  EXPECT_EQ(s.readyz().status, 200);
  const json model = json::parse(s.model_info().body);
  EXPECT_EQ(model["labels"], json({"neg", "pos"}));
  EXPECT_EQ(model["architecture"]["cell"], "gru");
  const json mon = json::parse(s.monitor().body);
  EXPECT_EQ(mon["drift"]["status"], "unavailable");  // the tiny model has no reference.json
  const std::string m = s.metrics().body;
  for (const char* family :
       {"zhsenti_http_request_duration_seconds", "zhsenti_model_info{name=\"m1\"",
        "zhsenti_drift_psi{feature=\"label_mix\"} NaN", "zhsenti_oov_rate", "zhsenti_ready 1"}) {
    EXPECT_NE(m.find(family), std::string::npos) << family;
  }
  EXPECT_NE(s.index_page().body.find("<html"), std::string::npos);
  s.begin_draining();
  EXPECT_EQ(s.readyz().status, 503);
  EXPECT_EQ(s.predict(R"({"text": "好"})", false).status, 200)
      << "in-flight and late requests are still served";
}

}  // namespace
}  // namespace zhsenti::serve
