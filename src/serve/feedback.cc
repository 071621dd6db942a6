#include "zhsenti/serve/feedback.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti::serve {

PredictionCache::PredictionCache(std::size_t max_entries, std::size_t max_bytes)
    : max_entries_(max_entries), max_bytes_(max_bytes) {
  // A per-process prefix keeps ids from two server runs apart in one feedback file.
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  prefix_ = fmt::format(
      "{:x}{:x}",
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count()),
      static_cast<unsigned>(::getpid()) & 0xffffu);
}

std::string PredictionCache::next_id() { return fmt::format("{}-{}", prefix_, ++counter_); }

void PredictionCache::put(const std::string& id, Entry entry) {
  std::lock_guard lock(mutex_);
  bytes_ += entry.text.size() + id.size();
  entries_.insert_or_assign(id, std::move(entry));
  order_.push_back(id);
  while (!order_.empty() && (order_.size() > max_entries_ || bytes_ > max_bytes_)) {
    const auto it = entries_.find(order_.front());
    if (it != entries_.end()) {
      bytes_ -= it->second.text.size() + it->first.size();
      entries_.erase(it);
    }
    order_.pop_front();
  }
}

std::optional<PredictionCache::Entry> PredictionCache::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

FeedbackLog::FeedbackLog(const std::filesystem::path& path, std::size_t window)
    : path_(path), window_(std::max<std::size_t>(window, 1)) {
  if (path.empty()) return;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_io_error(path.string(), "cannot open the feedback file");
}

FeedbackLog::~FeedbackLog() {
  if (fd_ >= 0) ::close(fd_);
}

void FeedbackLog::record(const nlohmann::json& line, bool correct) {
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) {
    // One write per line with O_APPEND: lines never interleave, even across processes.
    write_fd(fd_, text, path_.string(), "cannot append feedback");
    if (::fdatasync(fd_) != 0) throw_io_error(path_.string(), "cannot sync feedback");
  }
  recent_.push_back(correct);
  recent_correct_ += correct;
  if (recent_.size() > window_) {
    recent_correct_ -= recent_.front();
    recent_.pop_front();
  }
  ++total_;
  total_correct_ += correct;
}

FeedbackLog::Accuracy FeedbackLog::accuracy() const {
  std::lock_guard lock(mutex_);
  Accuracy a;
  a.window = recent_.size();
  a.accuracy = recent_.empty()
                   ? std::numeric_limits<double>::quiet_NaN()
                   : static_cast<double>(recent_correct_) / static_cast<double>(recent_.size());
  a.total = total_;
  a.total_correct = total_correct_;
  return a;
}

}  // namespace zhsenti::serve
