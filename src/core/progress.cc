#include "zhsenti/core/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace zhsenti {
namespace {

std::atomic<bool> g_enabled{true};
constexpr std::int64_t kTtyIntervalNs = 100'000'000;     // 10 redraws per second
constexpr std::int64_t kPlainIntervalNs = 5'000'000'000;  // a log line every 5 s

std::string human_count(double v) {
  if (v >= 1e9) return fmt::format("{:.2f}G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (v >= 1e4) return fmt::format("{:.1f}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

std::string human_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 359999) return "--:--";
  const auto s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

}  // namespace

void Progress::set_enabled(bool enabled) { g_enabled = enabled; }

Progress::Progress(std::string label, std::uint64_t total, std::string unit, std::FILE* out)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      out_(out),
      tty_(out != nullptr && ::isatty(::fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()) {
  next_draw_ns_ = tty_ ? 0 : kPlainIntervalNs;
}

Progress::~Progress() { finish(); }

void Progress::advance(std::uint64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - start_).count();
  std::int64_t due = next_draw_ns_.load(std::memory_order_relaxed);
  if (now_ns < due) return;
  const std::int64_t interval = tty_ ? kTtyIntervalNs : kPlainIntervalNs;
  if (!next_draw_ns_.compare_exchange_strong(due, now_ns + interval)) return;
  std::lock_guard lock(mutex_);
  if (!finished_) draw(false);
}

void Progress::set_status(std::string status) {
  std::lock_guard lock(mutex_);
  status_ = std::move(status);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  draw(true);
}

void Progress::draw(bool final) {
  if (!g_enabled || out_ == nullptr) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const auto done = static_cast<double>(done_.load());
  const double rate = elapsed > 0 ? done / elapsed : 0.0;
  std::string line = label_;
  if (total_ > 0) {
    const double frac = std::min(1.0, done / static_cast<double>(total_));
    if (tty_) {
      constexpr int kWidth = 24;
      const int filled = static_cast<int>(frac * kWidth);
      line += " [" + std::string(static_cast<std::size_t>(filled), '#') +
              std::string(static_cast<std::size_t>(kWidth - filled), '.') + "]";
    }
    line += fmt::format(" {:5.1f}% {}/{} {}", frac * 100, human_count(done),
                        human_count(static_cast<double>(total_)), unit_);
    const double eta = rate > 0 ? (static_cast<double>(total_) - done) / rate : -1;
    line += fmt::format(" {}/s {} eta {}", human_count(rate), human_duration(elapsed),
                        final ? "00:00" : human_duration(eta));
  } else {
    line += fmt::format(" {} {} {}/s {}", human_count(done), unit_, human_count(rate),
                        human_duration(elapsed));
  }
  if (!status_.empty()) line += "  " + status_;
  if (tty_) {
    fmt::print(out_, "\r\033[K{}{}", line, final ? "\n" : "");
  } else {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
}

}  // namespace zhsenti
