// The read-only endpoints: health, readiness, model description, drift summary, metrics and
// the web page.

#include <fmt/format.h>

#include <cmath>

#include "zhsenti/serve/process_metrics.h"
#include "zhsenti/serve/service.h"
#include "zhsenti/serve/web_assets.h"

namespace zhsenti::serve {
namespace {

using nlohmann::json;

Reply json_reply(const json& j, int status = 200) {
  Reply r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// JSON has no NaN: an undefined rate is null.
json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json fractions_by_label(const std::vector<std::string>& labels, const std::vector<double>& f) {
  json out = json::object();
  for (std::size_t i = 0; i < labels.size() && i < f.size(); ++i) out[labels[i]] = f[i];
  return out;
}

}  // namespace

const std::vector<std::string>& endpoints() {
  static const std::vector<std::string> names = {
      "/v1/predict", "/v1/feedback", "/admin/reload", "/healthz", "/readyz",
      "/v1/model",   "/v1/monitor",  "/metrics",      "/",        "other"};
  return names;
}

json Service::model_json(const LoadedModel& m, bool full) const {
  const auto& p = *m.predictor;
  json j{{"name", m.name},
         {"version", m.version},
         {"dir", m.dir.string()},
         {"labels", p.labels()},
         {"loaded_at", m.loaded_at}};
  if (full) {
    const auto& c = p.config();
    j["created_at"] = c.created_at;
    j["zhsenti_version"] = c.zhsenti_version;
    j["architecture"] = c.architecture;
    j["tokenizer"] = c.tokenizer;
    j["training_data"] = {{"sha256", c.training_data.sha256},
                          {"rows", c.training_data.rows},
                          {"source", c.training_data.source}};
    j["metrics"] = c.metrics;
    if (c.extra.contains("training")) j["training"] = c.extra["training"];
    if (c.extra.contains("quantization")) j["quantization"] = c.extra["quantization"];
    j["inference_table"] = p.model().inference_table_ready();
    j["inference_table_rows"] = p.model().inference_table_rows();
    j["precision"] = nn::precision_name(p.model().inference_precision());
    j["drift_reference"] = m.drift->has_reference();
  }
  return j;
}

Reply Service::healthz() const { return json_reply({{"status", "ok"}}); }

Reply Service::readyz() const {
  if (ready()) return json_reply({{"status", "ready"}});
  Reply r = error_reply(
      503, draining_ ? "draining" : "not_ready",
      draining_ ? "shutting down: finishing requests in flight" : "the model is not loaded yet");
  return r;
}

Reply Service::model_info() const {
  const auto m = slot_.get();
  json j = model_json(*m, true);
  j["serving"] = {{"max_batch", options_.max_batch},
                  {"max_wait_us", options_.max_wait.count()},
                  {"max_texts", options_.max_texts},
                  {"max_chars", options_.max_chars},
                  {"max_body", options_.max_body}};
  return json_reply(j);
}

Reply Service::monitor() const {
  const auto m = slot_.get();
  const DriftScores s = m->drift->scores();
  const auto& labels = m->predictor->labels();
  json drift{{"available", m->drift->has_reference()},
             {"window", options_.drift_window},
             {"min_samples", options_.drift_min_samples},
             {"samples", s.samples},
             {"threshold", m->drift->threshold()},
             {"live",
              {{"label_mix", fractions_by_label(labels, s.live_label_mix)},
               {"oov_rate", s.live_oov_rate}}}};
  if (!m->drift->has_reference()) {
    drift["status"] = "unavailable";
    drift["reason"] = m->reference_problem;
  } else {
    const auto& ref = *m->drift->reference();
    drift["reference"] = {{"label_mix", fractions_by_label(labels, ref.label_mix)},
                          {"oov_rate", ref.oov_rate}};
    drift["psi"] = {
        {"label_mix", s.label_psi}, {"confidence", s.confidence_psi}, {"length", s.length_psi}};
    drift["max_psi"] = s.max_psi();
    drift["status"] = !s.enough                             ? "insufficient_data"
                      : s.max_psi() > m->drift->threshold() ? "drift"
                                                            : "ok";
  }
  const auto acc = feedback_.accuracy();
  const double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return json_reply(
      {{"model", {{"name", m->name}, {"version", m->version}}},
       {"drift", drift},
       {"feedback",
        {{"window", acc.window}, {"accuracy", number_or_null(acc.accuracy)}, {"total", acc.total}}},
       {"drift_alarms", drift_alarms_.load()},
       {"uptime_s", uptime}});
}

Reply Service::metrics() const {
  const auto m = slot_.get();
  std::string out;
  out.reserve(16 << 10);
  family_header(out, "zhsenti_http_requests_total", "counter",
                "HTTP requests answered, by endpoint and status.");
  requests_.render(out, "zhsenti_http_requests_total");
  family_header(out, "zhsenti_http_request_duration_seconds", "histogram",
                "Time from request read to response, by endpoint.");
  for (const auto& [endpoint, h] : latency_)
    h->render(out, "zhsenti_http_request_duration_seconds",
              fmt::format("endpoint=\"{}\"", endpoint));
  family_header(out, "zhsenti_http_in_flight_requests", "gauge",
                "Requests read and not yet answered.");
  out += fmt::format("zhsenti_http_in_flight_requests {}\n", connections_.in_flight.load());
  family_header(out, "zhsenti_http_connections", "gauge", "Open HTTP connections.");
  out += fmt::format("zhsenti_http_connections {}\n", connections_.open.load());
  family_header(out, "zhsenti_http_connections_rejected_total", "counter",
                "Connections answered 503 because --max-connections were open.");
  out += fmt::format("zhsenti_http_connections_rejected_total {}\n", connections_.rejected.load());
  family_header(out, "zhsenti_batch_size", "histogram", "Texts per model call (micro-batching).");
  batch_size_.render(out, "zhsenti_batch_size");
  family_header(out, "zhsenti_predictions_total", "counter",
                "Texts predicted, by predicted label.");
  predictions_.render(out, "zhsenti_predictions_total");
  family_header(out, "zhsenti_prediction_confidence", "histogram",
                "Probability of the predicted label.");
  confidence_.render(out, "zhsenti_prediction_confidence");
  family_header(out, "zhsenti_input_tokens", "histogram",
                "Tokens per text after encoding (input length).");
  input_tokens_.render(out, "zhsenti_input_tokens");
  const auto tokens = tokens_total_.load(), unknown = unknown_total_.load();
  family_header(out, "zhsenti_input_tokens_total", "counter", "Tokens seen in predicted texts.");
  out += fmt::format("zhsenti_input_tokens_total {}\n", tokens);
  family_header(out, "zhsenti_oov_tokens_total", "counter",
                "Out-of-vocabulary tokens seen in predicted texts.");
  out += fmt::format("zhsenti_oov_tokens_total {}\n", unknown);
  const DriftScores s = m->drift->scores();
  family_header(out, "zhsenti_oov_rate", "gauge", "Out-of-vocabulary rate over the drift window.");
  out += fmt::format("zhsenti_oov_rate {}\n", sample(s.live_oov_rate));
  family_header(out, "zhsenti_model_info", "gauge", "The model being served (always 1).");
  out += fmt::format("zhsenti_model_info{{name=\"{}\",version=\"{}\"}} 1\n", label_value(m->name),
                     label_value(m->version));
  family_header(out, "zhsenti_model_reloads_total", "counter", "Model reloads by result.");
  out += fmt::format("zhsenti_model_reloads_total{{result=\"success\"}} {}\n",
                     reloads_.get("result=\"success\""));
  out += fmt::format("zhsenti_model_reloads_total{{result=\"failure\"}} {}\n",
                     reloads_.get("result=\"failure\""));
  family_header(out, "zhsenti_drift_psi", "gauge",
                "Population stability index of live traffic against the model's reference (NaN "
                "until enough samples).");
  const double nan = std::nan("");
  const std::pair<const char*, double> psis[] = {
      {"label_mix", s.label_psi}, {"confidence", s.confidence_psi}, {"length", s.length_psi}};
  for (const auto& [feature, v] : psis) {
    out += fmt::format("zhsenti_drift_psi{{feature=\"{}\"}} {}\n", feature,
                       sample(s.enough ? v : nan));
  }
  family_header(out, "zhsenti_drift_samples", "gauge", "Texts in the drift window.");
  out += fmt::format("zhsenti_drift_samples {}\n", s.samples);
  family_header(out, "zhsenti_drift_alarms_total", "counter", "Times drift crossed the threshold.");
  out += fmt::format("zhsenti_drift_alarms_total {}\n", drift_alarms_.load());
  const auto acc = feedback_.accuracy();
  family_header(out, "zhsenti_feedback_total", "counter", "Feedback reports by outcome.");
  out += fmt::format("zhsenti_feedback_total{{outcome=\"correct\"}} {}\n", acc.total_correct);
  out += fmt::format("zhsenti_feedback_total{{outcome=\"incorrect\"}} {}\n",
                     acc.total - acc.total_correct);
  family_header(out, "zhsenti_live_accuracy", "gauge",
                "Accuracy over the feedback window (NaN without feedback).");
  out += fmt::format("zhsenti_live_accuracy {}\n", sample(acc.accuracy));
  family_header(out, "zhsenti_ready", "gauge", "1 when the server accepts traffic (readyz).");
  out += fmt::format("zhsenti_ready {}\n", ready() ? 1 : 0);
  render_process_metrics(out);
  Reply r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = std::move(out);
  return r;
}

Reply Service::index_page() const {
  Reply r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::string(web_index_html());
  return r;
}

}  // namespace zhsenti::serve
