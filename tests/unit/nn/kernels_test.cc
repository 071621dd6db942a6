// gemm against the naive reference, ISA selection, and every ISA's SIMD kernels against
// double-precision math and against the generic build.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/kernel_table.h"
#include "kernels/packed_gemm.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/nn/kernels/cpu_isa.h"
#include "zhsenti/nn/kernels/gemm.h"
#include "zhsenti/nn/workspace.h"

namespace zhsenti::nn {
namespace {

std::vector<float> random_floats(std::size_t n, unsigned seed, float lo = -1, float hi = 1) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (const Isa isa : {Isa::kGeneric, Isa::kAvx2, Isa::kAvx512}) {
    if (isa_supported(isa)) out.push_back(isa);
  }
  return out;
}

TEST(Gemm, MatchesReferenceForAllTransposesStridesAndBetas) {
  const int m = 13, n = 21, k = 9;
  for (const Trans ta : {Trans::kNo, Trans::kYes}) {
    for (const Trans tb : {Trans::kNo, Trans::kYes}) {
      for (const float beta : {0.0f, 1.0f, 0.5f}) {
        const int lda = (ta == Trans::kNo ? k : m) + 3;
        const int ldb = (tb == Trans::kNo ? n : k) + 2;
        const int ldc = n + 5;
        const auto a = random_floats(static_cast<std::size_t>(ta == Trans::kNo ? m : k) * lda, 1);
        const auto b = random_floats(static_cast<std::size_t>(tb == Trans::kNo ? k : n) * ldb, 2);
        auto c1 = random_floats(static_cast<std::size_t>(m) * ldc, 3);
        auto c2 = c1;
        gemm(ta, tb, m, n, k, 0.7f, a.data(), lda, b.data(), ldb, beta, c1.data(), ldc);
        gemm_reference(ta, tb, m, n, k, 0.7f, a.data(), lda, b.data(), ldb, beta, c2.data(), ldc);
        for (std::size_t i = 0; i < c1.size(); ++i) ASSERT_NEAR(c1[i], c2[i], 1e-5) << i;
      }
    }
  }
}

TEST(Gemm, BetaZeroIgnoresGarbageAndEmptySizesAreNoOps) {
  const auto a = random_floats(6, 1), b = random_floats(6, 2);
  std::vector<float> c(4, std::nanf(""));
  gemm(Trans::kNo, Trans::kNo, 2, 2, 3, 1.0f, a.data(), 3, b.data(), 2, 0.0f, c.data(), 2);
  for (const float x : c) EXPECT_FALSE(std::isnan(x));
  std::vector<float> d = {1, 2, 3, 4};
  gemm(Trans::kNo, Trans::kNo, 2, 2, 0, 1.0f, a.data(), 1, b.data(), 2, 0.5f, d.data(), 2);
  EXPECT_EQ(d, (std::vector<float>{0.5f, 1, 1.5f, 2}));
  gemm(Trans::kNo, Trans::kNo, 0, 2, 3, 1.0f, a.data(), 3, b.data(), 2, 0.0f, d.data(), 2);
  EXPECT_THROW(gemm(Trans::kNo, Trans::kNo, 2, 2, 3, 1.0f, a.data(), 2, b.data(), 2, 0.0f,
                    d.data(), 2),
               Error);
}

TEST(Gemm, RowParallelSplitMatchesSerialAndRepeatsBitForBit) {
  const int m = 200, n = 64, k = 48;
  const auto a = random_floats(static_cast<std::size_t>(k) * m, 4);
  const auto b = random_floats(static_cast<std::size_t>(k) * n, 5);
  std::vector<float> serial(static_cast<std::size_t>(m) * n), parallel(serial.size());
  ThreadPool pool(3);
  // A transposed exercises the column offset of each row block.
  gemm(Trans::kYes, Trans::kNo, m, n, k, 1.0f, a.data(), m, b.data(), n, 0.0f, serial.data(), n);
  gemm_rows_parallel(&pool, Trans::kYes, Trans::kNo, m, n, k, 1.0f, a.data(), m, b.data(), n,
                     0.0f, parallel.data(), n);
  for (std::size_t i = 0; i < serial.size(); ++i) ASSERT_NEAR(parallel[i], serial[i], 1e-5) << i;
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<float> again(serial.size());
    gemm_rows_parallel(&pool, Trans::kYes, Trans::kNo, m, n, k, 1.0f, a.data(), m, b.data(), n,
                       0.0f, again.data(), n);
    ASSERT_EQ(again, parallel);
  }
}

TEST(PackedGemm, EveryIsaMatchesTheReferenceForAllShapes) {
  Workspace ws(1);
  for (const Isa isa : supported_isas()) {
    const KernelTable& k = kernels_for(isa);
    // m over every tile-height remainder, n with partial panels, both layouts of B (packed
    // copy and in place), A plain and transposed.
    for (const int m : {1, 2, 5, 6, 7, 11, 12, 13, 25, 40}) {
      for (const int n : {1, 7, 16, 33, 64, 70}) {
        for (const Trans tb : {Trans::kNo, Trans::kYes}) {
          for (const Trans ta : {Trans::kNo, Trans::kYes}) {
            for (const float beta : {0.0f, 1.0f}) {
              const int kk = 19, ldc = n + 2;
              const int lda = (ta == Trans::kNo ? kk : m) + 3;
              const int ldb = tb == Trans::kNo ? n + 1 : kk + 1;
              const auto a = random_floats(static_cast<std::size_t>(ta == Trans::kNo ? m : kk) * lda, 40);
              const auto b = random_floats(static_cast<std::size_t>(tb == Trans::kNo ? kk : n) * ldb, 41);
              auto c1 = random_floats(static_cast<std::size_t>(m) * ldc, 42);
              auto c2 = c1;
              ws.reset();
              const PackedB pb = pack_b_width(tb, kk, n, b.data(), ldb, ws, k.gemm_panel);
              if (k.gemm_packed == nullptr) {
                gemm(ta, tb, m, n, kk, 1.0f, a.data(), lda, b.data(), ldb, beta, c1.data(), ldc);
              } else {
                PackedGemmArgs g;
                g.m = m;
                g.n = n;
                g.k = kk;
                g.a = a.data();
                g.lda = lda;
                g.a_trans = ta == Trans::kYes;
                g.panels = pb.panels;
                g.row_stride = pb.row_stride;
                g.panel_stride = pb.panel_stride;
                g.beta = beta;
                g.c = c1.data();
                g.ldc = ldc;
                k.gemm_packed(g);
              }
              gemm_reference(ta, tb, m, n, kk, 1.0f, a.data(), lda, b.data(), ldb, beta,
                             c2.data(), ldc);
              // Also checks that the columns between n and ldc are untouched.
              for (std::size_t i = 0; i < c1.size(); ++i) {
                ASSERT_NEAR(c1[i], c2[i], 1e-5) << isa_name(isa) << " m=" << m << " n=" << n
                                                << " ta=" << (ta == Trans::kYes) << " i=" << i;
              }
            }
          }
        }
      }
    }
  }
}

TEST(PackedGemm, TransposedAccumulationOverLongK) {
  // Weight-gradient shape: C (m x n) += A^T B over k tokens, k spanning several blocks.
  const int m = 37, n = 45, k = 700, lda = m + 3, ldb = n + 1, ldc = n + 4;
  const auto a = random_floats(static_cast<std::size_t>(k) * lda, 50);
  const auto b = random_floats(static_cast<std::size_t>(k) * ldb, 51);
  auto c1 = random_floats(static_cast<std::size_t>(m) * ldc, 52);
  auto c2 = c1;
  gemm_tn_accumulate(m, n, k, a.data(), lda, b.data(), ldb, c1.data(), ldc);
  gemm_reference(Trans::kYes, Trans::kNo, m, n, k, 1.0f, a.data(), lda, b.data(), ldb, 1.0f,
                 c2.data(), ldc);
  for (std::size_t i = 0; i < c1.size(); ++i) ASSERT_NEAR(c1[i], c2[i], 1e-4) << i;
}

TEST(CpuIsa, NamesParseAndDetection) {
  for (const Isa isa : {Isa::kGeneric, Isa::kAvx2, Isa::kAvx512}) {
    EXPECT_EQ(parse_isa(isa_name(isa)), isa);
  }
  EXPECT_THROW(parse_isa("sse9"), Error);
  EXPECT_TRUE(isa_supported(Isa::kGeneric));
  EXPECT_TRUE(isa_supported(detected_isa()));
  EXPECT_TRUE(isa_supported(active_isa()));
  EXPECT_EQ(kernels().isa, active_isa());
  for (const Isa isa : supported_isas()) EXPECT_EQ(kernels_for(isa).isa, isa);
}

TEST(Kernels, ActivationsMatchDoubleMathOnEveryIsa) {
  std::vector<float> x;
  for (float v = -30.0f; v <= 30.0f; v += 0.0137f) x.push_back(v);
  for (const float v : {0.0f, 1e-8f, -1e-6f, 1e-3f, 0.6249f, 0.6251f, 88.0f, -100.0f}) x.push_back(v);
  std::vector<float> s(x.size()), t(x.size());
  for (const Isa isa : supported_isas()) {
    const KernelTable& k = kernels_for(isa);
    k.sigmoid(x.data(), s.data(), x.size());
    k.tanh(x.data(), t.data(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double xs = x[i];
      const double sig = 1.0 / (1.0 + std::exp(-xs));
      const double th = std::tanh(xs);
      ASSERT_NEAR(s[i], sig, 2e-7 + 4e-7 * sig) << isa_name(isa) << " sigmoid(" << x[i] << ")";
      ASSERT_NEAR(t[i], th, 2e-7 * std::max(std::fabs(th), 1e-3)) << isa_name(isa) << " tanh(" << x[i] << ")";
    }
  }
}

// One LSTM forward + backward step for `rows` rows through the given kernels.
struct LstmResult {
  std::vector<float> gates, c, h, dgates, dc;
};

LstmResult run_lstm(const KernelTable& k, int rows, int prev_rows, int hd) {
  LstmResult r;
  const int g = 4 * hd;
  r.gates = random_floats(static_cast<std::size_t>(rows) * g, 10, -3, 3);
  const auto bias = random_floats(static_cast<std::size_t>(g), 11);
  const auto c_prev = random_floats(static_cast<std::size_t>(rows) * hd, 12, -2, 2);
  r.c.resize(static_cast<std::size_t>(rows) * hd);
  r.h = r.c;
  CellStepArgs f;
  f.rows = rows;
  f.prev_rows = prev_rows;
  f.hidden = hd;
  f.gates = r.gates.data();
  f.ld_gates = g;
  f.bias = bias.data();
  f.c_prev = c_prev.data();
  f.ld_c_prev = hd;
  f.c = r.c.data();
  f.ld_c = hd;
  f.h = r.h.data();
  f.ld_h = hd;
  k.lstm_forward(f);
  r.dgates = r.gates;
  r.dc = random_floats(static_cast<std::size_t>(rows) * hd, 13);
  const auto dh = random_floats(static_cast<std::size_t>(rows) * hd, 14);
  CellStepArgs b;
  b.rows = rows;
  b.prev_rows = prev_rows;
  b.hidden = hd;
  b.gates = r.dgates.data();
  b.ld_gates = g;
  b.c_prev = c_prev.data();
  b.ld_c_prev = hd;
  b.c = r.c.data();
  b.ld_c = hd;
  b.dh = dh.data();
  b.ld_dh = hd;
  b.dc = r.dc.data();
  b.ld_dc = hd;
  k.lstm_backward(b);
  return r;
}

void expect_near_all(const std::vector<float>& a, const std::vector<float>& b, double tol,
                     const std::string& what) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], tol) << what << "[" << i << "]";
}

TEST(Kernels, LstmStepAgreesAcrossIsasAndWithTheEquations) {
  const int rows = 3, prev_rows = 2, hd = 37;  // 37 = two AVX-512 blocks + a tail
  const LstmResult ref = run_lstm(generic_kernel_table(), rows, prev_rows, hd);
  // The generic build against the LSTM equations in double for one element per row.
  const auto pre = random_floats(static_cast<std::size_t>(rows) * 4 * hd, 10, -3, 3);
  const auto bias = random_floats(static_cast<std::size_t>(4 * hd), 11);
  const auto c_prev = random_floats(static_cast<std::size_t>(rows) * hd, 12, -2, 2);
  auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  for (int r = 0; r < rows; ++r) {
    const int j = 5 + r;
    auto at = [&](int gate) { return static_cast<double>(pre[r * 4 * hd + gate * hd + j]) + bias[gate * hd + j]; };
    const double cp = r < prev_rows ? c_prev[r * hd + j] : 0.0;
    const double c = sig(at(1)) * cp + sig(at(0)) * std::tanh(at(2));
    EXPECT_NEAR(ref.c[r * hd + j], c, 1e-6);
    EXPECT_NEAR(ref.h[r * hd + j], sig(at(3)) * std::tanh(c), 1e-6);
  }
  for (const Isa isa : supported_isas()) {
    const LstmResult got = run_lstm(kernels_for(isa), rows, prev_rows, hd);
    const std::string name(isa_name(isa));
    expect_near_all(got.h, ref.h, 1e-6, name + " h");
    expect_near_all(got.c, ref.c, 1e-6, name + " c");
    expect_near_all(got.dgates, ref.dgates, 1e-6, name + " dgates");
    expect_near_all(got.dc, ref.dc, 1e-6, name + " dc");
  }
}

// bf16 steps keep h_{t-1} W_hh^T in a scratch of their own and hand it to the gate kernel
// (hh): the same as adding it into the gates first, for the rows with a previous state.
TEST(Kernels, SeparateHiddenProductEqualsOneAddedIntoTheGates) {
  const int rows = 5, prev_rows = 3, hd = 21;
  for (const Isa isa : supported_isas()) {
    const KernelTable& k = kernels_for(isa);
    for (const int gates : {4, 1}) {  // lstm, rnn
      const int g = gates * hd;
      const auto pre = random_floats(static_cast<std::size_t>(rows) * g, 40, -2, 2);
      const auto hh = random_floats(static_cast<std::size_t>(prev_rows) * g, 41, -2, 2);
      const auto bias = random_floats(static_cast<std::size_t>(g), 42);
      const auto c_prev = random_floats(static_cast<std::size_t>(rows) * hd, 43);
      std::vector<float> summed = pre;
      for (int r = 0; r < prev_rows; ++r) {
        for (int j = 0; j < g; ++j) summed[r * g + j] += hh[r * g + j];
      }
      std::vector<float> separate = pre, h1(static_cast<std::size_t>(rows) * hd), h2 = h1, c1 = h1,
                         c2 = h1;
      const bool lstm = gates == 4;
      CellStepArgs a{.rows = rows,
                     .prev_rows = prev_rows,
                     .hidden = hd,
                     .gates = summed.data(),
                     .ld_gates = g,
                     .bias = bias.data(),
                     .c_prev = lstm ? c_prev.data() : nullptr,
                     .ld_c_prev = hd,
                     .c = lstm ? c1.data() : nullptr,
                     .ld_c = hd,
                     .h = h1.data(),
                     .ld_h = hd};
      const auto forward = lstm ? k.lstm_forward : k.rnn_forward;
      forward(a);
      a.gates = separate.data();
      a.hh = hh.data();
      a.ld_hh = g;
      if (lstm) a.c = c2.data();
      a.h = h2.data();
      forward(a);
      if (lstm) expect_near_all(c2, c1, 1e-6, std::string(isa_name(isa)) + " lstm c");
      const std::string what = std::string(isa_name(isa)) + (gates == 4 ? " lstm h" : " rnn h");
      expect_near_all(h2, h1, 1e-6, what);
    }
  }
}

// The rows (rows, width; leading dimension ld) of m copied into a table in reverse order,
// and a pointer per row to its copy: how a first-layer table hands rows to the kernels.
struct ReversedRows {
  std::vector<float> table;
  std::vector<const float*> rows;
  ReversedRows(const std::vector<float>& m, int count, int width, int ld)
      : table(static_cast<std::size_t>(count) * width), rows(count) {
    for (int r = 0; r < count; ++r) {
      float* dst = table.data() + static_cast<long>(count - 1 - r) * width;
      std::copy_n(m.data() + static_cast<long>(r) * ld, width, dst);
      rows[r] = dst;
    }
  }
};

// Inference's rational tanh and sigmoid against the exact ones, through every cell's
// forward kernel, with pre-activations out to +-12 (past the fit's clamp at 9): each function
// is within 4e-7, a gru's h within 1e-6 (z's error times |h_prev - n| <= 3 here). Inference
// stores no gate activations; given table rows (x_rows), it reads them instead of gates.
TEST(Kernels, InferenceForwardStaysWithin1e6OfTheExactOne) {
  const int rows = 3, prev_rows = 2, hd = 37;
  for (const Isa isa : supported_isas()) {
    const KernelTable& k = kernels_for(isa);
    const std::string name(isa_name(isa));
    const auto pre = random_floats(static_cast<std::size_t>(rows) * 4 * hd, 50, -12, 12);
    const auto bias = random_floats(static_cast<std::size_t>(4 * hd), 51);
    const auto hh = random_floats(static_cast<std::size_t>(rows) * 4 * hd, 52, -3, 3);
    const auto prev = random_floats(static_cast<std::size_t>(rows) * hd, 53, -2, 2);
    const ReversedRows lstm_rows(pre, rows, 4 * hd, 4 * hd), gru_rows(pre, rows, 3 * hd, 3 * hd),
        rnn_rows(pre, rows, hd, hd);
    enum { kTrain, kInference, kTable };
    std::vector<float> out[3][6];
    for (const int mode : {kTrain, kInference, kTable}) {
      auto& o = out[mode];
      const bool inference = mode != kTrain;
      for (auto& v : o) v.assign(static_cast<std::size_t>(rows) * 4 * hd, 0.0f);
      o[0] = pre;
      o[3] = pre;
      CellStepArgs la{.rows = rows,
                      .prev_rows = prev_rows,
                      .hidden = hd,
                      .gates = o[0].data(),
                      .ld_gates = 4 * hd,
                      .bias = bias.data(),
                      .c_prev = prev.data(),
                      .ld_c_prev = hd,
                      .c = o[1].data(),
                      .ld_c = hd,
                      .h = o[2].data(),
                      .ld_h = hd,
                      .inference = inference};
      CellStepArgs ga{.rows = rows,
                      .prev_rows = prev_rows,
                      .hidden = hd,
                      .gates = o[3].data(),
                      .ld_gates = 3 * hd,
                      .hh = hh.data(),
                      .ld_hh = 3 * hd,
                      .bias = bias.data(),
                      .b_hh = bias.data(),
                      .h_prev = prev.data(),
                      .ld_h_prev = hd,
                      .h = o[4].data(),
                      .ld_h = hd,
                      .inference = inference};
      std::vector<float> rnn_pre = pre;  // read only: rnn stores no activations
      CellStepArgs ra{.rows = rows,
                      .prev_rows = prev_rows,
                      .hidden = hd,
                      .gates = rnn_pre.data(),
                      .ld_gates = hd,
                      .hh = hh.data(),
                      .ld_hh = hd,
                      .bias = bias.data(),
                      .h = o[5].data(),
                      .ld_h = hd,
                      .inference = inference};
      if (mode == kTable) {
        la.gates = ga.gates = ra.gates = nullptr;
        la.x_rows = lstm_rows.rows.data();
        ga.x_rows = gru_rows.rows.data();
        ra.x_rows = rnn_rows.rows.data();
        la.x_rows_step = ga.x_rows_step = ra.x_rows_step = 1;
      }
      k.lstm_forward(la);
      k.gru_forward(ga);
      k.rnn_forward(ra);
    }
    const char* what[] = {"lstm gates", "lstm c", "lstm h", "gru gates", "gru h", "rnn h"};
    for (const int i : {1, 2, 4, 5}) {
      expect_near_all(out[kInference][i], out[kTrain][i], i == 4 ? 1e-6 : 4e-7,
                      name + " " + what[i]);
      EXPECT_NE(out[kInference][i], out[kTrain][i]) << name << " " << what[i] << ": exact ran";
      EXPECT_EQ(out[kTable][i], out[kInference][i]) << name << " " << what[i] << " from x_rows";
    }
    EXPECT_EQ(out[kInference][0], pre) << name << ": inference stored lstm gate activations";
    EXPECT_EQ(out[kInference][3], pre) << name << ": inference stored gru gate activations";
  }
}

TEST(Kernels, GruAndRnnStepsAgreeAcrossIsas) {
  const int rows = 4, prev_rows = 3, hd = 19, g = 3 * hd;
  struct Out {
    std::vector<float> gates, hn, h, dgates, dgh, dh_prev, rnn_h, rnn_d;
  };
  auto run = [&](const KernelTable& k) {
    Out o;
    o.gates = random_floats(static_cast<std::size_t>(rows) * g, 20, -2, 2);
    const auto hh = random_floats(static_cast<std::size_t>(rows) * g, 21);
    const auto b_ih = random_floats(static_cast<std::size_t>(g), 22);
    const auto b_hh = random_floats(static_cast<std::size_t>(g), 23);
    const auto h_prev = random_floats(static_cast<std::size_t>(rows) * hd, 24);
    o.hn.resize(static_cast<std::size_t>(rows) * hd);
    o.h = o.hn;
    k.gru_forward({.rows = rows,
                   .prev_rows = prev_rows,
                   .hidden = hd,
                   .gates = o.gates.data(),
                   .ld_gates = g,
                   .hh = hh.data(),
                   .ld_hh = g,
                   .bias = b_ih.data(),
                   .b_hh = b_hh.data(),
                   .h_prev = h_prev.data(),
                   .ld_h_prev = hd,
                   .hn = o.hn.data(),
                   .ld_hn = hd,
                   .h = o.h.data(),
                   .ld_h = hd});
    o.dgates = o.gates;
    o.dgh.resize(o.gates.size());
    o.dh_prev = random_floats(static_cast<std::size_t>(rows) * hd, 25);
    const auto dh = random_floats(static_cast<std::size_t>(rows) * hd, 26);
    k.gru_backward({.rows = rows,
                    .prev_rows = prev_rows,
                    .hidden = hd,
                    .gates = o.dgates.data(),
                    .ld_gates = g,
                    .h_prev = h_prev.data(),
                    .ld_h_prev = hd,
                    .hn = o.hn.data(),
                    .ld_hn = hd,
                    .dh = dh.data(),
                    .ld_dh = hd,
                    .dgh = o.dgh.data(),
                    .ld_dgh = g,
                    .dh_prev = o.dh_prev.data(),
                    .ld_dh_prev = hd});
    auto pre = random_floats(static_cast<std::size_t>(rows) * hd, 27, -3, 3);
    o.rnn_h.resize(pre.size());
    o.rnn_d.resize(pre.size());
    const auto rnn_hh = random_floats(static_cast<std::size_t>(rows) * hd, 28);
    k.rnn_forward({.rows = rows,
                   .prev_rows = prev_rows,
                   .hidden = hd,
                   .gates = pre.data(),
                   .ld_gates = hd,
                   .hh = rnn_hh.data(),
                   .ld_hh = hd,
                   .bias = b_ih.data(),
                   .h = o.rnn_h.data(),
                   .ld_h = hd});
    k.rnn_backward({.rows = rows,
                    .hidden = hd,
                    .gates = o.rnn_d.data(),
                    .ld_gates = hd,
                    .h = o.rnn_h.data(),
                    .ld_h = hd,
                    .dh = dh.data(),
                    .ld_dh = hd});
    return o;
  };
  const Out ref = run(generic_kernel_table());
  for (const Isa isa : supported_isas()) {
    const Out got = run(kernels_for(isa));
    const std::string name(isa_name(isa));
    expect_near_all(got.h, ref.h, 1e-6, name + " gru h");
    expect_near_all(got.hn, ref.hn, 1e-6, name + " gru hn");
    expect_near_all(got.dgates, ref.dgates, 1e-6, name + " gru dgates");
    expect_near_all(got.dgh, ref.dgh, 1e-6, name + " gru dgh");
    expect_near_all(got.dh_prev, ref.dh_prev, 1e-6, name + " gru dh_prev");
    expect_near_all(got.rnn_h, ref.rnn_h, 1e-6, name + " rnn h");
    expect_near_all(got.rnn_d, ref.rnn_d, 1e-6, name + " rnn dpre");
  }
}

TEST(Kernels, AdamAgreesAcrossIsasAndWithDoubleMath) {
  const std::size_t n = 45;
  for (const Isa isa : supported_isas()) {
    auto p = random_floats(n, 30), m = random_floats(n, 31, 0, 0.1f), v = random_floats(n, 32, 0, 0.01f);
    const auto g = random_floats(n, 33);
    const auto p0 = p, m0 = m, v0 = v;
    AdamArgs a;
    a.n = n;
    a.param = p.data();
    a.grad = g.data();
    a.m = m.data();
    a.v = v.data();
    a.beta1 = 0.9f;
    a.beta2 = 0.99f;
    a.eps = 1e-6f;
    a.step_size = 0.01f / 0.19f;
    a.bias2_sqrt = std::sqrt(0.0199f);
    a.l2 = 0.1f;
    a.decay_factor = 0.999f;
    kernels_for(isa).adam(a);
    for (std::size_t i = 0; i < n; ++i) {
      const double gi = g[i] + 0.1 * p0[i];
      const double mi = 0.9 * m0[i] + 0.1 * gi;
      const double vi = 0.99 * v0[i] + 0.01 * gi * gi;
      const double pi = p0[i] * 0.999 - (0.01 / 0.19) * mi / (std::sqrt(vi) / std::sqrt(0.0199) + 1e-6);
      ASSERT_NEAR(m[i], mi, 1e-7) << isa_name(isa);
      ASSERT_NEAR(v[i], vi, 1e-8) << isa_name(isa);
      ASSERT_NEAR(p[i], pi, 2e-6) << isa_name(isa);
    }
  }
}

}  // namespace
}  // namespace zhsenti::nn
