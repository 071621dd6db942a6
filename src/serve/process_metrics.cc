#include "zhsenti/serve/process_metrics.h"

#include <fmt/format.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "zhsenti/serve/metrics.h"

namespace zhsenti::serve {
namespace {

struct Stat {
  double cpu_seconds = 0;
  double start_seconds = 0;  // since the epoch
  bool ok = false;
};

// /proc/self/stat: utime and stime (fields 14, 15) and starttime (22), in clock ticks; the
// command (field 2) may hold spaces, so fields are counted after its closing parenthesis.
Stat read_stat() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(line.substr(close + 2));
  std::string f;
  double utime = 0, stime = 0, start = 0;
  for (int field = 3; fields >> f; ++field) {
    if (field == 14) utime = std::stod(f);
    if (field == 15) stime = std::stod(f);
    if (field == 22) {
      start = std::stod(f);
      break;
    }
  }
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  struct sysinfo info {};
  if (ticks <= 0 || ::sysinfo(&info) != 0) return {};
  const double boot = static_cast<double>(std::time(nullptr)) - static_cast<double>(info.uptime);
  return {(utime + stime) / ticks, boot + start / ticks, true};
}

// /proc/self/statm: resident pages (second field).
double resident_bytes() {
  std::ifstream in("/proc/self/statm");
  double size = 0, resident = -1;
  if (!(in >> size >> resident)) return -1;
  return resident * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

void render_process_metrics(std::string& out) {
  if (const Stat s = read_stat(); s.ok) {
    family_header(out, "process_cpu_seconds_total", "counter",
                  "Total user and system CPU time spent in seconds.");
    out += fmt::format("process_cpu_seconds_total {}\n", sample(s.cpu_seconds));
    family_header(out, "process_start_time_seconds", "gauge",
                  "Start time of the process since unix epoch in seconds.");
    out += fmt::format("process_start_time_seconds {}\n", sample(s.start_seconds));
  }
  if (const double rss = resident_bytes(); rss >= 0) {
    family_header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out += fmt::format("process_resident_memory_bytes {}\n", sample(rss));
  }
  std::error_code ec;
  std::size_t fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec))
    ++fds;
  if (!ec) {
    family_header(out, "process_open_fds", "gauge", "Number of open file descriptors.");
    out += fmt::format("process_open_fds {}\n", fds);
  }
}

}  // namespace zhsenti::serve
