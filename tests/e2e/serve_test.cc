// zhsenti serve end to end: a real server process on a free loopback port, every endpoint,
// every client error and limit, the feedback file, and the logs.

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "serve_fixture.h"
#include "serve_harness.h"

namespace zhsenti::testing {
namespace {

using nlohmann::json;

json body_json(const HttpResponse& r) { return json::parse(r.body); }

void expect_error(const HttpResponse& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  const json j = json::parse(r.body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.body;
  EXPECT_EQ(j["error"]["code"], code) << r.body;
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  EXPECT_EQ(r.headers.at("content-type").substr(0, 16), "application/json");
}

TEST_F(ServeE2E, EveryEndpointAnswers) {
  const std::string feedback = dir("feedback.jsonl");
  ServerProcess server(
      {"--model", model_a(), "--admin-token-file", token_file(), "--feedback-file", feedback});
  const int port = server.port();

  EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);
  EXPECT_EQ(http_request(port, "GET", "/readyz").status, 200);

  const json model = body_json(http_request(port, "GET", "/v1/model"));
  EXPECT_EQ(model["name"], "model_a");
  EXPECT_EQ(model["labels"], json({"0", "1"}));
  EXPECT_GE(model["metrics"]["accuracy"].get<double>(), 0.8);

  auto r = http_request(port, "POST", "/v1/predict", R"({"text": "房间非常好，服务很满意"})");
  ASSERT_EQ(r.status, 200) << r.body;
  json p = body_json(r);
  EXPECT_EQ(p["label"], "1") << r.body;
  EXPECT_GT(p["probabilities"]["1"].get<double>(), 0.5);
  EXPECT_EQ(p["model"]["name"], "model_a");
  EXPECT_EQ(p["model"]["version"], model["version"]);

  r = http_request(port, "POST", "/v1/predict", R"({"texts": ["房间太差了，很失望", "质量很好"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  p = body_json(r);
  ASSERT_EQ(p["predictions"].size(), 2u);
  EXPECT_EQ(p["predictions"][0]["label"], "0");
  EXPECT_EQ(p["predictions"][1]["label"], "1");

  r = http_request(port, "POST", "/v1/predict?explain=1", R"({"text": "房间太差了"})");
  ASSERT_EQ(r.status, 200) << r.body;
  p = body_json(r);
  ASSERT_EQ(p["attributions"].size(), 5u) << r.body;
  // The polar characters explain the negative verdict more than the filler.
  double filler = 0, polar = 0;
  for (int i = 0; i < 5; ++i)
    (i < 2 ? filler : polar) += p["attributions"][i]["weight"].get<double>();
  EXPECT_GT(polar, filler) << r.body;

  r = http_request(port, "POST", "/v1/feedback",
                   json{{"prediction_id", p["id"]}, {"label", "0"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(body_json(r)["correct"].get<bool>());
  r = http_request(port, "POST", "/v1/feedback", R"({"text": "很满意", "label": "0"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(body_json(r)["correct"].get<bool>());
  std::ifstream in(feedback);
  std::string line1, line2;
  std::getline(in, line1);
  std::getline(in, line2);
  EXPECT_EQ(json::parse(line1)["text"], "房间太差了");
  EXPECT_EQ(json::parse(line2)["label"], "0");
  // The feedback file is training data as it stands (text and label columns).
  const auto stats = run_zhsenti({"data", "stats", feedback});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;

  const json mon = body_json(http_request(port, "GET", "/v1/monitor"));
  EXPECT_EQ(mon["drift"]["available"], true) << mon.dump();
  EXPECT_EQ(mon["drift"]["samples"], 4) << "feedback re-predictions are not traffic";
  EXPECT_EQ(mon["feedback"]["accuracy"], 0.5);

  r = http_request(port, "GET", "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"].substr(0, 10), "text/plain");
  for (const std::string family :
       {"zhsenti_http_requests_total{endpoint=\"/v1/predict\",status=\"200\"} 3",
        "zhsenti_http_request_duration_seconds_bucket{endpoint=\"/v1/predict\",le=\"+Inf\"} 3",
        "zhsenti_batch_size_count", "zhsenti_predictions_total{label=\"0\"}",
        "zhsenti_prediction_confidence_bucket", "zhsenti_input_tokens_bucket", "zhsenti_oov_rate",
        "zhsenti_model_info{name=\"model_a\"", "zhsenti_model_reloads_total{result=\"failure\"} 0",
        "zhsenti_drift_psi{feature=\"confidence\"}", "zhsenti_live_accuracy 0.5",
        "zhsenti_feedback_total{outcome=\"correct\"} 1"}) {
    EXPECT_NE(r.body.find(family), std::string::npos) << family << "\n" << r.body;
  }

  r = http_request(port, "GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("/v1/predict?explain=1"), std::string::npos);

  server.signal(SIGTERM);
  EXPECT_EQ(server.wait_exit(std::chrono::seconds(20)), 0) << server.log();
  // Access logs are JSON lines without the texts.
  const std::string log = server.log();
  EXPECT_NE(log.find(R"("type":"access")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("path":"/v1/predict")"), std::string::npos) << log;
  EXPECT_EQ(log.find("很满意"), std::string::npos) << "texts are not logged without --log-texts";
}

// A model from `zhsenti quantize` loads like any other and runs in int8.
TEST_F(ServeE2E, ServesAQuantisedModel) {
  const std::string quantised = dir("model_a_int8");
  const auto q = run_zhsenti({"quantize", "--model", model_a(), "--out", quantised});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  ServerProcess server({"--model", quantised});
  const int port = server.port();
  const json model = body_json(http_request(port, "GET", "/v1/model"));
  EXPECT_EQ(model["precision"], "int8");
  EXPECT_EQ(model["quantization"]["dtype"], "int8");
  const auto r = http_request(port, "POST", "/v1/predict", R"({"text": "房间非常好，服务很满意"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_json(r)["label"], "1") << r.body;
}

TEST_F(ServeE2E, ClientErrorsAndLimits) {
  ServerProcess server(
      {"--model", model_a(), "--max-body", "2000", "--max-texts", "3", "--max-chars", "50"});
  const int port = server.port();
  expect_error(http_request(port, "POST", "/v1/predict", "{\"text\": "), 400, "invalid_json");
  expect_error(http_request(port, "POST", "/v1/predict", "{\"text\": \"\xc3\x28\"}"), 400,
               "invalid_utf8");
  expect_error(http_request(port, "POST", "/v1/predict", "[]"), 422, "invalid_type");
  expect_error(http_request(port, "POST", "/v1/predict", "{}"), 422, "missing_field");
  expect_error(http_request(port, "POST", "/v1/predict", R"({"text": 1})"), 422, "invalid_type");
  expect_error(http_request(port, "POST", "/v1/predict", R"({"text": "  "})"), 422, "empty_text");
  expect_error(http_request(port, "POST", "/v1/predict", R"({"texts": ["a","b","c","d"]})"), 413,
               "too_many_texts");
  expect_error(
      http_request(port, "POST", "/v1/predict", json{{"text", std::string(51, 'a')}}.dump()), 413,
      "text_too_long");
  expect_error(
      http_request(port, "POST", "/v1/predict", json{{"text", std::string(3000, 'a')}}.dump()), 413,
      "body_too_large");
  expect_error(http_request(port, "GET", "/v1/predict"), 405, "method_not_allowed");
  EXPECT_EQ(http_request(port, "GET", "/v1/predict").headers["allow"], "POST");
  expect_error(http_request(port, "POST", "/healthz"), 405, "method_not_allowed");
  expect_error(http_request(port, "GET", "/nope"), 404, "not_found");
  expect_error(http_request(port, "POST", "/admin/reload"), 404, "not_found");  // admin is off
  expect_error(http_request(port, "POST", "/v1/feedback", R"({"text": "好", "label": "2"})"), 422,
               "unknown_label");
  // The server is still healthy after all that.
  EXPECT_EQ(http_request(port, "POST", "/v1/predict", R"({"text": "好"})").status, 200);
  const std::string metrics = http_request(port, "GET", "/metrics").body;
  EXPECT_NE(metrics.find("zhsenti_http_requests_total{endpoint=\"/v1/predict\",status=\"413\"} 3"),
            std::string::npos)
      << metrics;
}

TEST_F(ServeE2E, BadStartsExitWithAReason) {
  EXPECT_THROW(ServerProcess({"--model", dir("missing")}), std::runtime_error);
  const auto r = run_zhsenti({"serve", "--model", dir("missing"), "--port", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
  ServerProcess first({"--model", model_a()});
  const auto busy =
      run_zhsenti({"serve", "--model", model_a(), "--port", std::to_string(first.port())});
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_NE(busy.err.find("cannot listen"), std::string::npos) << busy.err;
}

}  // namespace
}  // namespace zhsenti::testing
