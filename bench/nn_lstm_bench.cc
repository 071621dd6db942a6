// Speed of zhsenti's engine on the PyTorch peer's word-BiLSTM setting
// (../shared/bench/peers/torch_rnn.py: embed 128, hidden 128, 1 layer, bidirectional,
// batch 64, vocabulary ~30k, Adam, cross-entropy).
//
// Batches: random (unsorted, like the peer's shuffled batches) ragged lengths drawn from a
// lognormal fitted to ChnSentiCorp's jieba word counts truncated at 256 (mean 65.3,
// log-mean 3.93, log-sd 0.70); ids log-uniform over the vocabulary (Zipf-like).
//
// Reports (last line of stdout is one JSON object):
//   train   tokens/s of a full step: zero_grad + forward + loss + backward + Adam, and the
//           split between those parts;
//   lstm    GFLOP/s of the recurrent layer alone (forward + backward), FLOPs counted as
//           6 G (I + H) per token and direction (G = 4H): forward x W_ih^T and h W_hh^T,
//           backward dX, dW_ih, dh, dW_hh;
//   infer   sentences/s at batch 1 and batch 64 (predict_proba), without and with the
//           precomputed first-layer input table (Classifier::prepare_inference), in fp32
//           and with bf16 recurrent products (kernels/precision.h; ZHSENTI_BF16 picks the
//           implementation);
//   peak    FLOP/s of a register-only FMA loop (12 independent accumulators) per ISA and
//           thread count, and the fraction of it the LSTM layer reaches.
//
// Usage: nn_lstm_bench [--threads N] [--blas-threads N] [--cell lstm|gru|rnn] [--steps N]
//                      [--batch N] [--vocab N] [--embed N] [--hidden N] [--bucketed]
//                      [--lazy-adam] [--infer-sentences N]
// ZHSENTI_ISA=generic|avx2|avx512 selects the element-wise kernels.

#include <fmt/format.h>
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "zhsenti/core/rng.h"
#include "zhsenti/nn/kernels/cpu_isa.h"
#include "zhsenti/nn/kernels/precision.h"
#include "zhsenti/nn/loss/cross_entropy.h"
#include "zhsenti/nn/models/classifier.h"
#include "zhsenti/nn/optim/optimizer.h"
#include "zhsenti/nn/threads.h"

namespace {

using Clock = std::chrono::steady_clock;
using zhsenti::Rng;
namespace nn = zhsenti::nn;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds used by the whole process (all threads). On a shared machine wall time
// includes waiting for the CPU; wall / (cpu / threads) shows how much.
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Options {
  int threads = 2;
  int blas_threads = 1;
  nn::CellType cell = nn::CellType::kLstm;
  int steps = 40;
  int batch = 64;
  int vocab = 30000;
  int embed = 128;
  int hidden = 128;
  bool bucketed = false;
  bool lazy_adam = false;
  int infer_sentences = 600;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--threads")
      o.threads = std::atoi(next());
    else if (a == "--blas-threads")
      o.blas_threads = std::atoi(next());
    else if (a == "--cell")
      o.cell = zhsenti::parse_setting<nn::CellType>(next(), zhsenti::SettingNames::kFlags, "cell");
    else if (a == "--steps")
      o.steps = std::atoi(next());
    else if (a == "--batch")
      o.batch = std::atoi(next());
    else if (a == "--vocab")
      o.vocab = std::atoi(next());
    else if (a == "--embed")
      o.embed = std::atoi(next());
    else if (a == "--hidden")
      o.hidden = std::atoi(next());
    else if (a == "--bucketed")
      o.bucketed = true;
    else if (a == "--lazy-adam")
      o.lazy_adam = true;
    else if (a == "--infer-sentences")
      o.infer_sentences = std::atoi(next());
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      std::exit(2);
    }
  }
  if (o.steps < 2 || o.threads < 1 || o.batch < 1 || o.infer_sentences < 1) {
    std::fprintf(stderr,
                 "need --steps >= 2, --threads >= 1, --batch >= 1, --infer-sentences >= 1\n");
    std::exit(2);
  }
  return o;
}

struct Data {
  std::vector<int32_t> ids, lengths;
};

int draw_length(Rng& rng) {
  const double l = std::exp(3.93 + 0.70 * rng.normal());
  return std::clamp(static_cast<int>(std::lround(l)), 1, 256);
}

Data make_batch(Rng& rng, int batch, int vocab, bool bucketed) {
  Data d;
  for (int b = 0; b < batch; ++b) d.lengths.push_back(draw_length(rng));
  if (bucketed) std::sort(d.lengths.begin(), d.lengths.end());
  // Bucketing: a batch of similar lengths (the sorted draw is compressed to its middle).
  if (bucketed)
    std::fill(d.lengths.begin(), d.lengths.end(), d.lengths[static_cast<std::size_t>(batch / 2)]);
  for (const int32_t len : d.lengths) {
    for (int t = 0; t < len; ++t) {
      // log-uniform rank in [2, vocab): Zipf-like frequencies, no padding id.
      const double u = rng.uniform_double();
      d.ids.push_back(
          std::min(vocab - 1, 2 + static_cast<int>(std::exp(u * std::log(vocab - 2.0)))));
    }
  }
  return d;
}

// --- peak FLOP/s: 12 independent FMA chains per thread, no memory traffic ---
__attribute__((target("avx512f"))) double fma_loop_avx512(long iters) {
  __m512 a[12];
  for (int i = 0; i < 12; ++i) a[i] = _mm512_set1_ps(1.0f + static_cast<float>(i) * 1e-7f);
  const __m512 m = _mm512_set1_ps(0.9999999f), b = _mm512_set1_ps(1e-8f);
  for (long k = 0; k < iters; ++k) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) a[i] = _mm512_fmadd_ps(a[i], m, b);
  }
  __m512 r = a[0];
  for (int i = 1; i < 12; ++i) r = _mm512_add_ps(r, a[i]);
  float out[16];
  _mm512_storeu_ps(out, r);
  return static_cast<double>(out[0]);
}

__attribute__((target("avx2,fma"))) double fma_loop_avx2(long iters) {
  __m256 a[12];
  for (int i = 0; i < 12; ++i) a[i] = _mm256_set1_ps(1.0f + static_cast<float>(i) * 1e-7f);
  const __m256 m = _mm256_set1_ps(0.9999999f), b = _mm256_set1_ps(1e-8f);
  for (long k = 0; k < iters; ++k) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) a[i] = _mm256_fmadd_ps(a[i], m, b);
  }
  __m256 r = a[0];
  for (int i = 1; i < 12; ++i) r = _mm256_add_ps(r, a[i]);
  float out[8];
  _mm256_storeu_ps(out, r);
  return static_cast<double>(out[0]);
}

// FLOP/s of the FMA loop on `threads` threads at once.
double peak_flops(nn::Isa isa, int threads) {
  const long iters = 50'000'000;
  const int width = isa == nn::Isa::kAvx512 ? 16 : 8;
  std::vector<std::thread> pool;
  std::vector<double> sink(static_cast<std::size_t>(threads));
  const auto t0 = Clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      sink[static_cast<std::size_t>(t)] =
          isa == nn::Isa::kAvx512 ? fma_loop_avx512(iters) : fma_loop_avx2(iters);
    });
  }
  for (auto& th : pool) th.join();
  const double s = seconds_since(t0);
  if (sink[0] == 12345.0) std::puts("");  // keep the loops alive
  return threads * static_cast<double>(iters) * 12 * width * 2 / s;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  nn::set_threads(o.threads);
  nn::set_blas_threads(o.blas_threads);
  nn::ClassifierConfig cfg;
  cfg.vocab_size = o.vocab;
  cfg.embed_dim = o.embed;
  cfg.hidden = o.hidden;
  cfg.cell = o.cell;
  cfg.pool = nn::PoolType::kLast;
  cfg.ngram_buckets = 0;
  cfg.embed_dropout = 0.0f;
  cfg.dropout = 0.5f;
  nn::Classifier model(cfg, 42);
  nn::Adam opt(model.params(), {.lr = 1e-3f, .lazy_sparse = o.lazy_adam});
  nn::Workspace ws(o.threads);
  opt.set_pool(ws.pool());
  Rng data_rng(7), dropout_rng(8);

  std::vector<Data> batches;
  long total_tokens = 0;
  for (int s = 0; s < o.steps; ++s) {
    batches.push_back(make_batch(data_rng, o.batch, o.vocab, o.bucketed));
    for (const int32_t l : batches.back().lengths) total_tokens += l;
  }
  std::vector<int32_t> labels(static_cast<std::size_t>(o.batch));
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int32_t>(i % 2);
  nn::Tensor dlogits;

  double t_fwd = 0, t_bwd = 0, t_opt = 0;
  auto step = [&](const Data& d, bool timed) {
    const nn::Batch batch{d.ids, d.lengths};
    auto t0 = Clock::now();
    model.params().zero_grad();
    const nn::Tensor& z = model.forward(batch, ws, true, &dropout_rng);
    dlogits.resize({z.dim(0), z.dim(1)});
    nn::cross_entropy(z.span(), labels, cfg.num_classes, {}, dlogits.span());
    const double f = seconds_since(t0);
    t0 = Clock::now();
    model.backward(batch, dlogits, ws);
    const double b = seconds_since(t0);
    t0 = Clock::now();
    opt.step(model.params());
    const double u = seconds_since(t0);
    if (timed) t_fwd += f, t_bwd += b, t_opt += u;
  };
  for (int w = 0; w < std::min(3, o.steps); ++w) step(batches[static_cast<std::size_t>(w)], false);
  const auto t_train0 = Clock::now();
  const double cpu0 = process_cpu_seconds();
  for (const Data& d : batches) step(d, true);
  const double train_s = seconds_since(t_train0);
  const double train_cpu_s = process_cpu_seconds() - cpu0;
  const double tokens_per_s = static_cast<double>(total_tokens) / train_s;
  const double tokens_per_cpu_s = static_cast<double>(total_tokens) / train_cpu_s;

  // The recurrent layer alone: forward + backward on the embedded batches.
  nn::ParamStore lstm_params;
  nn::RecurrentLayer layer(lstm_params, "enc", o.cell, o.embed, o.hidden,
                           true);
  Rng init(3);
  layer.init_pytorch(lstm_params, init);
  nn::Workspace lws(o.threads);
  double lstm_s = 0;
  for (std::size_t s = 0; s < batches.size(); ++s) {
    const Data& d = batches[s];
    lws.reset();
    const nn::PackedBatch pb = nn::pack_batch(d.lengths, lws);
    float* x = lws.floats(static_cast<std::size_t>(pb.rows) * o.embed);
    for (std::size_t i = 0; i < static_cast<std::size_t>(pb.rows) * o.embed; ++i)
      x[i] = 0.01f * static_cast<float>(i % 97);
    float* out = lws.floats(static_cast<std::size_t>(pb.rows) * layer.output_dim());
    float* dout = lws.floats(static_cast<std::size_t>(pb.rows) * layer.output_dim());
    float* dx = lws.floats(static_cast<std::size_t>(pb.rows) * o.embed);
    nn::RecurrentLayer::Cache cache;
    const auto t0 = Clock::now();
    layer.forward(lstm_params, pb, x, o.embed, out, true, cache, lws);
    std::memcpy(dout, out, sizeof(float) * static_cast<std::size_t>(pb.rows) * layer.output_dim());
    layer.backward(lstm_params, pb, dout, dx, cache, lws);
    if (s > 0) lstm_s += seconds_since(t0);  // the first pass warms the arena
  }
  const long lstm_tokens =
      total_tokens -
      static_cast<long>(std::accumulate(batches[0].lengths.begin(), batches[0].lengths.end(), 0L));
  const double g = nn::gate_count(o.cell) * o.hidden;
  const double lstm_flops =
      6.0 * g * (o.embed + o.hidden) * 2 /*directions*/ * static_cast<double>(lstm_tokens);
  const double lstm_gflops = lstm_flops / lstm_s / 1e9;

  // Inference.
  Rng infer_rng(11);
  std::vector<Data> sentences;
  for (int i = 0; i < o.infer_sentences; ++i)
    sentences.push_back(make_batch(infer_rng, 1, o.vocab, false));
  std::vector<float> probs(static_cast<std::size_t>(64 * cfg.num_classes));
  auto infer = [&](int bs) {
    nn::Workspace iws(o.threads);
    auto run = [&](std::size_t first, std::size_t count) {
      Data d;
      for (std::size_t i = first; i < first + count; ++i) {
        d.ids.insert(d.ids.end(), sentences[i].ids.begin(), sentences[i].ids.end());
        d.lengths.push_back(sentences[i].lengths[0]);
      }
      model.predict_proba({d.ids, d.lengths}, iws,
                          std::span<float>(probs.data(), count * cfg.num_classes));
    };
    // One untimed pass sizes the workspace for the largest batch.
    for (std::size_t i = 0; i < sentences.size(); i += static_cast<std::size_t>(bs)) {
      run(i, std::min(static_cast<std::size_t>(bs), sentences.size() - i));
    }
    const auto t0 = Clock::now();
    const double c0 = process_cpu_seconds();
    for (std::size_t i = 0; i < sentences.size(); i += static_cast<std::size_t>(bs)) {
      run(i, std::min(static_cast<std::size_t>(bs), sentences.size() - i));
    }
    const auto n = static_cast<double>(sentences.size());
    return std::pair{n / seconds_since(t0), n / (process_cpu_seconds() - c0)};
  };
  const auto [infer1, infer1_cpu] = infer(1);
  const auto [infer64, infer64_cpu] = infer(64);
  // The same with the first layer's input projection precomputed per vocabulary row.
  const bool table = model.prepare_inference();
  const auto [tinfer1, tinfer1_cpu] = table ? infer(1) : std::pair{0.0, 0.0};
  const auto [tinfer64, tinfer64_cpu] = table ? infer(64) : std::pair{0.0, 0.0};
  // bf16 recurrent products (kernels/precision.h), with the table and then without it.
  model.set_inference_precision(nn::Precision::kBf16);
  const auto [btinfer1, btinfer1_cpu] = table ? infer(1) : std::pair{0.0, 0.0};
  const auto [btinfer64, btinfer64_cpu] = table ? infer(64) : std::pair{0.0, 0.0};
  model.prepare_inference(0);  // drops the table
  const auto [binfer1, binfer1_cpu] = infer(1);
  const auto [binfer64, binfer64_cpu] = infer(64);

  const nn::Isa isa = nn::active_isa();
  const nn::Isa peak_isa = isa == nn::Isa::kGeneric ? nn::Isa::kAvx2 : isa;
  const double peak1 = nn::isa_supported(peak_isa) ? peak_flops(peak_isa, 1) : 0;
  const double peak_n = nn::isa_supported(peak_isa) ? peak_flops(peak_isa, o.threads) : 0;
  const double peak_avx2_n =
      nn::isa_supported(nn::Isa::kAvx2) ? peak_flops(nn::Isa::kAvx2, o.threads) : 0;

  std::fprintf(
      stderr,
      "isa %s threads %d blas %d | train %.0f tokens/s, %.0f tokens per CPU-second "
      "(fwd %.1f%% bwd %.1f%% adam %.1f%%) | "
      "%s layer %.1f GFLOP/s = %.0f%% of %s FMA peak on %d threads (%.1f GFLOP/s; "
      "%.0f%% of AVX2 peak %.1f) | infer b1 %.0f/s (%.0f per CPU-s) b64 %.0f/s (%.0f per CPU-s) | "
      "with table (%.0f MB) b1 %.0f/s (%.0f per CPU-s) b64 %.0f/s (%.0f per CPU-s) | "
      "bf16 (%s) b1 %.0f/s (%.0f per CPU-s) b64 %.0f/s (%.0f per CPU-s), with table "
      "b1 %.0f/s b64 %.0f/s\n",
      std::string(nn::isa_name(isa)).c_str(), o.threads, o.blas_threads, tokens_per_s,
      tokens_per_cpu_s, 100 * t_fwd / train_s, 100 * t_bwd / train_s, 100 * t_opt / train_s,
      std::string(zhsenti::name_of(o.cell)).c_str(), lstm_gflops, 100 * lstm_gflops * 1e9 / peak_n,
      std::string(nn::isa_name(peak_isa)).c_str(), o.threads, peak_n / 1e9,
      100 * lstm_gflops * 1e9 / peak_avx2_n, peak_avx2_n / 1e9, infer1, infer1_cpu, infer64,
      infer64_cpu, static_cast<double>(model.inference_table_bytes()) / 1e6, tinfer1, tinfer1_cpu,
      tinfer64, tinfer64_cpu, std::string(nn::bf16_impl_name(nn::active_bf16_impl())).c_str(),
      binfer1, binfer1_cpu, binfer64, binfer64_cpu, btinfer1, btinfer64);
  std::printf(
      "%s\n",
      fmt::format(
          R"({{"bench": "nn_lstm_bench", "isa": "{}", "threads": {}, "blas_threads": {}, "cell": "{}", )"
          R"("batch": {}, "vocab": {}, "embed": {}, "hidden": {}, "bucketed": {}, "lazy_adam": {}, )"
          R"("steps": {}, "tokens": {}, "train_tokens_per_s": {:.1f}, "train_tokens_per_cpu_s": {:.1f}, "train_s": {:.3f}, )"
          R"("forward_share": {:.3f}, "backward_share": {:.3f}, "adam_share": {:.3f}, )"
          R"("layer_gflops": {:.2f}, "peak_gflops_1thread": {:.1f}, "peak_gflops_all_threads": {:.1f}, )"
          R"("peak_isa": "{}", "layer_fraction_of_peak": {:.3f}, "peak_avx2_gflops_all_threads": {:.1f}, )"
          R"("infer_batch1_sent_per_s": {:.1f}, "infer_batch64_sent_per_s": {:.1f}, )"
          R"("infer_batch1_sent_per_cpu_s": {:.1f}, "infer_batch64_sent_per_cpu_s": {:.1f}, )"
          R"("table_mb": {:.1f}, "table_infer_batch1_sent_per_s": {:.1f}, "table_infer_batch64_sent_per_s": {:.1f}, )"
          R"("table_infer_batch1_sent_per_cpu_s": {:.1f}, "table_infer_batch64_sent_per_cpu_s": {:.1f}, )"
          R"("bf16_impl": "{}", "bf16_infer_batch1_sent_per_s": {:.1f}, "bf16_infer_batch64_sent_per_s": {:.1f}, )"
          R"("bf16_infer_batch1_sent_per_cpu_s": {:.1f}, "bf16_infer_batch64_sent_per_cpu_s": {:.1f}, )"
          R"("bf16_table_infer_batch1_sent_per_s": {:.1f}, "bf16_table_infer_batch64_sent_per_s": {:.1f}, )"
          R"("infer_sentences": {}}})",
          nn::isa_name(isa), o.threads, o.blas_threads, zhsenti::name_of(o.cell), o.batch, o.vocab, o.embed, o.hidden,
          o.bucketed, o.lazy_adam, o.steps, total_tokens, tokens_per_s, tokens_per_cpu_s, train_s,
          t_fwd / train_s, t_bwd / train_s, t_opt / train_s, lstm_gflops, peak1 / 1e9, peak_n / 1e9,
          nn::isa_name(peak_isa), lstm_gflops * 1e9 / peak_n, peak_avx2_n / 1e9, infer1, infer64,
          infer1_cpu, infer64_cpu, static_cast<double>(model.inference_table_bytes()) / 1e6,
          tinfer1, tinfer64, tinfer1_cpu, tinfer64_cpu, nn::bf16_impl_name(nn::active_bf16_impl()),
          binfer1, binfer64, binfer1_cpu, binfer64_cpu, btinfer1, btinfer64, o.infer_sentences)
          .c_str());
  return 0;
}
