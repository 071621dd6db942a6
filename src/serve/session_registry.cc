#include "session_registry.h"

#include <vector>

#include "http_session.h"

namespace zhsenti::serve {

bool SessionRegistry::add(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard lock(mutex_);
  if (stopping_ || sessions_.size() >= max_) return false;
  sessions_.emplace(session.get(), session);
  stats_.open = static_cast<std::int64_t>(sessions_.size());
  return true;
}

void SessionRegistry::remove(const HttpSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
  stats_.open = static_cast<std::int64_t>(sessions_.size());
}

void SessionRegistry::stop_all() {
  std::vector<std::shared_ptr<HttpSession>> open;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [ptr, weak] : sessions_) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  // Outside the lock: a session that ends now removes itself.
  for (auto& s : open) s->stop();
}

}  // namespace zhsenti::serve
