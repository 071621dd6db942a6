#include "seg_blob.h"

#include <bit>

namespace zhsenti::text::detail {
namespace {

constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kP3 = 0x165667B19E3779F9ULL;
constexpr std::size_t kAlign = 64;

std::uint64_t load64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::uint64_t round(std::uint64_t acc, std::uint64_t input) {
  return std::rotl(acc + input * kP2, 31) * kP1;
}

}  // namespace

std::uint64_t blob_checksum(const unsigned char* data, std::size_t size) {
  std::uint64_t lanes[4] = {kP1 + kP2, kP2, 0, 0 - kP1};
  std::size_t i = 0;
  for (; i + 32 <= size; i += 32) {
    for (int l = 0; l < 4; ++l) lanes[l] = round(lanes[l], load64(data + i + 8 * l));
  }
  std::uint64_t h = std::rotl(lanes[0], 1) + std::rotl(lanes[1], 7) + std::rotl(lanes[2], 12) +
                    std::rotl(lanes[3], 18) + size;
  for (; i < size; ++i) h = std::rotl(h ^ (data[i] * kP3), 11) * kP1;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  return h;
}

BlobWriter::BlobWriter() { bytes_.assign(sizeof(BlobHeader), '\0'); }

void BlobWriter::add_bytes(Section s, const void* data, std::size_t size) {
  bytes_.resize((bytes_.size() + kAlign - 1) / kAlign * kAlign, '\0');
  BlobHeader header;
  std::memcpy(&header, bytes_.data(), sizeof header);
  header.sections[static_cast<std::size_t>(s)] = {bytes_.size(), size};
  std::memcpy(bytes_.data(), &header, sizeof header);
  bytes_.append(static_cast<const char*>(data), size);
}

std::string BlobWriter::finish() {
  bytes_.resize((bytes_.size() + kAlign - 1) / kAlign * kAlign, '\0');
  BlobHeader header;
  std::memcpy(&header, bytes_.data(), sizeof header);
  std::memcpy(header.magic, kBlobMagic, sizeof header.magic);
  header.version = kBlobVersion;
  header.byte_order = kBlobByteOrder;
  header.total_size = bytes_.size();
  header.checksum =
      blob_checksum(reinterpret_cast<const unsigned char*>(bytes_.data()) + sizeof header,
                    bytes_.size() - sizeof header);
  std::memcpy(bytes_.data(), &header, sizeof header);
  return std::move(bytes_);
}

bool BlobReader::open(std::span<const unsigned char> image) {
  base_ = nullptr;
  header_ = nullptr;
  if (image.size() < sizeof(BlobHeader)) return false;
  if (reinterpret_cast<std::uintptr_t>(image.data()) % kAlign != 0) return false;
  const auto* header = reinterpret_cast<const BlobHeader*>(image.data());
  if (std::memcmp(header->magic, kBlobMagic, sizeof kBlobMagic) != 0) return false;
  if (header->version != kBlobVersion || header->byte_order != kBlobByteOrder) return false;
  if (header->total_size != image.size()) return false;
  for (const auto& r : header->sections) {
    if (r.offset % kAlign != 0 || r.offset < sizeof(BlobHeader) || r.offset > image.size() ||
        r.size > image.size() - r.offset) {
      return false;
    }
  }
  if (blob_checksum(image.data() + sizeof(BlobHeader), image.size() - sizeof(BlobHeader)) !=
      header->checksum) {
    return false;
  }
  base_ = image.data();
  header_ = header;
  return true;
}

std::string_view BlobReader::key() const {
  const auto chars = get<char>(Section::kKey);
  return {chars.data(), chars.size()};
}

bool BlobReader::sizes_fit(Section s, std::size_t element_size) const {
  return header_->sections[static_cast<std::size_t>(s)].size % element_size == 0;
}

}  // namespace zhsenti::text::detail
