#pragma once
// Runs `zhsenti serve` as a child process on a free loopback port (--port 0; the port is read
// from its "listening on" line) and talks to it with a minimal HTTP/1.1 client over plain
// sockets, so tests can also send what a well-behaved client would not.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace zhsenti::testing {

struct HttpResponse {
  int status = 0;                              // 0: no response (connection refused or closed)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// One request on a fresh connection ("Connection: close").
HttpResponse http_request(int port, const std::string& method, const std::string& path,
                          const std::string& body = "",
                          const std::vector<std::pair<std::string, std::string>>& headers = {});

// A keep-alive connection for load loops. Reconnects when the server closes it.
class HttpConnection {
 public:
  explicit HttpConnection(int port) : port_(port) {}
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;
  HttpResponse post(const std::string& path, const std::string& body);

 private:
  int port_;
  int fd_ = -1;
  std::string buffer_;
};

// The request bytes a well-behaved client sends (Content-Type JSON unless given, and
// Content-Length for a body or a POST).
std::string build_request(const std::string& method, const std::string& path,
                          const std::string& body = "",
                          const std::vector<std::pair<std::string, std::string>>& headers = {},
                          bool close = false);

// A raw client connection: sends bytes exactly as given and reads answers one by one, for
// pipelining, slow clients and many connections.
class RawConnection {
 public:
  explicit RawConnection(int port);  // throws std::runtime_error when it cannot connect
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool send(const std::string& bytes);
  // The next answer; status 0 when the connection closed or nothing came within `timeout`.
  // head: the answer to a HEAD request (no body follows its Content-Length).
  HttpResponse read(std::chrono::milliseconds timeout = std::chrono::seconds(30),
                    bool head = false);
  // Whether the server closed the connection within `timeout` (bytes it sent are dropped).
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string buffer_;
};

class ServerProcess {
 public:
  // Starts `zhsenti serve <args> --port 0` and waits for its listening line (throws on exit).
  explicit ServerProcess(std::vector<std::string> args);
  ~ServerProcess();  // SIGKILL if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  void signal(int sig) const;
  // Exit code, or -1 when it did not exit in time (then it is killed).
  int wait_exit(std::chrono::milliseconds timeout);
  // What the server logged on stderr so far.
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

}  // namespace zhsenti::testing
