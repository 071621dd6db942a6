// Single-thread segmentation throughput on ChnSentiCorp train, measured the way the jieba peer
// (../shared/bench/peers/jieba_speed.py) measures itself: dictionary load timed separately,
// then every text cut `--repeat` times, best pass reported. MB = 10^6 bytes of UTF-8 text
// (texts only). Prints one JSON object.
//
//   segment_speed [--data FILE.tsv] [--repeat N] [--pos] [--no-hmm] [--cache-dir DIR]

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/text/segmenter.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU time of this thread: unlike wall time it does not count the time other processes on a
// busy machine hold the core.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// label<TAB>text rows after a header, as common.load_tsv reads them.
std::vector<std::string> read_tsv_texts(const std::string& path) {
  const std::string data = zhsenti::read_file(path);
  std::vector<std::string> texts;
  std::size_t start = data.find('\n');
  while (start != std::string::npos && start + 1 < data.size()) {
    ++start;
    std::size_t end = data.find('\n', start);
    if (end == std::string::npos) end = data.size();
    std::string_view line(data.data() + start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (const auto tab = line.find('\t'); !line.empty() && tab != std::string_view::npos) {
      texts.emplace_back(line.substr(tab + 1));
    }
    start = end < data.size() ? end : std::string::npos;
  }
  return texts;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_path;
  if (const char* env = std::getenv("ZHSENTI_DATA"))
    data_path = std::string(env) + "/chnsenticorp/train.tsv";
  else
    data_path = std::string(ZHSENTI_SOURCE_DIR) + "/../shared/data/chnsenticorp/train.tsv";
  int repeat = 5;
  bool pos = false;
  zhsenti::text::SegmenterOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc)
      data_path = argv[++i];
    else if (arg == "--repeat" && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--pos")
      pos = true;
    else if (arg == "--no-hmm")
      options.hmm = false;
    else if (arg == "--cache-dir" && i + 1 < argc)
      options.cache_dir = argv[++i];
    else {
      fmt::print(
          stderr,
          "usage: segment_speed [--data F] [--repeat N] [--pos] [--no-hmm] [--cache-dir D]\n");
      return 2;
    }
  }
  try {
    const std::vector<std::string> texts = read_tsv_texts(data_path);
    std::size_t bytes = 0;
    for (const auto& t : texts) bytes += t.size();

    const auto t_load = Clock::now();
    const auto seg = zhsenti::text::Segmenter::load(options);
    const double load_s = seconds_since(t_load);

    std::vector<std::string_view> tokens;
    std::vector<zhsenti::text::TaggedToken> tagged;
    std::size_t n_tokens = 0;
    std::vector<double> times;
    std::vector<double> cpu_times;
    for (int r = 0; r < repeat; ++r) {
      n_tokens = 0;
      const auto t0 = Clock::now();
      const double c0 = thread_cpu_seconds();
      for (const auto& t : texts) {
        if (pos) {
          seg->cut_pos(t, tagged);
          n_tokens += tagged.size();
        } else {
          seg->cut(t, tokens);
          n_tokens += tokens.size();
        }
      }
      cpu_times.push_back(thread_cpu_seconds() - c0);
      times.push_back(seconds_since(t0));
    }
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    if (sorted.empty() || cpu_times.empty()) return 1;
    const double best = sorted.front();
    const double median = sorted[sorted.size() / 2];
    const double best_cpu = *std::min_element(cpu_times.begin(), cpu_times.end());
    fmt::print(
        "{{\"system\": \"zhsenti\", \"mode\": \"{}\", \"texts\": {}, \"bytes\": {}, \"tokens\": "
        "{}, "
        "\"dict_load_s\": {:.4f}, \"cache_hit\": {}, \"repeat\": {}, \"seconds\": {:.4f}, "
        "\"seconds_median\": {:.4f}, \"mb_per_s\": {:.3f}, \"mb_per_s_median\": {:.3f}, "
        "\"cpu_seconds\": {:.4f}, \"mb_per_cpu_s\": {:.3f}}}\n",
        pos ? "posseg" : (options.hmm ? "precise,HMM" : "precise"), texts.size(), bytes, n_tokens,
        load_s, seg->info().cache_hit, repeat, best, median, bytes / 1e6 / best,
        bytes / 1e6 / median, best_cpu, bytes / 1e6 / best_cpu);
  } catch (const std::exception& e) {
    fmt::print(stderr, "segment_speed: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
