#include "zhsenti/serve/service.h"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/scratch.h"
#include "zhsenti/modelfile/model_dir.h"
#include "zhsenti/predict/explain.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::serve {
namespace {

using nlohmann::json;

constexpr std::size_t kCacheEntries = 10000;
constexpr std::size_t kCacheBytes = std::size_t{8} << 20;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Reply json_reply(const json& j, int status = 200) {
  Reply r;
  r.status = status;
  r.body = dump(j);
  return r;
}

// ApiError -> its status; a library error is the server's fault unless it says otherwise.
template <typename Fn>
Reply guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const ApiError& e) {
    Reply r = error_reply(e.status(), e.code(), e.what());
    if (e.status() == 503) r.headers.emplace_back("Retry-After", "1");
    return r;
  } catch (const std::exception& e) {
    log::error("request failed: {}", e.what());
    return error_reply(500, "internal", e.what());
  }
}

std::string read_token(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_io_error(path.string(), "cannot read the admin token file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string t = ss.str();
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  if (t.empty())
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{}: the admin token is empty", path.string()));
  return t;
}

// Compares in time independent of where the strings differ (no timing oracle on the token).
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i % std::max<std::size_t>(b.size(), 1)]);
  return diff == 0 && !b.empty();
}

// The token of "Bearer <token>"; the scheme is case-insensitive and followed by one or more
// spaces (RFC 9110, section 11.4). Empty when the header is not a bearer credential.
std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  }
  std::string_view rest = authorization.substr(kScheme.size());
  if (rest.front() != ' ') return {};
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  return rest;
}

// Holds one of `limit` places while it lives; throws 503 when none is free.
class Slot {
 public:
  Slot(std::atomic<std::size_t>& used, std::size_t limit, std::string_view what) : used_(used) {
    if (used_.fetch_add(1) >= limit) {
      --used_;
      throw ApiError(503, "busy",
                     fmt::format("{} {} are being computed, the most at once; retry shortly",
                                 limit, what));
    }
  }
  ~Slot() { --used_; }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::atomic<std::size_t>& used_;
};

// s as a JSON string literal, as nlohmann::json writes it (UTF-8 kept, controls escaped).
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// The response with each result's "attributions": null replaced by its array, in order.
// nlohmann writes an object's keys sorted, so "attributions" opens every result object, and
// the sequence below cannot occur inside a JSON string (its quotes would be escaped).
std::string splice_attributions(const std::string& body, const std::vector<std::string>& arrays) {
  constexpr std::string_view kPlaceholder = "{\"attributions\":null";
  std::size_t total = body.size();
  for (const auto& a : arrays) total += a.size();
  std::string out;
  out.reserve(total);
  std::size_t from = 0;
  for (const auto& a : arrays) {
    const std::size_t at = body.find(kPlaceholder, from);
    if (at == std::string::npos) break;
    out.append(body, from, at - from);
    out += "{\"attributions\":";
    out += a;
    from = at + kPlaceholder.size();
  }
  out.append(body, from, std::string::npos);
  return out;
}

std::vector<double> bounds_latency() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
}

}  // namespace

const std::vector<std::string>& endpoints();

Service::Service(ServeOptions options)
    : options_(std::move(options)),
      started_(std::chrono::steady_clock::now()),
      batch_size_({1, 2, 4, 8, 16, 32, 64, 128, 256}),
      confidence_({0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0}),
      input_tokens_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512}),
      predictions_cache_(kCacheEntries, kCacheBytes),
      feedback_(options_.feedback_file, options_.feedback_window) {
  limits_ = {options_.max_texts, options_.max_chars};
  if (!options_.admin_token_file.empty()) admin_token_ = read_token(options_.admin_token_file);
  for (const auto& e : endpoints()) latency_[e] = std::make_unique<Histogram>(bounds_latency());
  auto model = load_model(options_.model_dir, options_);
  log::info("model {} version {} loaded from {} ({} labels)", model->name, model->version,
            model->dir.string(), model->predictor->num_classes());
  if (!model->drift->has_reference())
    log::warn("drift monitoring off: {}", model->reference_problem);
  slot_.swap(std::move(model));
  // Batching: by default one worker whose calls use every core, so the requests in flight
  // meet in one batch (a step costs about the same for 1 and 16 texts) and a call's
  // directions run side by side. Without batching every request is its own call: one
  // single-threaded worker per core.
  const int cores = static_cast<int>(ThreadPool::hardware_threads());
  const bool batching = options_.max_wait.count() > 0;
  const int workers = options_.batch_workers > 0 ? options_.batch_workers : batching ? 1 : cores;
  batcher_ = std::make_unique<MicroBatcher>(
      MicroBatcher::Options{options_.max_batch, options_.max_wait, workers,
                            std::max(1, cores / workers)},
      [this](std::size_t n) { batch_size_.observe(static_cast<double>(n)); });
  ready_ = true;
}

Service::~Service() { shutdown(); }

Reply Service::handle(const Route& route, std::string_view authorization, std::string_view body) {
  switch (route.endpoint) {
    case Endpoint::kPredict: return predict(body, route.explain);
    case Endpoint::kFeedback: return feedback(body);
    case Endpoint::kReload: return reload(authorization, body);
    case Endpoint::kHealthz: return healthz();
    case Endpoint::kReadyz: return readyz();
    case Endpoint::kModel: return model_info();
    case Endpoint::kMonitor: return monitor();
    case Endpoint::kMetrics: return metrics();
    case Endpoint::kIndex: return index_page();
  }
  return error_reply(404, "not_found", "no such endpoint");
}

void Service::begin_draining() { draining_ = true; }

void Service::shutdown() {
  if (batcher_) batcher_->stop();
}

void Service::record_request(std::string_view endpoint, int status, double seconds) {
  std::string ep(endpoint);
  auto it = latency_.find(ep);
  if (it == latency_.end()) {
    ep = "other";
    it = latency_.find(ep);
  }
  requests_.add(fmt::format("endpoint=\"{}\",status=\"{}\"", ep, status));
  it->second->observe(seconds);
}

void Service::observe_predictions(const LoadedModel& model, const vocab::EncodedCorpus& corpus,
                                  std::span<const float> probs) {
  const auto& labels = model.predictor->labels();
  const std::size_t c = labels.size();
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const float* row = probs.data() + i * c;
    const auto best = static_cast<std::size_t>(std::max_element(row, row + c) - row);
    const auto ids = corpus.sequence(i);
    const vocab::OovStats oov = vocab::oov_stats(ids);
    predictions_.add(fmt::format("label=\"{}\"", label_value(labels[best])));
    confidence_.observe(row[best]);
    input_tokens_.observe(static_cast<double>(ids.size()));
    tokens_total_ += static_cast<std::uint64_t>(oov.tokens);
    unknown_total_ += static_cast<std::uint64_t>(oov.unknown);
    if (model.drift->observe(static_cast<int>(best), row[best], corpus.length(i), oov.tokens,
                             oov.unknown)) {
      ++drift_alarms_;
      const DriftScores s = model.drift->scores();
      log::warn(
          "drift: PSI label {:.3f} confidence {:.3f} length {:.3f} over the last {} texts exceeds "
          "{}",
          s.label_psi, s.confidence_psi, s.length_psi, s.samples, model.drift->threshold());
    }
  }
}

Reply Service::predict(std::string_view body, bool explain) {
  return guarded([&] {
    const PredictRequest req = parse_predict_request(body, limits_);
    std::optional<Slot> explaining;
    if (explain) explaining.emplace(explaining_, options_.max_explains, "explanations");
    MicroBatcher::Ticket ticket = batcher_->announce();
    const auto model = slot_.get();
    const predict::Predictor& p = *model->predictor;
    thread_local vocab::EncodedCorpus corpus;
    thread_local std::vector<std::int32_t> ids;
    corpus.ids.clear();
    corpus.offsets.assign(1, 0);
    for (const auto& t : req.texts) {
      p.encode(t, ids);
      corpus.push_back(ids);
    }
    const auto c = static_cast<std::size_t>(p.num_classes());
    std::vector<float> probs(req.texts.size() * c);
    batcher_->predict(std::move(ticket), *model, corpus, probs);
    observe_predictions(*model, corpus, probs);
    release_if_large(corpus.ids, corpus.offsets, ids);

    json results = json::array();
    std::vector<std::string> attributions;
    for (std::size_t i = 0; i < req.texts.size(); ++i) {
      const float* row = probs.data() + i * c;
      const auto best = static_cast<std::size_t>(std::max_element(row, row + c) - row);
      json probabilities = json::object();
      for (std::size_t k = 0; k < c; ++k) probabilities[p.labels()[k]] = row[k];
      const std::string id = predictions_cache_.next_id();
      predictions_cache_.put(id, {req.texts[i], p.labels()[best], model->version});
      json r{{"id", id}, {"label", p.labels()[best]}, {"probabilities", std::move(probabilities)}};
      if (explain) {
        r["attributions"] = nullptr;  // spliced in below
        attributions.push_back(this->explain(*model, req.texts[i], static_cast<int>(best)));
      }
      results.push_back(std::move(r));
    }
    const json model_ref{{"name", model->name}, {"version", model->version}};
    json out;
    if (req.batch) {
      out = {{"predictions", std::move(results)}, {"model", model_ref}};
    } else {
      out = std::move(results[0]);
      out["model"] = model_ref;
    }
    Reply reply = json_reply(out);
    if (explain) reply.body = splice_attributions(reply.body, attributions);
    // An explanation builds megabytes of short-lived objects (variants, one JSON object per
    // token) on whichever request thread runs it, and glibc keeps what is freed in that
    // thread's arena: without handing it back, RSS crept up with each thread that had
    // explained something (the explain soak in docs/BENCHMARKS.md). Explanations
    // are rare and cost ~100 ms, so a trim (~1 ms) after each is cheap.
    if (explain) ::malloc_trim(0);
    reply.log["texts"] = req.texts.size();
    reply.log["model_version"] = model->version;
    if (options_.log_texts) reply.log["text"] = req.texts;
    return reply;
  });
}

std::string Service::explain(const LoadedModel& model, const std::string& text, int label) {
  const predict::Predictor& p = *model.predictor;
  predict::Occlusion occlusion = predict::occlusion_variants(p, text);
  const auto c = static_cast<std::size_t>(p.num_classes());
  const std::size_t n = occlusion.variants.size();
  std::vector<float> probs(n * c);
  // One batch at a time on the batch workers: their workspaces stay the size of a normal
  // batch (not of the largest explanation ever asked), and other requests run in between.
  vocab::EncodedCorpus chunk;
  for (std::size_t first = 0; first < n; first += options_.max_batch) {
    const std::size_t last = std::min(n, first + options_.max_batch);
    chunk.ids.clear();
    chunk.offsets.assign(1, 0);
    for (std::size_t i = first; i < last; ++i) chunk.push_back(occlusion.variants.sequence(i));
    batcher_->predict(model, chunk, std::span<float>(probs).subspan(first * c, (last - first) * c));
  }
  // Written as text, not as one JSON object per token: thousands of small objects per
  // explanation, interleaved with long-lived allocations, fragmented the heap.
  std::string out = "[";
  out.reserve(occlusion.tokens.size() * 32 + 2);
  for (const auto& a :
       predict::occlusion_attributions(std::move(occlusion), probs, p.num_classes(), label)) {
    if (out.size() > 1) out += ',';
    out += "{\"token\":";
    append_json_string(out, a.token);
    out += ",\"weight\":";
    out += fmt::format("{}", static_cast<double>(a.weight));
    out += '}';
  }
  out += ']';
  return out;
}

Reply Service::feedback(std::string_view body) {
  return guarded([&] {
    const FeedbackRequest req = parse_feedback_request(body, limits_);
    const auto model = slot_.get();
    const auto& labels = model->predictor->labels();
    if (std::find(labels.begin(), labels.end(), req.label) == labels.end()) {
      throw ApiError(422, "unknown_label",
                     fmt::format("label '{}' is not one of the model's labels",
                                 utf8::replace_invalid(req.label)));
    }
    std::string text, predicted, version = model->version;
    if (req.prediction_id) {
      const auto entry = predictions_cache_.find(*req.prediction_id);
      if (!entry) {
        throw ApiError(404, "unknown_prediction",
                       fmt::format("no recent prediction has id '{}'",
                                   utf8::replace_invalid(req.prediction_id->substr(0, 64))));
      }
      // The id names what was predicted: a different text with it would store a row whose
      // prediction belongs to another text, so the pair is refused rather than mixed.
      if (req.text && *req.text != entry->text) {
        throw ApiError(422, "prediction_text_mismatch",
                       fmt::format("prediction '{}' was made for another text; send the id or "
                                   "the text, or both as they were predicted",
                                   utf8::replace_invalid(req.prediction_id->substr(0, 64))));
      }
      text = entry->text;
      predicted = entry->label;
      version = entry->model_version;
    }
    if (req.text) text = *req.text;
    if (predicted.empty()) {
      vocab::EncodedCorpus corpus;
      std::vector<std::int32_t> ids;
      model->predictor->encode(text, ids);
      corpus.push_back(ids);
      std::vector<float> probs(labels.size());
      batcher_->predict(*model, corpus, probs);
      predicted = labels[static_cast<std::size_t>(std::max_element(probs.begin(), probs.end()) -
                                                  probs.begin())];
    }
    const bool correct = predicted == req.label;
    json line{
        {"text", text},         {"label", req.label},       {"predicted", predicted},
        {"model", model->name}, {"model_version", version}, {"time", modelfile::utc_timestamp()}};
    if (req.prediction_id) line["prediction_id"] = *req.prediction_id;
    feedback_.record(line, correct);
    const auto acc = feedback_.accuracy();
    Reply reply = json_reply({{"accepted", true},
                              {"correct", correct},
                              {"predicted", predicted},
                              {"stored", feedback_.stored()},
                              {"live_accuracy", acc.accuracy},
                              {"window", acc.window}});
    if (options_.log_texts) reply.log["text"] = text;
    return reply;
  });
}

Reply Service::reload(std::string_view authorization, std::string_view body) {
  return guarded([&] {
    if (admin_token_.empty()) {
      throw ApiError(404, "not_found", "admin endpoints are off (start with --admin-token-file)");
    }
    if (!same_secret(bearer_token(authorization), admin_token_)) {
      Reply r = error_reply(401, "unauthorized",
                            "a valid 'Authorization: Bearer <token>' header is required");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    return do_reload(parse_reload_request(body), "http");
  });
}

void Service::reload_from_signal() { (void)do_reload(std::nullopt, "SIGHUP"); }

Reply Service::do_reload(std::optional<std::string> dir, std::string_view trigger) {
  std::lock_guard lock(reload_mutex_);
  const auto old = slot_.get();
  const std::filesystem::path path = dir ? std::filesystem::path(*dir) : old->dir;
  const auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<const LoadedModel> next;
  try {
    next = load_model(path, options_);
  } catch (const std::exception& e) {
    reloads_.add("result=\"failure\"");
    log::error("reload ({}) of {} failed, still serving {} version {}: {}", trigger, path.string(),
               old->name, old->version, e.what());
    return error_reply(
        422, "reload_failed",
        fmt::format("{} (still serving {} version {})", e.what(), old->name, old->version));
  }
  slot_.swap(next);
  reloads_.add("result=\"success\"");
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  log::info("reload ({}): now serving {} version {} from {} (was version {}; loaded in {:.0f} ms)",
            trigger, next->name, next->version, next->dir.string(), old->version, ms);
  if (!next->drift->has_reference()) log::warn("drift monitoring off: {}", next->reference_problem);
  return json_reply({{"reloaded", true},
                     {"model", model_json(*next, false)},
                     {"previous", {{"name", old->name}, {"version", old->version}}},
                     {"load_ms", ms}});
}

}  // namespace zhsenti::serve
