#pragma once
// SHA-256 (FIPS 180-4), used to verify downloaded data sets and to fingerprint training data.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace zhsenti {

class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;

  Sha256() { reset(); }
  void reset();
  void update(std::string_view data);
  // Pads and returns the digest; the object must be reset() before it is used again.
  Digest finish();

  static std::string to_hex(const Digest& digest);

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> block_;
  std::size_t block_used_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// Lower-case hex digest of a string, or of a file's contents (streamed; "-" is not special).
std::string sha256_hex(std::string_view data);
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace zhsenti
