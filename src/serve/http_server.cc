#include "zhsenti/serve/http_server.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <thread>
#include <vector>

#include "http_session.h"
#include "session_registry.h"
#include "zhsenti/core/error.h"

namespace zhsenti::serve {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::shared_ptr<spdlog::logger> access_logger() {
  auto logger =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%v");
  return logger;
}

}  // namespace

struct HttpServer::Impl {
  Service& service;
  const ServeOptions& options;
  net::io_context io;
  net::thread_pool requests;
  tcp::acceptor acceptor;
  SessionRegistry registry;
  SessionContext context;

  explicit Impl(Service& s)
      : service(s),
        options(s.options()),
        io(std::max(options.io_threads, 1)),
        requests(static_cast<std::size_t>(std::max(options.threads, 1))),
        acceptor(net::make_strand(io)),
        registry(s.connections(), options.max_connections),
        context{s, io, requests, registry, options.access_log ? access_logger() : nullptr} {}

  void accept();
};

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(io), [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;  // stopped
    if (!ec) {
      auto session = std::make_shared<HttpSession>(std::move(socket), context);
      if (registry.add(session)) {
        session->start();
      } else {
        ++registry.stats().rejected;
        session->reject();
      }
    }
    // Other errors (out of descriptors, a connection reset before it was taken) concern one
    // connection; the server goes on accepting.
    accept();
  });
}

HttpServer::HttpServer(Service& service) : impl_(std::make_unique<Impl>(service)) {}

HttpServer::~HttpServer() = default;

int HttpServer::bind(const std::string& host, int port) {
  const auto fail = [&](const boost::system::error_code& ec) {
    return Error(ErrorCode::kIo,
                 fmt::format("cannot listen on {}:{} (in use, or not an address of this host): {}",
                             host, port, ec.message()));
  };
  boost::system::error_code ec;
  tcp::resolver resolver(impl_->io);
  const auto found = resolver.resolve(host, std::to_string(port),
                                      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || found.empty()) throw fail(ec);
  const tcp::endpoint endpoint = found.begin()->endpoint();
  tcp::acceptor& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  // Address reuse lets a restart bind at once; no SO_REUSEPORT, which would let a second
  // server bind the same port and silently take half the traffic.
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    a.close(ignored);
    throw fail(ec);
  }
  return a.local_endpoint().port();
}

void HttpServer::run() {
  impl_->accept();
  std::vector<std::thread> io_threads;
  for (int i = 1; i < impl_->options.io_threads; ++i)
    io_threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();  // until stop() closed the acceptor and every connection ended
  for (auto& t : io_threads) t.join();
  impl_->requests.join();
}

void HttpServer::stop() {
  net::post(impl_->acceptor.get_executor(), [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->registry.stop_all();
  });
}

}  // namespace zhsenti::serve
