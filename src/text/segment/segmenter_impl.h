#pragma once
// Segmenter::Impl: the views over one validated image (seg_blob.h) plus the storage that
// keeps the image alive (an mmap of the cache file or an aligned heap copy).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "seg_blob.h"
#include "zhsenti/text/hmm.h"
#include "zhsenti/text/pos_tagger.h"
#include "zhsenti/text/segmenter.h"
#include "zhsenti/text/trie.h"

namespace zhsenti::text {

// Read-only bytes with a 64-byte aligned start: a file mapping or a heap copy.
class ImageStorage {
 public:
  static std::unique_ptr<ImageStorage> map_file(const std::filesystem::path& path);
  static std::unique_ptr<ImageStorage> copy_of(std::string_view bytes);
  ~ImageStorage();
  ImageStorage(const ImageStorage&) = delete;
  ImageStorage& operator=(const ImageStorage&) = delete;
  std::span<const unsigned char> bytes() const { return {data_, size_}; }

 private:
  ImageStorage() = default;
  unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
};

struct Segmenter::Impl {
  std::unique_ptr<ImageStorage> storage;
  SegmenterInfo info;
  bool hmm = true;

  detail::SegScalars scalars{};
  TrieView trie;
  BmesModel bmes;
  PosModel pos;
  std::span<const std::uint32_t> tag_begin;
  std::string_view tag_chars;
  std::span<const std::uint32_t> force_begin;  // sorted words of finalseg.Force_Split_Words
  std::string_view force_chars;

  // Binds the views to a validated image; false if a section has the wrong shape.
  bool bind(const detail::BlobReader& reader);
  // bind() that also turns a broken invariant of the image into false.
  bool bind_checked(const detail::BlobReader& reader);

  std::string_view tag(std::uint16_t id) const {
    return tag_chars.substr(tag_begin[id], tag_begin[id + 1] - tag_begin[id]);
  }
  bool force_split(std::string_view word) const;
};

}  // namespace zhsenti::text
