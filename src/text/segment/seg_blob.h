#pragma once
// The segmenter's tables as one flat byte image: a header (magic, format version, byte order,
// total size, checksum, section table) followed by 64-byte aligned arrays. The same image is
// built in memory from jieba's files and written as the cache file, so a cache hit and a
// fresh build run the very same code on the very same bytes.

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace zhsenti::text::detail {

enum class Section : std::uint32_t {
  kKey,  // the sources the image was built from (paths, sizes, mtimes)
  kScalars,
  kTrieRootChild,
  kTrieNodes,
  kTrieBigrams,
  kTrieWeights,
  kTrieWeightOverflow,
  kTrieTag,
  kTagBegin,
  kTagChars,
  kForceBegin,
  kForceChars,
  kBmesHead,
  kBmesEmit,
  kPosStateBmes,
  kPosStateTag,
  kPosStart,
  kPosPredBegin,
  kPosPredState,
  kPosPredProb,
  kPosSuccBits,
  kPosCharKnown,
  kPosCharStateBegin,
  kPosCharStates,
  kPosEmitBegin,
  kPosEmitState,
  kPosEmitProb,
  kCount
};

struct SegScalars {
  double neg_log_total;  // log(1) - log(total): the score of a character that is not a word
  std::int64_t total;
  std::uint32_t trie_nodes;
  std::uint16_t tag_x, tag_m, tag_eng;
};

inline constexpr char kBlobMagic[8] = {'Z', 'H', 'S', 'J', 'I', 'E', 'B', 'A'};
// Bump whenever the builder's output changes: caches are keyed by their sources, not by code.
inline constexpr std::uint32_t kBlobVersion = 9;
inline constexpr std::uint32_t kBlobByteOrder = 0x01020304;

struct BlobHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t byte_order;
  std::uint64_t total_size;
  std::uint64_t checksum;  // of every byte after the header
  struct Range {
    std::uint64_t offset, size;
  } sections[static_cast<std::size_t>(Section::kCount)];
};

// 64-bit checksum (xxHash64-style lanes, 32 bytes per step) so that validating a 20 MB
// cache costs a few milliseconds.
std::uint64_t blob_checksum(const unsigned char* data, std::size_t size);

class BlobWriter {
 public:
  BlobWriter();
  template <class T>
  void add(Section s, std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    add_bytes(s, items.data(), items.size_bytes());
  }
  // Finishes the header; the returned bytes are the image.
  std::string finish();

 private:
  void add_bytes(Section s, const void* data, std::size_t size);
  std::string bytes_;
};

class BlobReader {
 public:
  // Validates the header, sizes, alignment and checksum; false when anything is off.
  bool open(std::span<const unsigned char> image);

  template <class T>
  std::span<const T> get(Section s) const {
    const auto r = header_->sections[static_cast<std::size_t>(s)];
    return {reinterpret_cast<const T*>(base_ + r.offset), r.size / sizeof(T)};
  }
  std::string_view key() const;
  // True when every section's size is a multiple of the element size its reader expects.
  bool sizes_fit(Section s, std::size_t element_size) const;

 private:
  const unsigned char* base_ = nullptr;
  const BlobHeader* header_ = nullptr;
};

}  // namespace zhsenti::text::detail
