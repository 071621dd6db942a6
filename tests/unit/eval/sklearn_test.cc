// compute_metrics against scikit-learn (tools/sklearn_check.py) on random cases: binary and
// multi-class, tied scores, labels never predicted or never true, and the text report.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "zhsenti/core/rng.h"
#include "zhsenti/eval/metrics.h"

namespace zhsenti::eval {
namespace {

using nlohmann::json;

struct Case {
  int k = 2;
  std::vector<std::int32_t> y_true, y_pred;
  std::vector<float> probs;
  std::vector<std::string> names;
};

Case random_case(Rng& rng, int index) {
  Case c;
  c.k = index % 3 == 0 ? 2 : index % 3 == 1 ? 3 : 6;
  const auto n = static_cast<std::size_t>(1 + rng.uniform_int(index % 4 == 0 ? 8 : 300));
  // Some cases use few classes in y_true or y_pred to exercise zero division.
  const auto true_classes = static_cast<std::uint64_t>(index % 5 == 0 ? std::max(1, c.k - 1) : c.k);
  const bool coarse = index % 2 == 0;  // probabilities on a 0.1 grid: many tied scores
  for (std::size_t i = 0; i < n; ++i) {
    c.y_true.push_back(static_cast<std::int32_t>(rng.uniform_int(true_classes)));
    std::vector<float> row(static_cast<std::size_t>(c.k));
    float sum = 0;
    for (auto& p : row) {
      p = coarse ? static_cast<float>(rng.uniform_int(10)) / 10.0f : rng.uniform_float();
      // A weak signal toward the true label, so AUCs are not all 0.5.
      sum += p;
    }
    row[static_cast<std::size_t>(c.y_true.back())] += coarse ? 0.5f : rng.uniform_float();
    sum = 0;
    for (const auto p : row) sum += p;
    if (index % 7 == 3) sum = 0;  // leave this case's rows unnormalised
    std::size_t best = 0;
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (sum > 0) row[j] /= sum;
      if (row[j] > row[best]) best = j;
    }
    c.y_pred.push_back(index % 6 == 5 ? 0 : static_cast<std::int32_t>(best));
    c.probs.insert(c.probs.end(), row.begin(), row.end());
  }
  for (int j = 0; j < c.k; ++j) c.names.push_back("class_" + std::to_string(j));
  return c;
}

json to_json(const Case& c) {
  json probs = json::array();
  for (std::size_t i = 0; i < c.y_true.size(); ++i) {
    json row = json::array();
    for (int j = 0; j < c.k; ++j) row.push_back(static_cast<double>(c.probs[i * static_cast<std::size_t>(c.k) + static_cast<std::size_t>(j)]));
    probs.push_back(row);
  }
  return {{"num_labels", c.k}, {"y_true", c.y_true}, {"y_pred", c.y_pred}, {"probs", probs}, {"names", c.names}};
}

json run_sklearn(const json& cases) {
  const auto path = std::filesystem::temp_directory_path() / ("zhsenti_sklearn_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << cases.dump();
  const std::string cmd = "/usr/bin/python3 " ZHSENTI_SOURCE_DIR "/tools/sklearn_check.py " + path.string();
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (std::size_t n; pipe && (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = pipe ? ::pclose(pipe) : -1;
  std::filesystem::remove(path);
  EXPECT_EQ(status, 0) << "tools/sklearn_check.py failed (python3-sklearn installed? scripts/install-deps.sh)";
  return json::parse(out);
}

TEST(SklearnAgreement, RandomCases) {
  Rng rng(2024);
  std::vector<Case> cases;
  json input = json::array();
  for (int i = 0; i < 60; ++i) {
    cases.push_back(random_case(rng, i));
    input.push_back(to_json(cases.back()));
  }
  const json ref = run_sklearn(input);
  ASSERT_EQ(ref.size(), cases.size());
  constexpr double kTol = 1e-12;
  int auc_defined = 0, auc_undefined = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i) + ": " + input[i].dump().substr(0, 200));
    const Case& c = cases[i];
    const json& r = ref[i];
    const Metrics m = compute_metrics(c.y_true, c.y_pred, c.probs, c.names);
    EXPECT_NEAR(m.accuracy, r["accuracy"].get<double>(), kTol);
    for (std::size_t j = 0; j < static_cast<std::size_t>(c.k); ++j) {
      EXPECT_NEAR(m.per_class[j].precision, r["precision"][j].get<double>(), kTol);
      EXPECT_NEAR(m.per_class[j].recall, r["recall"][j].get<double>(), kTol);
      EXPECT_NEAR(m.per_class[j].f1, r["f1"][j].get<double>(), kTol);
      EXPECT_EQ(m.per_class[j].support, r["support"][j].get<std::int64_t>());
    }
    EXPECT_NEAR(m.macro.precision, r["macro"][0].get<double>(), kTol);
    EXPECT_NEAR(m.macro.recall, r["macro"][1].get<double>(), kTol);
    EXPECT_NEAR(m.macro.f1, r["macro"][2].get<double>(), kTol);
    EXPECT_NEAR(m.weighted.precision, r["weighted"][0].get<double>(), kTol);
    EXPECT_NEAR(m.weighted.recall, r["weighted"][1].get<double>(), kTol);
    EXPECT_NEAR(m.weighted.f1, r["weighted"][2].get<double>(), kTol);
    EXPECT_EQ(json(m.confusion), r["confusion"]);
    if (r["roc_auc"].is_null()) {
      EXPECT_FALSE(m.roc_auc);
      ++auc_undefined;
    } else {
      ASSERT_TRUE(m.roc_auc);
      EXPECT_NEAR(*m.roc_auc, r["roc_auc"].get<double>(), kTol);
      ++auc_defined;
    }
    EXPECT_NEAR(*m.log_loss, r["log_loss"].get<double>(), 1e-9);
    // The table part of our text report is sklearn's classification_report, digit for digit,
    // except that sklearn prints "micro avg" (= accuracy here) instead of the accuracy row
    // when some label occurs in neither y_true nor y_pred.
    std::string theirs = r["report"].get<std::string>();
    if (const auto micro = theirs.find("   micro avg"); micro != std::string::npos) {
      const auto eol = theirs.find('\n', micro);
      theirs.replace(micro, eol - micro, fmt::format("{:>12}  {:>9} {:>9} {:>9.4f} {:>9}", "accuracy", "", "",
                                                     r["accuracy"].get<double>(), c.y_true.size()));
    }
    // sklearn also prints the supports as floats ("1.0") when every score in its table is 0.
    for (std::size_t pos = theirs.find(".0\n"); pos != std::string::npos; pos = theirs.find(".0\n", pos + 1)) {
      const std::size_t field = pos + 2 - 9;  // the 9-wide support column
      const std::string value = theirs.substr(field, 9);
      theirs.replace(field, 9, fmt::format("{:>9}", value.substr(value.find_first_not_of(' '), value.size() - 2 -
                                                                                                 value.find_first_not_of(' '))));
    }
    const std::string ours = m.to_text(4);
    EXPECT_EQ(ours.substr(0, theirs.size()), theirs);
  }
  EXPECT_GT(auc_defined, 30);
  EXPECT_GT(auc_undefined, 0) << "the random cases must include undefined AUCs";
}

}  // namespace
}  // namespace zhsenti::eval
