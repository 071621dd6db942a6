#include "zhsenti/serve/http_server.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>
#include <set>

#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"

namespace zhsenti::serve {
namespace {

using Clock = std::chrono::steady_clock;

// Per-request state between pre-routing, the handler and the logger, which httplib runs on
// the same thread for one request.
struct RequestContext {
  Clock::time_point start{};
  nlohmann::json log = nlohmann::json::object();
  bool started = false;
};
thread_local RequestContext t_request;

struct Route {
  const char* path;
  const char* method;
};
constexpr Route kRoutes[] = {
    {"/v1/predict", "POST"}, {"/v1/feedback", "POST"}, {"/admin/reload", "POST"},
    {"/healthz", "GET"},     {"/readyz", "GET"},       {"/v1/model", "GET"},
    {"/v1/monitor", "GET"},  {"/metrics", "GET"},      {"/", "GET"},
};

void send(httplib::Response& res, Reply reply) {
  res.status = reply.status;
  for (auto& [k, v] : reply.headers) res.set_header(k, v);
  res.set_content(reply.body, reply.content_type);
  t_request.log.update(reply.log);
}

const char* known_route_method(const std::string& path) {
  for (const auto& r : kRoutes) {
    if (path == r.path) return r.method;
  }
  return nullptr;
}

std::shared_ptr<spdlog::logger> access_logger() {
  auto logger =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%v");
  return logger;
}

}  // namespace

struct HttpServer::Impl {
  Service& service;
  httplib::Server server;
  std::shared_ptr<spdlog::logger> access;

  explicit Impl(Service& s) : service(s) {}
  void configure();
  void log_request(const httplib::Request& req, const httplib::Response& res);
};

void HttpServer::Impl::configure() {
  const ServeOptions& o = service.options();
  const auto threads = static_cast<std::size_t>(std::max(o.threads, 1));
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(o.max_body);
  const auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(o.request_timeout);
  server.set_read_timeout(timeout);
  server.set_write_timeout(timeout);
  server.set_tcp_nodelay(true);
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port
  // and silently take half the traffic; address reuse alone is what a restart needs.
  server.set_socket_options([](int sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Connections hold a thread each; recycling them now and then lets waiting clients in.
  server.set_keep_alive_max_count(1000);
  // Idle keep-alive connections also delay shutdown by up to this much.
  server.set_keep_alive_timeout(2);
  if (o.access_log) access = access_logger();

  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    t_request.start = Clock::now();
    t_request.started = true;
    t_request.log = nlohmann::json::object();
    const char* method = known_route_method(req.path);
    if (method != nullptr && req.method != method) {
      send(res, error_reply(
                    405, "method_not_allowed",
                    fmt::format("{} {} is not supported; use {}", req.method, req.path, method)));
      res.set_header("Allow", method);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Errors httplib answers itself (unknown path, body too large, bad request line) get the
  // same JSON shape as ours; replies that already have a body keep it.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        switch (res.status) {
          case 404:
            send(res, error_reply(404, "not_found", "no such endpoint"));
            break;
          case 413:
            send(res, error_reply(413, "body_too_large",
                                  fmt::format("the request body exceeds {} bytes",
                                              service.options().max_body)));
            break;
          default:
            send(res, error_reply(res.status, "bad_request", "malformed HTTP request"));
            break;
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log::error("unhandled exception: {}", what);
        send(res, error_reply(500, "internal", what));
      });
  server.set_logger(
      [this](const httplib::Request& req, const httplib::Response& res) { log_request(req, res); });

  Service& s = service;
  server.Post("/v1/predict", [&s](const httplib::Request& req, httplib::Response& res) {
    send(res, s.predict(req.body,
                        req.has_param("explain") && query_flag(req.get_param_value("explain"))));
  });
  server.Post("/v1/feedback", [&s](const httplib::Request& req, httplib::Response& res) {
    send(res, s.feedback(req.body));
  });
  server.Post("/admin/reload", [&s](const httplib::Request& req, httplib::Response& res) {
    send(res, s.reload(req.get_header_value("Authorization"), req.body));
  });
  server.Get("/healthz",
             [&s](const httplib::Request&, httplib::Response& res) { send(res, s.healthz()); });
  server.Get("/readyz",
             [&s](const httplib::Request&, httplib::Response& res) { send(res, s.readyz()); });
  server.Get("/v1/model",
             [&s](const httplib::Request&, httplib::Response& res) { send(res, s.model_info()); });
  server.Get("/v1/monitor",
             [&s](const httplib::Request&, httplib::Response& res) { send(res, s.monitor()); });
  server.Get("/metrics",
             [&s](const httplib::Request&, httplib::Response& res) { send(res, s.metrics()); });
  server.Get("/",
             [&s](const httplib::Request&, httplib::Response& res) { send(res, s.index_page()); });
}

void HttpServer::Impl::log_request(const httplib::Request& req, const httplib::Response& res) {
  const double seconds = t_request.started
                             ? std::chrono::duration<double>(Clock::now() - t_request.start).count()
                             : 0.0;
  t_request.started = false;
  const char* method = known_route_method(req.path);
  service.record_request(method != nullptr ? req.path : "other", res.status, seconds);
  if (!access) return;
  nlohmann::json line{
      {"time", fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", fmt::gmtime(std::time(nullptr)))},
      {"type", "access"},
      {"method", req.method},
      {"path", method != nullptr ? req.path : std::string("(other)")},
      {"status", res.status},
      {"duration_ms", seconds * 1e3},
      {"bytes_in", req.body.size()},
      {"bytes_out", res.body.size()},
      {"remote", req.remote_addr}};
  line.update(t_request.log);
  access->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

HttpServer::HttpServer(Service& service) : impl_(std::make_unique<Impl>(service)) {
  impl_->configure();
}

HttpServer::~HttpServer() = default;

int HttpServer::bind(const std::string& host, int port) {
  const int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                              : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    throw Error(
        ErrorCode::kIo,
        fmt::format("cannot listen on {}:{} (in use, or not an address of this host)", host, port));
  }
  return bound;
}

void HttpServer::run() { impl_->server.listen_after_bind(); }

void HttpServer::stop() { impl_->server.stop(); }

bool HttpServer::running() const { return impl_->server.is_running(); }

}  // namespace zhsenti::serve
