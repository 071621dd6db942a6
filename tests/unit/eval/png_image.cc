#include "png_image.h"

#include <zlib.h>

#include <cstdlib>
#include <stdexcept>

namespace zhsenti::eval::testing {

namespace {

std::uint32_t be32(const std::string& s, std::size_t pos) {
  if (pos + 4 > s.size()) throw std::runtime_error("png: truncated");
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[pos])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[pos + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[pos + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[pos + 3]));
}

int paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

}  // namespace

PngImage PngImage::decode(const std::string& bytes) {
  if (bytes.size() < 8 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) throw std::runtime_error("png: bad signature");
  PngImage img;
  int color_type = -1;
  std::string idat;
  for (std::size_t pos = 8; pos + 8 <= bytes.size();) {
    const std::uint32_t len = be32(bytes, pos);
    const std::string type = bytes.substr(pos + 4, 4);
    if (pos + 12 + len > bytes.size()) throw std::runtime_error("png: truncated chunk");
    const std::size_t data = pos + 8;
    if (type == "IHDR") {
      img.width = be32(bytes, data);
      img.height = be32(bytes, data + 4);
      const int depth = static_cast<unsigned char>(bytes[data + 8]);
      color_type = static_cast<unsigned char>(bytes[data + 9]);
      const int interlace = static_cast<unsigned char>(bytes[data + 12]);
      if (depth != 8 || (color_type != 2 && color_type != 6) || interlace != 0) {
        throw std::runtime_error("png: only 8-bit RGB/RGBA non-interlaced");
      }
    } else if (type == "IDAT") {
      idat.append(bytes, data, len);
    } else if (type == "IEND") {
      break;
    }
    pos += 12 + len;
  }
  if (color_type < 0) throw std::runtime_error("png: no IHDR");
  const std::size_t channels = color_type == 6 ? 4 : 3;
  const std::size_t stride = img.width * channels;
  std::string raw((stride + 1) * img.height, '\0');
  uLongf raw_len = raw.size();
  if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_len, reinterpret_cast<const Bytef*>(idat.data()),
                 idat.size()) != Z_OK ||
      raw_len != raw.size()) {
    throw std::runtime_error("png: bad zlib stream");
  }
  std::vector<std::uint8_t> cur(stride), prev(stride, 0);
  img.rgba.resize(static_cast<std::size_t>(img.width) * img.height * 4);
  for (std::size_t y = 0; y < img.height; ++y) {
    const auto filter = static_cast<unsigned char>(raw[y * (stride + 1)]);
    for (std::size_t x = 0; x < stride; ++x) {
      const int v = static_cast<unsigned char>(raw[y * (stride + 1) + 1 + x]);
      const int a = x >= channels ? cur[x - channels] : 0;
      const int b = prev[x];
      const int c = x >= channels ? prev[x - channels] : 0;
      int out = v;
      switch (filter) {
        case 0: break;
        case 1: out = v + a; break;
        case 2: out = v + b; break;
        case 3: out = v + (a + b) / 2; break;
        case 4: out = v + paeth(a, b, c); break;
        default: throw std::runtime_error("png: bad filter");
      }
      cur[x] = static_cast<std::uint8_t>(out & 0xFF);
    }
    for (std::size_t x = 0; x < img.width; ++x) {
      for (std::size_t ch = 0; ch < 4; ++ch) {
        img.rgba[(y * img.width + x) * 4 + ch] = ch < channels ? cur[x * channels + ch] : 255;
      }
    }
    std::swap(cur, prev);
  }
  return img;
}

}  // namespace zhsenti::eval::testing
