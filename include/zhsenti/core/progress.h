#pragma once
// Progress for long-running commands: a redrawn bar with rate and ETA on a terminal, plain
// log lines at a fixed interval otherwise (CI logs, pipes). advance() is thread-safe and
// cheap enough for inner loops: it only touches an atomic counter unless a redraw is due.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace zhsenti {

class Progress {
 public:
  // total == 0: unknown total (no percentage or ETA). `unit` names what is counted.
  Progress(std::string label, std::uint64_t total, std::string unit = "items",
           std::FILE* out = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::uint64_t n = 1);
  // Extra text after the counters, e.g. "loss 0.312 acc 0.91".
  void set_status(std::string status);
  void finish();

  // Force plain-line mode (tests) or silence entirely (--quiet).
  static void set_enabled(bool enabled);

 private:
  void draw(bool final);

  std::string label_;
  std::uint64_t total_;
  std::string unit_;
  std::FILE* out_;
  bool tty_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::int64_t> next_draw_ns_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::string status_;
  bool finished_ = false;
};

}  // namespace zhsenti
