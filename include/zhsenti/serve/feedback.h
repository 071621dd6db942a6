#pragma once
// The feedback loop: users report the true label of a text (or of an earlier prediction by
// its id); the server keeps live accuracy over a window and appends each report to a JSONL
// file (fsync'd per line, never rewritten) that training can read back as data.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

namespace zhsenti::serve {

// Recent predictions by id, bounded by count and bytes (texts can be long).
class PredictionCache {
 public:
  struct Entry {
    std::string text;
    std::string label;
    std::string model_version;
  };
  PredictionCache(std::size_t max_entries, std::size_t max_bytes);
  // A new id ("<process prefix>-<counter>").
  std::string next_id();
  void put(const std::string& id, Entry entry);
  std::optional<Entry> find(const std::string& id) const;

 private:
  std::size_t max_entries_, max_bytes_;
  std::string prefix_;
  std::atomic<std::uint64_t> counter_{0};
  mutable std::mutex mutex_;
  std::deque<std::string> order_;
  std::unordered_map<std::string, Entry> entries_;
  std::size_t bytes_ = 0;
};

class FeedbackLog {
 public:
  // Empty path: nothing is written. Throws Error(kIo) when the file cannot be opened.
  FeedbackLog(const std::filesystem::path& path, std::size_t window);
  ~FeedbackLog();
  FeedbackLog(const FeedbackLog&) = delete;
  FeedbackLog& operator=(const FeedbackLog&) = delete;

  // Appends one line and fsyncs it (throws Error(kIo)), then counts it for accuracy.
  void record(const nlohmann::json& line, bool correct);

  struct Accuracy {
    std::size_t window = 0;  // reports in the window
    double accuracy = 0;     // correct / window (NaN when empty)
    std::uint64_t total = 0, total_correct = 0;
  };
  Accuracy accuracy() const;
  bool stored() const { return fd_ >= 0; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::size_t window_;
  mutable std::mutex mutex_;
  std::deque<bool> recent_;
  std::size_t recent_correct_ = 0;
  std::uint64_t total_ = 0, total_correct_ = 0;
};

}  // namespace zhsenti::serve
