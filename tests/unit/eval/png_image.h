#pragma once
// A minimal PNG decoder for tests (8-bit RGB/RGBA, non-interlaced: what Chromium writes),
// so a screenshot can be checked pixel by pixel. Throws std::runtime_error on anything else.

#include <cstdint>
#include <string>
#include <vector>

namespace zhsenti::eval::testing {

struct PngImage {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4

  static PngImage decode(const std::string& bytes);
};

}  // namespace zhsenti::eval::testing
