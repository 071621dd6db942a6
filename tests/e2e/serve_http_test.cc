// The HTTP layer end to end, as hostile or merely unusual clients use it: pipelining, HEAD,
// bodies of any content type, lower-case bearer, slow clients, a thousand connections, the
// connection cap and the price of an explanation.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "serve_fixture.h"
#include "serve_harness.h"

namespace zhsenti::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::string feedback(const std::string& text) {
  return build_request("POST", "/v1/feedback", json{{"text", text}, {"label", "1"}}.dump());
}

std::size_t count_lines(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

std::string long_text(std::size_t chars) {
  const std::u32string pattern = U"房间干净服务很好但是早餐一般价格偏贵下次还会再来";
  std::u32string t;
  while (t.size() < chars) t += pattern;
  t.resize(chars);
  std::string out;
  for (const char32_t c : t) {  // the pattern's characters are all three UTF-8 bytes long
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

void raise_descriptor_limit(rlim_t want) {
  rlimit lim{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &lim), 0);
  if (lim.rlim_cur < want) {
    lim.rlim_cur = std::min(want, lim.rlim_max);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lim), 0);
  }
  ASSERT_GE(lim.rlim_cur, want) << "the hard limit on open files is too low for this test";
}

TEST_F(ServeE2E, PipelinedRequestsAreAllAnsweredInOrder) {
  const std::string file = dir("pipelined_feedback.jsonl");
  ServerProcess server({"--model", model_a(), "--feedback-file", file});
  RawConnection conn(server.port());
  // Three feedback reports and a GET in one write, as an HTTP/1.1 client may send them.
  ASSERT_TRUE(conn.send(feedback("很好") + feedback("不错") + feedback("满意") +
                        build_request("GET", "/healthz")));
  for (int i = 1; i <= 3; ++i) {
    const HttpResponse r = conn.read();
    ASSERT_EQ(r.status, 200) << "answer " << i << ": " << r.body;
    EXPECT_EQ(json::parse(r.body)["window"], i) << "answers come in request order";
  }
  const HttpResponse health = conn.read();
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
  EXPECT_EQ(count_lines(file), 3u);
}

TEST_F(ServeE2E, BodyLimitIsTheSameForEveryContentType) {
  ServerProcess server({"--model", model_a(), "--max-body", "20000"});
  // 4,000 characters, 12 kB: curl -d sends it as a form, and it is JSON all the same.
  const std::string body = json{{"text", long_text(4000)}}.dump();
  ASSERT_GT(body.size(), 8192u);
  for (const char* type : {"application/x-www-form-urlencoded", "application/json", "text/plain"}) {
    const HttpResponse r =
        http_request(server.port(), "POST", "/v1/predict", body, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 200) << type << ": " << r.body;
  }
  const std::string too_big = json{{"text", long_text(6700)}}.dump();
  ASSERT_GT(too_big.size(), 20000u);
  for (const char* type : {"application/x-www-form-urlencoded", "application/json"}) {
    const HttpResponse r =
        http_request(server.port(), "POST", "/v1/predict", too_big, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 413) << type;
    EXPECT_NE(r.body.find("exceeds 20000 bytes"), std::string::npos) << r.body;
  }
}

TEST_F(ServeE2E, HeadAnswersLikeGetWithoutTheBody) {
  ServerProcess server({"--model", model_a()});
  for (const char* path : {"/healthz", "/readyz", "/v1/model", "/metrics", "/"}) {
    RawConnection conn(server.port());
    ASSERT_TRUE(conn.send(build_request("HEAD", path) + build_request("GET", "/healthz")));
    const HttpResponse head = conn.read(std::chrono::seconds(30), true);
    EXPECT_EQ(head.status, 200) << path;
    EXPECT_GT(std::stoul(head.headers.at("content-length")), 0u) << path;
    // The next bytes are the pipelined GET's answer, not a body of the HEAD.
    const HttpResponse next = conn.read();
    EXPECT_EQ(next.status, 200) << path;
    EXPECT_EQ(json::parse(next.body)["status"], "ok") << path;
  }
  const HttpResponse r = http_request(server.port(), "HEAD", "/v1/predict");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.at("allow"), "POST");
  EXPECT_EQ(http_request(server.port(), "DELETE", "/healthz").headers.at("allow"), "GET, HEAD");
}

TEST_F(ServeE2E, BearerSchemeIsCaseInsensitive) {
  ServerProcess server({"--model", model_a(), "--admin-token-file", token_file()});
  for (const char* auth : {"bearer t0ken-for-tests", "BEARER  t0ken-for-tests"}) {
    const HttpResponse r =
        http_request(server.port(), "POST", "/admin/reload", "", {{"Authorization", auth}});
    EXPECT_EQ(r.status, 200) << auth << ": " << r.body;
  }
  for (const char* auth : {"Basic t0ken-for-tests", "bearer wrong", "bearert0ken-for-tests"}) {
    const HttpResponse r =
        http_request(server.port(), "POST", "/admin/reload", "", {{"Authorization", auth}});
    EXPECT_EQ(r.status, 401) << auth;
  }
}

TEST_F(ServeE2E, OversizedHeadersAndGarbageGetAnAnswerAndAClose) {
  ServerProcess server({"--model", model_a()});
  {
    RawConnection conn(server.port());
    std::string request = "GET /healthz HTTP/1.1\r\nX-Big: ";
    request.append(20000, 'x').append("\r\n\r\n");
    ASSERT_TRUE(conn.send(request));
    EXPECT_EQ(conn.read().status, 431);
    EXPECT_TRUE(conn.closed_within(milliseconds(3000)));
  }
  {
    RawConnection conn(server.port());
    ASSERT_TRUE(conn.send("BLAH\x01 / HTTP/9\r\n\r\n"));
    const HttpResponse r = conn.read();
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body)["error"]["code"], "bad_request");
    EXPECT_TRUE(conn.closed_within(milliseconds(3000)));
  }
  EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200);
}

// Slowloris, bounded: 150 connections that never finish their headers and 30 that trickle
// a header line every 200 ms hold no thread; others are served at once, and the slow ones
// are closed at the header deadline.
TEST_F(ServeE2E, SlowClientsNeitherStarveOthersNorStayForever) {
  raise_descriptor_limit(1024);
  ServerProcess server({"--model", model_a(), "--header-timeout-ms", "1500", "--no-access-log"});
  const int port = server.port();
  std::vector<std::unique_ptr<RawConnection>> partial, trickle;
  for (int i = 0; i < 150; ++i) {
    partial.push_back(std::make_unique<RawConnection>(port));
    ASSERT_TRUE(partial.back()->send("POST /v1/predict HTTP/1.1\r\nHost: x\r\n"));
  }
  for (int i = 0; i < 30; ++i) {
    trickle.push_back(std::make_unique<RawConnection>(port));
    ASSERT_TRUE(trickle.back()->send("GET /healthz HTTP/1.1\r\n"));
  }
  auto worst = milliseconds(0);
  for (int round = 0; round < 5; ++round) {
    for (auto& t : trickle) t->send("X-Slow: 1\r\n");
    const auto t0 = Clock::now();
    EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);
    EXPECT_EQ(http_request(port, "POST", "/v1/predict", R"({"text": "很好"})").status, 200);
    worst = std::max(worst, std::chrono::duration_cast<milliseconds>(Clock::now() - t0));
    std::this_thread::sleep_for(milliseconds(200));
  }
  // Generous for sanitizer builds; a thread-per-connection server waits for the deadline.
  EXPECT_LT(worst.count(), 1000) << "slow clients delayed others";
  for (auto& c : partial) EXPECT_TRUE(c->closed_within(milliseconds(3000)));
  for (auto& c : trickle) EXPECT_TRUE(c->closed_within(milliseconds(3000)));
}

TEST_F(ServeE2E, AThousandKeepAliveConnectionsAtOnce) {
  constexpr int kConnections = 1000;
  raise_descriptor_limit(kConnections + 200);
  ServerProcess server({"--model", model_a(), "--no-access-log"});
  std::vector<std::unique_ptr<RawConnection>> conns;
  for (int i = 0; i < kConnections; ++i) conns.push_back(std::make_unique<RawConnection>(server.port()));
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kConnections; ++i) {
      const std::string req = i % 10 == 0
                                  ? build_request("POST", "/v1/predict", R"({"text": "不错"})")
                                  : build_request("GET", "/healthz");
      ASSERT_TRUE(conns[i]->send(req)) << i;
    }
    int ok = 0;
    for (auto& c : conns) ok += c->read().status == 200;
    EXPECT_EQ(ok, kConnections) << "round " << round;
  }
  const std::string metrics = http_request(server.port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("zhsenti_http_connections 1001"), std::string::npos) << metrics;
}

TEST_F(ServeE2E, ConnectionsOverTheCapAreAnswered503) {
  ServerProcess server({"--model", model_a(), "--max-connections", "3"});
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port()));
    ASSERT_TRUE(held.back()->send(build_request("GET", "/healthz")));
    ASSERT_EQ(held.back()->read().status, 200);
  }
  const HttpResponse refused = http_request(server.port(), "GET", "/healthz");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(json::parse(refused.body)["error"]["code"], "too_many_connections");
  EXPECT_EQ(refused.headers.at("retry-after"), "1");
  held.pop_back();
  // The freed place is taken by the next client (the server notices the close at once).
  HttpResponse metrics;
  for (int i = 0; i < 50 && metrics.status != 200; ++i) {
    metrics = http_request(server.port(), "GET", "/metrics");
    if (metrics.status != 200) std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("zhsenti_http_connections_rejected_total "), std::string::npos);
  EXPECT_EQ(metrics.body.find("zhsenti_http_connections_rejected_total 0"), std::string::npos)
      << metrics.body;
}

// An explanation leaves out only the tokens the model reads, so a 5,000-character text
// costs max_len + 1 sequences, not 5,001; and explanations are limited like any expensive
// request.
TEST_F(ServeE2E, ExplanationsCoverWhatTheModelReadsAndAreLimited) {
  ServerProcess server({"--model", model_a(), "--max-chars", "5000"});
  const json model = json::parse(http_request(server.port(), "GET", "/v1/model").body);
  const std::size_t max_len = model["tokenizer"]["max_len"].get<std::size_t>();
  ASSERT_GT(max_len, 0u);
  const HttpResponse r = http_request(server.port(), "POST", "/v1/predict?explain=1",
                                      json{{"text", long_text(5000)}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json attributions = json::parse(r.body)["attributions"];
  EXPECT_EQ(attributions.size(), 5000u);
  std::size_t moved = 0;
  for (std::size_t i = 0; i < attributions.size(); ++i) {
    if (attributions[i]["weight"].get<double>() != 0.0) {
      ++moved;
      EXPECT_LT(i, max_len) << "head truncation: only the first max_len tokens are read";
    }
  }
  EXPECT_GT(moved, 0u);

  ServerProcess none({"--model", model_a(), "--max-explains", "0"});
  const HttpResponse busy =
      http_request(none.port(), "POST", "/v1/predict?explain=1", R"({"text": "很好"})");
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(json::parse(busy.body)["error"]["code"], "busy");
  EXPECT_EQ(busy.headers.at("retry-after"), "1");
  EXPECT_EQ(http_request(none.port(), "POST", "/v1/predict", R"({"text": "很好"})").status, 200);
}

}  // namespace
}  // namespace zhsenti::testing
