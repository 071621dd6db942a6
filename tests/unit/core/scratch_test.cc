#include "zhsenti/core/scratch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zhsenti {
namespace {

TEST(ReleaseIfLarge, ReturnsOnlyBuffersPastTheKeepSize) {
  std::vector<double> large(kScratchKeepBytes / sizeof(double) + 1);
  std::vector<double> small(kScratchKeepBytes / sizeof(double));
  std::string text(kScratchKeepBytes + 1, 'x');
  large.clear();
  small.clear();
  text.clear();
  release_if_large(large, small, text);
  EXPECT_EQ(large.capacity(), 0u);
  EXPECT_EQ(small.capacity(), kScratchKeepBytes / sizeof(double));
  EXPECT_LT(text.capacity(), kScratchKeepBytes);
}

}  // namespace
}  // namespace zhsenti
