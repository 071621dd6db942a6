// Metrics exposition format, PSI and the drift window.

#include <gtest/gtest.h>

#include <cmath>

#include "zhsenti/core/error.h"
#include "zhsenti/predict/reference.h"
#include "zhsenti/serve/drift.h"
#include "zhsenti/serve/metrics.h"

namespace zhsenti::serve {
namespace {

TEST(Metrics, HistogramIsCumulativeWithSumAndCount) {
  Histogram h({1, 2, 4});
  for (double v : {0.5, 1.0, 3.0, 10.0}) h.observe(v);
  std::string out;
  h.render(out, "x", "a=\"b\"");
  EXPECT_NE(out.find("x_bucket{a=\"b\",le=\"1\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_bucket{a=\"b\",le=\"2\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_bucket{a=\"b\",le=\"4\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_bucket{a=\"b\",le=\"+Inf\"} 4\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_sum{a=\"b\"} 14.5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_count{a=\"b\"} 4\n"), std::string::npos) << out;
}

TEST(Metrics, LabelValuesAndSamples) {
  EXPECT_EQ(label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(sample(3), "3");
  EXPECT_EQ(sample(0.25), "0.25");
  EXPECT_EQ(sample(std::nan("")), "NaN");
  LabelledCounter c;
  c.add("k=\"v\"");
  c.add("k=\"v\"", 2);
  EXPECT_EQ(c.get("k=\"v\""), 3u);
  std::string out;
  c.render(out, "n");
  EXPECT_EQ(out, "n{k=\"v\"} 3\n");
}

TEST(Drift, PsiIsZeroForSameAndGrowsWithShift) {
  const std::vector<double> ref = {0.5, 0.5};
  EXPECT_DOUBLE_EQ(psi(ref, ref), 0.0);
  const double small = psi(ref, {0.55, 0.45}), large = psi(ref, {0.9, 0.1});
  EXPECT_GT(small, 0.0);
  EXPECT_LT(small, 0.1);
  EXPECT_GT(large, 0.25);
  EXPECT_TRUE(std::isfinite(psi(ref, {1.0, 0.0})));
}

Reference balanced_reference() {
  Reference r;
  r.labels = {"neg", "pos"};
  r.label_mix = {0.5, 0.5};
  r.confidence.assign(predict::confidence_edges().size() - 1, 0.0);
  r.confidence[9] = 1.0;
  r.length.assign(predict::length_edges().size() - 1, 0.0);
  r.length[3] = 1.0;  // 8-15 tokens
  r.oov_rate = 0.01;
  return r;
}

TEST(Drift, WindowSlidesAndAlarmsOnceAboveThreshold) {
  DriftMonitor m(balanced_reference(), 100, 50, 0.2);
  int alarms = 0;
  for (int i = 0; i < 100; ++i) alarms += m.observe(i % 2, 0.95, 10, 10, 0);
  auto s = m.scores();
  EXPECT_TRUE(s.enough);
  EXPECT_LT(s.max_psi(), 0.01);
  EXPECT_EQ(alarms, 0);
  // Traffic turns all-negative: the window fills with label 0 and the alarm fires once.
  for (int i = 0; i < 300; ++i) alarms += m.observe(0, 0.95, 10, 10, 1);
  s = m.scores();
  EXPECT_EQ(s.samples, 100u);
  EXPECT_GT(s.label_psi, 0.2);
  EXPECT_NEAR(s.live_label_mix[0], 1.0, 1e-9);
  EXPECT_NEAR(s.live_oov_rate, 0.1, 1e-9);
  EXPECT_EQ(alarms, 1);
}

TEST(Drift, ReferenceFromJsonChecksLabelsAndBins) {
  nlohmann::json j{{"labels", {"neg", "pos"}},
                   {"label_mix", {0.5, 0.5}},
                   {"confidence", {{"fractions", std::vector<double>(10, 0.1)}}},
                   {"length", {{"fractions", std::vector<double>(10, 0.1)}}},
                   {"oov_rate", 0.02}};
  EXPECT_NO_THROW(Reference::from_json(j, {"neg", "pos"}));
  EXPECT_THROW(Reference::from_json(j, {"a", "b"}), Error);
  j["confidence"]["fractions"] = {1.0};
  EXPECT_THROW(Reference::from_json(j, {"neg", "pos"}), Error);
}

}  // namespace
}  // namespace zhsenti::serve
