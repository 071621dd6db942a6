#pragma once
// The HTTP API without HTTP: each endpoint is a function from the request's bytes to a
// Reply, so handlers stay thin (JSON <-> Predictor) and tests and the fuzzer need no socket.
// http_server.cc maps routes onto these and owns the sockets.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zhsenti/serve/batcher.h"
#include "zhsenti/serve/feedback.h"
#include "zhsenti/serve/metrics.h"
#include "zhsenti/serve/model_slot.h"
#include "zhsenti/serve/options.h"
#include "zhsenti/serve/reply.h"
#include "zhsenti/serve/request.h"
#include "zhsenti/serve/route.h"

namespace zhsenti::serve {

class Service {
 public:
  // Loads and warms the model; throws when it cannot (the server does not start).
  explicit Service(ServeOptions options);
  ~Service();

  // The endpoint `route` names. authorization: the Authorization header (admin endpoints).
  Reply handle(const Route& route, std::string_view authorization, std::string_view body);

  Reply predict(std::string_view body, bool explain);
  Reply feedback(std::string_view body);
  // authorization: the Authorization header ("Bearer <token>", the scheme in any case).
  Reply reload(std::string_view authorization, std::string_view body);
  // SIGHUP: reloads the current directory; logs the outcome.
  void reload_from_signal();
  Reply healthz() const;
  Reply readyz() const;
  Reply model_info() const;
  Reply monitor() const;
  Reply metrics() const;
  Reply index_page() const;

  // Every answered request, for the request counter and latency histogram.
  void record_request(std::string_view endpoint, int status, double seconds);

  // Readiness goes false (load balancers stop sending), requests still served.
  void begin_draining();
  // After the HTTP server stopped: finishes queued model work.
  void shutdown();
  bool ready() const { return ready_.load() && !draining_.load(); }
  const ServeOptions& options() const { return options_; }
  std::shared_ptr<const LoadedModel> model() const { return slot_.get(); }
  ConnectionStats& connections() { return connections_; }

 private:
  struct Outcome;
  Reply do_reload(std::optional<std::string> dir, std::string_view trigger);
  // The attributions of `text` towards `label` as a JSON array (text).
  std::string explain(const LoadedModel& model, const std::string& text, int label);
  void observe_predictions(const LoadedModel& model, const vocab::EncodedCorpus& corpus,
                           std::span<const float> probs);
  nlohmann::json model_json(const LoadedModel& m, bool full) const;

  ServeOptions options_;
  RequestLimits limits_;
  std::string admin_token_;  // empty: admin endpoints off
  ModelSlot slot_;
  std::mutex reload_mutex_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> draining_{false};
  std::chrono::steady_clock::time_point started_;

  // Metrics.
  LabelledCounter requests_;                                   // endpoint, status
  std::map<std::string, std::unique_ptr<Histogram>> latency_;  // per endpoint, fixed at start
  Histogram batch_size_;
  Histogram confidence_;
  Histogram input_tokens_;
  LabelledCounter predictions_;  // label
  LabelledCounter reloads_;      // result
  std::atomic<std::uint64_t> tokens_total_{0}, unknown_total_{0};
  std::atomic<std::uint64_t> drift_alarms_{0};
  ConnectionStats connections_;
  std::atomic<std::size_t> explaining_{0};  // explanations in progress (max_explains)

  PredictionCache predictions_cache_;
  FeedbackLog feedback_;
  std::unique_ptr<MicroBatcher> batcher_;
};

}  // namespace zhsenti::serve
