#include "serve_fixture.h"

#include <fstream>

namespace zhsenti::testing {
namespace {

std::string make_tsv(int rows, unsigned seed) {
  const std::vector<std::string> pos = {"非常好", "很满意", "棒极了", "质量很好", "推荐购买"};
  const std::vector<std::string> neg = {"太差了", "很失望", "糟糕透了", "质量很差", "不推荐"};
  const std::vector<std::string> filler = {"这个酒店", "房间", "服务", "价格", "位置",
                                           "早餐",     "我们", "昨天", "入住"};
  std::string out = "label\ttext_a\n";
  unsigned x = seed;
  auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
  for (int i = 0; i < rows; ++i) {
    const bool positive = i % 2 == 0;
    const auto& phrases = positive ? pos : neg;
    out += (positive ? "1\t" : "0\t") + filler[next() % filler.size()] +
           phrases[next() % phrases.size()] + "，" + filler[next() % filler.size()] + "\n";
  }
  return out;
}

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
  temp_->write("train.tsv", make_tsv(240, 1));
  temp_->write("dev.tsv", make_tsv(60, 2));
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
