// int8 inference (`zhsenti quantize`) against bf16 and fp32 (and the quantised weights with
// fp32 activations) on a real model and real texts,
// in one process so the ratios share the machine's state: every text encoded once, then
//   batch    the whole file through Predictor::predict_encoded (batches of 64) on one thread,
//            rounds alternating between the precisions, texts/s of each round's best;
//   single   each text alone (batch of 1), median and p90 latency per precision.
// Prints one JSON line per precision.
//   int8_bench --fp32 MODEL --int8 QUANTISED_MODEL --texts FILE [--rounds 5] [--single 300]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "zhsenti/nn/workspace.h"
#include "zhsenti/predict/predictor.h"

namespace {

using Clock = std::chrono::steady_clock;
using zhsenti::nn::Precision;
using zhsenti::predict::Predictor;

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

struct Run {
  std::string name;
  std::shared_ptr<const Predictor> predictor;
  zhsenti::vocab::EncodedCorpus corpus;
  double best_batch = 1e30;
  std::vector<double> single;
};

}  // namespace

int main(int argc, char** argv) {
  std::string fp32, int8, texts_file;
  int rounds = 5, single = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--fp32") fp32 = argv[i + 1];
    if (flag == "--int8") int8 = argv[i + 1];
    if (flag == "--texts") texts_file = argv[i + 1];
    if (flag == "--rounds") rounds = std::stoi(argv[i + 1]);
    if (flag == "--single") single = std::stoi(argv[i + 1]);
  }
  if (fp32.empty() || int8.empty() || texts_file.empty()) {
    fmt::print(
        stderr,
        "usage: int8_bench --fp32 MODEL --int8 MODEL --texts FILE [--rounds N] [--single N]\n");
    return 2;
  }
  std::vector<std::string> texts;
  std::ifstream in(texts_file);
  for (std::string line; std::getline(in, line);) texts.push_back(line);

  const auto load = [](const std::string& dir, Precision p) {
    Predictor::LoadOptions o;
    o.precision = p;
    return Predictor::load(dir, o);
  };
  std::vector<Run> runs;
  runs.push_back({"fp32", load(fp32, Precision::kFp32), {}, 1e30, {}});
  runs.push_back({"bf16", load(fp32, Precision::kBf16), {}, 1e30, {}});
  runs.push_back({"int8", load(int8, Precision::kInt8), {}, 1e30, {}});
  // The alternative to dynamic quantisation: int8 weights, fp32 activations (the quantised
  // model's dequantised weights through the fp32 kernels).
  runs.push_back({"int8 weights, fp32 activations", load(int8, Precision::kFp32), {}, 1e30, {}});
  const int classes = runs[0].predictor->num_classes();
  std::vector<float> out(texts.size() * static_cast<std::size_t>(classes));
  for (Run& r : runs) {
    r.predictor->encode_all(texts, r.corpus);
    zhsenti::nn::Workspace ws(1);
    r.predictor->predict_encoded(r.corpus, ws, out);  // warm-up: packing, workspace growth
  }
  for (int k = 0; k < rounds; ++k) {
    for (Run& r : runs) {
      zhsenti::nn::Workspace ws(1);
      r.predictor->predict_encoded(r.corpus, ws, out);
      const auto t0 = Clock::now();
      r.predictor->predict_encoded(r.corpus, ws, out);
      r.best_batch = std::min(r.best_batch, seconds(t0, Clock::now()));
    }
  }
  const int n_single = std::min<int>(single, static_cast<int>(texts.size()));
  std::vector<float> one(static_cast<std::size_t>(classes));
  for (Run& r : runs) {
    zhsenti::nn::Workspace ws(1);
    for (int i = 0; i < n_single; ++i) {
      zhsenti::vocab::EncodedCorpus c;
      c.push_back(r.corpus.sequence(static_cast<std::size_t>(i)));
      r.predictor->predict_encoded(c, ws, one);
      const auto t0 = Clock::now();
      r.predictor->predict_encoded(c, ws, one);
      r.single.push_back(seconds(t0, Clock::now()));
    }
    std::sort(r.single.begin(), r.single.end());
  }
  const double bf16_batch = runs[1].best_batch;
  for (const Run& r : runs) {
    const auto at = [&](double q) {
      return 1e3 * r.single[static_cast<std::size_t>(q * (r.single.size() - 1))];
    };
    fmt::print(
        "{{\"bench\": \"int8\", \"precision\": \"{}\", \"texts\": {}, \"batch_texts_per_s\": "
        "{:.1f}, "
        "\"batch_speed_vs_bf16\": {:.3f}, \"single_ms_p50\": {:.3f}, \"single_ms_p90\": {:.3f}}}\n",
        r.name, texts.size(), static_cast<double>(texts.size()) / r.best_batch,
        bf16_batch / r.best_batch, at(0.5), at(0.9));
  }
  return 0;
}
