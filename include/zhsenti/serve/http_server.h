#pragma once
// The HTTP layer over Service: routes, status codes, limits, access logs. The only file that
// includes cpp-httplib is http_server.cc (pimpl), so the rest of the server and its tests
// do not depend on it.

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
  // Serves until stop(); requests in flight finish before it returns.
  void run();
  // Stops accepting; safe from any thread once running() (a stop before run() is lost).
  void stop();
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhsenti::serve
