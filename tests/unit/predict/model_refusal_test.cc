// Models the predictor (and so predict, eval and the server's reload) must refuse to load:
// they would otherwise answer NaN for every text, or read texts without a length limit.
#include <gtest/gtest.h>

#include <cmath>

#include "bad_model.h"
#include "tiny_model.h"
#include "zhsenti/core/error.h"
#include "zhsenti/predict/predictor.h"

namespace zhsenti::predict {
namespace {

std::string load_error(const std::filesystem::path& dir) {
  try {
    Predictor::load(dir);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFormat) << e.what();
    return e.what();
  }
  return "loaded";
}

class ModelRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir("refusal");
    testing::write_tiny_model(dir_ / "m", 3);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ModelRefusalTest, NonFiniteWeightIsRefusedNamingTheTensor) {
  ASSERT_EQ(load_error(dir_ / "m"), "loaded");
  testing::poison_tensor(dir_ / "m", "head.bias", std::nanf(""));
  std::string e = load_error(dir_ / "m");
  EXPECT_NE(e.find("model.safetensors: tensor \"head.bias\" holds a non-finite value (nan)"),
            std::string::npos)
      << e;
  testing::write_tiny_model(dir_ / "m", 3);
  testing::poison_tensor(dir_ / "m", "embedding.weight", HUGE_VALF);
  e = load_error(dir_ / "m");
  EXPECT_NE(e.find("tensor \"embedding.weight\" holds a non-finite value (inf)"), std::string::npos)
      << e;
}

TEST_F(ModelRefusalTest, MaxLenBelowOneIsRefused) {
  for (const nlohmann::json& bad : {nlohmann::json(0), nlohmann::json(-5), nlohmann::json(2.5)}) {
    testing::set_max_len(dir_ / "m", bad);
    const std::string e = load_error(dir_ / "m");
    EXPECT_NE(e.find("max_len must be a positive integer, got " + bad.dump()), std::string::npos)
        << e;
  }
  testing::set_max_len(dir_ / "m", 1);
  EXPECT_EQ(load_error(dir_ / "m"), "loaded");
}

}  // namespace
}  // namespace zhsenti::predict
