#include "http_session.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <ctime>

#include "session_registry.h"
#include "zhsenti/core/log.h"

namespace zhsenti::serve {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::size_t kReadChunk = 4096;
// After an answer that closes the connection, what the client still sends is read and
// dropped for a moment: closing with unread bytes would reset the connection, and the client
// could lose the answer (a 413 before it finished sending its body, say).
constexpr auto kDrainTime = std::chrono::seconds(1);
constexpr std::size_t kDrainBytes = std::size_t{4} << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Beast (Boost 1.74) speaks boost::string_view.
std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

bool quiet_end(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::operation_aborted ||
         ec == net::error::broken_pipe || ec == beast::error::timeout ||
         ec == http::error::partial_message;
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, SessionContext& context)
    : context_(context), options_(context.service.options()), stream_(std::move(socket)) {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = peer.address().to_string();
  stream_.socket().set_option(net::ip::tcp::no_delay(true), ec);
}

HttpSession::~HttpSession() {
  if (registered_) context_.registry.remove(this);
}

void HttpSession::start() {
  registered_ = true;
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
}

void HttpSession::stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->on_stop(); });
}

void HttpSession::on_stop() {
  stopping_ = true;
  if (handling_) return;  // its answer says Connection: close, then the connection closes
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_.close();
}

void HttpSession::wait_for_request() {
  if (stopping_) return drain_and_close();
  parser_.emplace();
  parser_->header_limit(kMaxHeaderBytes);
  parser_->body_limit(options_.max_body);
  if (buffer_.size() > 0) return read_header();  // pipelined: the next request is here already
  // A new connection must start its request within the header deadline; a kept-alive one
  // may idle longer.
  stream_.expires_after(served_ == 0 ? options_.header_timeout : options_.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            if (ec) return self->fail_request(ec);
                            self->buffer_.commit(n);
                            self->read_header();
                          });
}

void HttpSession::read_header() {
  // One deadline for the whole header block, however slowly it trickles in.
  stream_.expires_after(options_.header_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            self->on_header(ec);
                          });
}

void HttpSession::on_header(beast::error_code ec) {
  if (ec) return fail_request(ec);
  const auto expect = parser_->get()[http::field::expect];
  if (!parser_->is_done() && beast::iequals(expect, "100-continue")) {
    stream_.expires_after(options_.request_timeout);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code wec, std::size_t) {
                       if (wec) return self->fail_request(wec);
                       self->read_body();
                     });
    return;
  }
  read_body();
}

void HttpSession::read_body() {
  if (parser_->is_done()) return on_request({});
  stream_.expires_after(options_.request_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->on_request(ec);
                   });
}

void HttpSession::on_request(beast::error_code ec) {
  if (ec) return fail_request(ec);
  request_ = parser_->release();
  parser_.reset();
  started_ = Clock::now();
  handling_ = true;
  ++context_.registry.stats().in_flight;
  stream_.expires_never();
  auto routed = resolve_route(sv(request_.method_string()), sv(request_.target()));
  if (auto* error = std::get_if<Reply>(&routed)) return respond(std::move(*error), false);
  dispatch(std::get<Route>(routed));
}

void HttpSession::fail_request(beast::error_code ec) {
  if (quiet_end(ec) || stopping_ || !parser_) {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    return;
  }
  // The request cannot be read to its end: answer why and close.
  Reply reply =
      ec == http::error::body_limit
          ? error_reply(413, "body_too_large",
                        fmt::format("the request body exceeds {} bytes", options_.max_body))
      : ec == http::error::header_limit
          ? error_reply(431, "headers_too_large",
                        fmt::format("the request's header block exceeds {} bytes", kMaxHeaderBytes))
          : error_reply(400, "bad_request", fmt::format("malformed HTTP request: {}", ec.message()));
  // What the parser got of the request line names the endpoint in the metrics and log.
  request_ = {};
  request_.method_string(parser_->get().method_string());
  request_.target(parser_->get().target());
  parser_.reset();
  started_ = Clock::now();
  handling_ = true;
  close_ = true;
  ++context_.registry.stats().in_flight;
  respond(std::move(reply), false);
}

void HttpSession::dispatch(const Route& route) {
  Service& service = context_.service;
  const auto handle = [&service, route, this] {
    try {
      return service.handle(route, sv(request_[http::field::authorization]), request_.body());
    } catch (const std::exception& e) {
      log::error("request failed: {}", e.what());
      return error_reply(500, "internal", e.what());
    }
  };
  if (!route.blocking) return respond(handle(), route.head);
  // The request threads may wait for the model; the work guard keeps the I/O loop alive
  // until the answer is posted back, even while a shutdown has closed everything else.
  net::post(context_.requests, [self = shared_from_this(), handle, head = route.head,
                                work = net::make_work_guard(context_.io)]() mutable {
    Reply reply = handle();
    net::post(self->stream_.get_executor(),
              [self, head, reply = std::move(reply)]() mutable { self->respond(std::move(reply), head); });
  });
}

void HttpSession::respond(Reply reply, bool head) {
  const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  const std::string_view label = endpoint_label(sv(request_.target()));
  context_.service.record_request(label, reply.status, seconds);
  if (context_.access) log_access(reply, label, seconds);

  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(reply.status));
  response_.set(http::field::content_type, reply.content_type);
  for (auto& [name, value] : reply.headers) response_.set(name, value);
  response_.body() = std::move(reply.body);
  response_.keep_alive(request_.keep_alive() && !close_ && !stopping_);
  response_.prepare_payload();
  // HEAD: the GET answer's Content-Length, no body.
  if (head) response_.body().clear();
  write();
}

void HttpSession::write() {
  stream_.expires_after(options_.request_timeout);
  http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_write(ec);
  });
}

void HttpSession::on_write(beast::error_code ec) {
  if (handling_) {
    handling_ = false;
    --context_.registry.stats().in_flight;
  }
  ++served_;
  if (ec) {
    stream_.close();
    return;
  }
  if (!response_.keep_alive()) return drain_and_close();
  wait_for_request();
}

void HttpSession::reject() {
  response_ = {};
  response_.version(11);
  response_.result(http::status::service_unavailable);
  response_.set(http::field::content_type, "application/json");
  response_.set(http::field::retry_after, "1");
  response_.body() = error_body("too_many_connections",
                                fmt::format("the server holds {} connections, its most; retry "
                                            "shortly",
                                            options_.max_connections));
  response_.keep_alive(false);
  response_.prepare_payload();
  write();
}

void HttpSession::drain_and_close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  if (ec) return stream_.close();
  stream_.expires_after(kDrainTime);
  drain(0);
}

void HttpSession::drain(std::size_t drained) {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this(), drained](beast::error_code ec, std::size_t n) {
                            if (ec || drained + n > kDrainBytes) return self->stream_.close();
                            self->drain(drained + n);
                          });
}

void HttpSession::log_access(const Reply& reply, std::string_view label, double seconds) const {
  nlohmann::json line{
      {"time", fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", fmt::gmtime(std::time(nullptr)))},
      {"type", "access"},
      {"method", std::string(request_.method_string())},
      {"path", label == "other" ? std::string("(other)") : std::string(label)},
      {"status", reply.status},
      {"duration_ms", seconds * 1e3},
      {"bytes_in", request_.body().size()},
      {"bytes_out", reply.body.size()},
      {"remote", remote_}};
  line.update(reply.log);
  context_.access->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace zhsenti::serve
