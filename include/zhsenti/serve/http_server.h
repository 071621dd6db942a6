#pragma once
// The HTTP layer over Service: an event-driven HTTP/1.1 server (Boost.Beast on Boost.Asio)
// with keep-alive, pipelining, per-connection deadlines and a connection cap. Only src/serve
// sees Beast (pimpl), so the rest of the server and its tests do not depend on it.

#include <memory>
#include <string>

#include "zhsenti/serve/service.h"

namespace zhsenti::serve {

class HttpServer {
 public:
  explicit HttpServer(Service& service);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port (port 0: any free port) and returns the port. Throws Error(kIo).
  int bind(const std::string& host, int port);
  // Serves until stop(); requests in flight are answered before it returns.
  void run();
  // Stops accepting and closes idle connections; safe from any thread, also before run().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhsenti::serve
