#pragma once
// One HTTP/1.1 connection, event-driven on Boost.Beast: it reads a request under deadlines
// (idle keep-alive, header block, body), hands blocking endpoints to the request threads and
// cheap ones to no thread at all, writes the answer, and goes on with the next request —
// pipelined requests are already in its buffer and are answered in order. A connection never
// holds a thread while it waits, so slow clients cannot starve the others.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "zhsenti/serve/service.h"

namespace spdlog {
class logger;
}

namespace zhsenti::serve {

class SessionRegistry;

// What every connection shares: the service, the request threads and the registry that
// counts connections and closes them at shutdown.
struct SessionContext {
  Service& service;
  boost::asio::io_context& io;
  boost::asio::thread_pool& requests;
  SessionRegistry& registry;
  std::shared_ptr<spdlog::logger> access;  // null: no access log
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, SessionContext& context);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // Serves requests until the client leaves, a deadline passes or the server stops.
  void start();
  // Answers 503 (the server is at --max-connections) and closes.
  void reject();
  // Server shutdown: a connection waiting for a request closes now, one handling a request
  // closes once its answer is written. Safe from any thread.
  void stop();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;
  using Clock = std::chrono::steady_clock;

  void wait_for_request();
  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_request(boost::beast::error_code ec);
  void fail_request(boost::beast::error_code ec);
  void dispatch(const Route& route);
  void respond(Reply reply, bool head);
  void write();
  void on_write(boost::beast::error_code ec);
  void drain_and_close();
  void drain(std::size_t drained);
  void on_stop();
  void log_access(const Reply& reply, std::string_view label, double seconds) const;

  SessionContext& context_;
  const ServeOptions& options_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Request request_;
  Response response_;
  std::string remote_;
  Clock::time_point started_{};  // when the current request was read
  std::size_t served_ = 0;       // answers written
  bool registered_ = false;
  bool handling_ = false;  // a request is read and not yet answered
  bool stopping_ = false;
  bool close_ = false;  // close once the current answer is written
};

}  // namespace zhsenti::serve
