#include "serve_fixture.h"

#include <fstream>

namespace zhsenti::testing {
namespace {

void train(const std::string& out, int seed) {
  const auto r = run_zhsenti({"train",
                              "--train",
                              ServeE2E::dir("train.tsv"),
                              "--dev",
                              ServeE2E::dir("dev.tsv"),
                              "--out",
                              out,
                              "--tokens",
                              "char",
                              "--embed-dim",
                              "16",
                              "--hidden",
                              "16",
                              "--epochs",
                              "4",
                              "--batch-size",
                              "16",
                              "--lr",
                              "0.01",
                              "--threads",
                              "1",
                              "--seed",
                              std::to_string(seed),
                              "-q"});
  if (r.exit_code != 0) throw std::runtime_error("training the test model failed: " + r.err);
}

}  // namespace

TempDir* ServeE2E::temp_ = nullptr;

void ServeE2E::SetUpTestSuite() {
  temp_ = new TempDir();
  temp_->write("train.tsv", synthetic_reviews_tsv(240, 1));
  temp_->write("dev.tsv", synthetic_reviews_tsv(60, 2));
  temp_->write("token", "t0ken-for-tests\n");
  train(model_a(), 7);
  train(model_b(), 8);
}

void ServeE2E::TearDownTestSuite() {
  delete temp_;
  temp_ = nullptr;
}

std::string ServeE2E::dir(const std::string& name) { return temp_->file(name); }
std::string ServeE2E::model_a() { return dir("model_a"); }
std::string ServeE2E::model_b() { return dir("model_b"); }
std::string ServeE2E::token_file() { return dir("token"); }

}  // namespace zhsenti::testing
