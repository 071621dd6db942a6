// Cleaning throughput: every text of a data set through Cleaner::clean_append, best of
// --repeat passes, MB = 10^6 bytes of UTF-8 input text. Single thread by default (wall and
// thread CPU time, the latter not counting time other processes hold the core); --threads N
// splits the texts over a ThreadPool (wall time only). One JSON object per data set.
//
//   clean_speed [--data FILE]... [--repeat N] [--threads N] [--options JSON]
//   default data: ChnSentiCorp train.tsv and SMP2020-EWECT usual_train.csv

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "zhsenti/core/thread_pool.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/text/cleaner.h"

namespace {

using Clock = std::chrono::steady_clock;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void bench(const std::string& path, const zhsenti::text::Cleaner& cleaner, int repeat,
           std::size_t threads) {
  zhsenti::data::ReadOptions read;
  read.require_labels = false;
  const zhsenti::data::Dataset data = zhsenti::data::read_dataset(path, read);
  std::size_t bytes = 0;
  for (const auto& e : data.examples) bytes += e.text.size();
  const std::size_t n = data.examples.size();

  zhsenti::ThreadPool pool(threads);
  std::vector<std::string> outs(pool.size());
  std::vector<std::size_t> out_bytes(pool.size());
  std::vector<double> wall;
  std::vector<double> cpu;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = Clock::now();
    const double c0 = thread_cpu_seconds();
    pool.parallel_for(n, 64, [&](std::size_t begin, std::size_t end, std::size_t worker) {
      for (std::size_t i = begin; i < end; ++i) {
        outs[worker].clear();
        cleaner.clean_append(data.examples[i].text, outs[worker]);
        out_bytes[worker] += outs[worker].size();
      }
    });
    cpu.push_back(thread_cpu_seconds() - c0);
    wall.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(wall.begin(), wall.end());
  const double best = wall.front();
  const double median = wall[wall.size() / 2];
  const double best_cpu = *std::min_element(cpu.begin(), cpu.end());
  fmt::print(
      "{{\"system\": \"zhsenti\", \"data\": \"{}\", \"texts\": {}, \"bytes\": {}, \"threads\": {}, "
      "\"repeat\": {}, \"seconds\": {:.4f}, \"mb_per_s\": {:.1f}, \"mb_per_s_median\": "
      "{:.1f}{}}}\n",
      path, n, bytes, pool.size(), repeat, best, bytes / 1e6 / best, bytes / 1e6 / median,
      pool.size() == 1 ? fmt::format(", \"cpu_seconds\": {:.4f}, \"mb_per_cpu_s\": {:.1f}",
                                     best_cpu, bytes / 1e6 / best_cpu)
                       : std::string());
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = std::string(ZHSENTI_SOURCE_DIR) + "/../shared/data";
  if (const char* env = std::getenv("ZHSENTI_DATA")) root = env;
  std::vector<std::string> paths;
  int repeat = 5;
  std::size_t threads = 1;
  std::string options_json = "{}";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) {
      paths.emplace_back(argv[++i]);
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<std::size_t>(std::max(0, std::atoi(argv[++i])));
    } else if (arg == "--options" && i + 1 < argc) {
      options_json = argv[++i];
    } else {
      fmt::print(stderr,
                 "usage: clean_speed [--data FILE]... [--repeat N] [--threads N] "
                 "[--options JSON]\n");
      return 2;
    }
  }
  if (paths.empty()) {
    paths = {root + "/chnsenticorp/train.tsv", root + "/smp2020_ewect/usual_train.csv"};
  }
  try {
    const zhsenti::text::Cleaner cleaner(
        zhsenti::text::CleanOptions::from_json(nlohmann::json::parse(options_json)));
    for (const std::string& path : paths) bench(path, cleaner, repeat, threads);
  } catch (const std::exception& e) {
    fmt::print(stderr, "clean_speed: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
