#pragma once
// The open connections: counted against --max-connections and reachable at shutdown, when
// each is told to close (see HttpSession::stop).

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "zhsenti/serve/metrics.h"

namespace zhsenti::serve {

class HttpSession;

class SessionRegistry {
 public:
  SessionRegistry(ConnectionStats& stats, std::size_t max_connections)
      : stats_(stats), max_(max_connections) {}

  // Counts a new connection in; false when the cap is reached or the server is stopping.
  bool add(const std::shared_ptr<HttpSession>& session);
  void remove(const HttpSession* session);
  // Stops every connection and refuses new ones.
  void stop_all();
  ConnectionStats& stats() { return stats_; }

 private:
  ConnectionStats& stats_;
  std::size_t max_;
  std::mutex mutex_;
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;
  bool stopping_ = false;
};

}  // namespace zhsenti::serve
