#pragma once
// A realistic report input shared by the report tests: a 3-class (and a binary) evaluation
// with tricky label text and a 12-epoch training curve.

#include <cmath>

#include "zhsenti/core/rng.h"
#include "zhsenti/eval/html_report.h"

namespace zhsenti::eval::testing {

inline ReportInput sample_report(int num_labels) {
  const std::vector<std::string> labels =
      num_labels == 2 ? std::vector<std::string>{"negative", "positive <&>"}
                      : std::vector<std::string>{"negative", "neutral \"<b>&\"", "positive"};
  Rng rng(11);
  std::vector<std::int32_t> y_true, y_pred;
  std::vector<float> probs;
  for (int i = 0; i < 600; ++i) {
    const auto t = static_cast<std::int32_t>(rng.uniform_int(static_cast<std::uint64_t>(num_labels)));
    std::vector<float> row(static_cast<std::size_t>(num_labels));
    float sum = 0;
    for (auto& p : row) {
      p = rng.uniform_float();
      sum += p;
    }
    row[static_cast<std::size_t>(t)] += 1.2f * rng.uniform_float() + 0.2f;
    sum = 0;
    for (const auto p : row) sum += p;
    std::size_t best = 0;
    for (std::size_t j = 0; j < row.size(); ++j) {
      row[j] /= sum;
      if (row[j] > row[best]) best = j;
    }
    y_true.push_back(t);
    y_pred.push_back(static_cast<std::int32_t>(best));
    probs.insert(probs.end(), row.begin(), row.end());
  }
  ReportInput in;
  in.title = "ChnSentiCorp test <evaluation> & report";
  in.subtitle = "model models/demo · data test.tsv";
  in.metrics = compute_metrics(y_true, y_pred, probs, labels);
  for (int e = 1; e <= 12; ++e) {
    EpochRecord r;
    r.epoch = e;
    r.train_loss = 0.25 + 0.6 * std::exp(-0.45 * e);
    r.dev_loss = 0.32 + 0.45 * std::exp(-0.5 * e) + 0.006 * e;
    r.dev_accuracy = 0.92 - 0.25 * std::exp(-0.6 * e);
    r.dev_macro_f1 = 0.915 - 0.27 * std::exp(-0.55 * e);
    r.lr = 1e-3 * std::pow(0.9, e - 1);
    r.seconds = 11.5 + 0.1 * e;
    r.tokens_per_s = 52000 + 300 * e;
    in.history.push_back(r);
  }
  in.details = {{"architecture", "bilstm, embed 128, hidden 128, max pool"},
                {"training data", "train.tsv (9600 rows, sha256 3f2a…)"},
                {"label with markup", "<script>alert(1)</script>"}};
  return in;
}

}  // namespace zhsenti::eval::testing
