// Finite-difference checks of RNN/LSTM/GRU layers over ragged packed batches: every weight,
// bias and input element, uni- and bidirectional, serial and with interleaved row groups.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstring>

#include "gradcheck.h"
#include "test_util.h"
#include "zhsenti/nn/layers/recurrent.h"

namespace zhsenti::nn::testing {
namespace {

struct RecurrentCase {
  CellType cell;
  bool bidirectional;
  int threads;
  int input;
  int hidden;
  std::vector<int32_t> lengths;
};

std::string describe(const RecurrentCase& c) {
  return fmt::format("{}_{}_t{}_h{}_b{}", name_of(c.cell), c.bidirectional ? "bi" : "uni",
                     c.threads, c.hidden, c.lengths.size());
}

std::string case_name(const ::testing::TestParamInfo<RecurrentCase>& info) {
  return describe(info.param);
}

void PrintTo(const RecurrentCase& c, std::ostream* os) { *os << describe(c); }

class RecurrentGradCheck : public ::testing::TestWithParam<RecurrentCase> {};

TEST_P(RecurrentGradCheck, AllWeightsBiasesAndInputs) {
  const RecurrentCase& rc = GetParam();
  ParamStore store;
  RecurrentLayer layer(store, "enc", rc.cell, rc.input, rc.hidden, rc.bidirectional);
  randomize(store, 7, 0.6f);
  Workspace ws(rc.threads);
  int total = 0;
  for (const int32_t l : rc.lengths) total += l;
  std::vector<float> x = random_vector(static_cast<std::size_t>(total) * rc.input, 11);
  std::vector<float> dx(x.size());
  const std::size_t out_size = static_cast<std::size_t>(total) * layer.output_dim();
  RecurrentLayer::Cache cache;
  PackedBatch pb;

  GradCheckCase c;
  c.variables = param_variables(store);
  c.variables.push_back({"x", x.data(), dx.data(), x.size()});
  c.forward = [&] {
    ws.reset();
    pb = pack_batch(rc.lengths, ws);
    float* out = ws.floats(out_size);
    layer.forward(store, pb, x.data(), rc.input, out, true, cache, ws);
    return std::vector<float>(out, out + out_size);
  };
  c.backward = [&](const std::vector<float>& dout) {
    store.zero_grad();
    float* d = ws.floats(out_size);
    std::memcpy(d, dout.data(), out_size * sizeof(float));
    layer.backward(store, pb, d, dx.data(), cache, ws);
  };
  const GradCheckReport r = check_gradients(c);
  EXPECT_LE(r.worst_ratio, 1.0) << r.worst << " (" << r.checked << " elements)";
  EXPECT_EQ(r.checked, store.trainable_size() + x.size());
}

std::vector<RecurrentCase> recurrent_cases() {
  std::vector<RecurrentCase> cases;
  for (const CellType cell : {CellType::kRnn, CellType::kLstm, CellType::kGru}) {
    for (const bool bi : {false, true}) {
      for (const int threads : {1, 2}) {
        // Ragged, unsorted, with ties and a length-1 sequence.
        cases.push_back({cell, bi, threads, 3, 5, {4, 1, 6, 4, 2}});
      }
    }
    // A hidden size with full SIMD blocks plus a tail, and a single sequence.
    cases.push_back({cell, true, 1, 2, 17, {3, 2}});
    cases.push_back({cell, true, 2, 2, 4, {5}});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cells, RecurrentGradCheck, ::testing::ValuesIn(recurrent_cases()),
                         case_name);

}  // namespace
}  // namespace zhsenti::nn::testing
