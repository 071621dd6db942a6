#include <fmt/format.h>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/check.h"
#include "zhsenti/embed/vector_io.h"

namespace zhsenti::embed {

VectorWriter::VectorWriter(std::filesystem::path path, VectorFormat format, std::size_t count,
                           int dim)
    : path_(std::move(path)), format_(format), count_(count), dim_(dim) {
  ZHSENTI_CHECK_ARG(dim >= 1, "{}: vector dimension must be >= 1, got {}", path_.string(), dim);
  out_ = std::make_unique<AtomicFileWriter>(path_);
  if (format_ != VectorFormat::kGloveText) out_->write(fmt::format("{} {}\n", count_, dim_));
}

VectorWriter::~VectorWriter() = default;

void VectorWriter::add(std::string_view word, std::span<const float> values) {
  check_word(word, path_.string());
  ZHSENTI_CHECK_ARG(values.size() == static_cast<std::size_t>(dim_),
                    "{}: vector of '{}' has {} values, the file's dimension is {}", path_.string(),
                    word, values.size(), dim_);
  ZHSENTI_CHECK_ARG(added_ < count_, "{}: more than the {} vectors announced", path_.string(),
                    count_);
  ++added_;
  row_.assign(word);
  if (format_ == VectorFormat::kWord2VecBinary) {
    row_ += ' ';
    row_.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
  } else {
    // Shortest representation that reads back to the same float.
    for (float v : values) fmt::format_to(std::back_inserter(row_), " {}", v);
    if (format_ == VectorFormat::kFastTextVec) row_ += ' ';
  }
  row_ += '\n';
  out_->write(row_);
}

void VectorWriter::commit() {
  ZHSENTI_CHECK_ARG(added_ == count_, "{}: {} vectors announced, {} written", path_.string(),
                    count_, added_);
  out_->commit();
}

void save_vectors(const std::filesystem::path& path, const WordVectors& vectors,
                  VectorFormat format) {
  VectorWriter writer(path, format, vectors.size(), vectors.dim);
  for (std::size_t i = 0; i < vectors.size(); ++i) writer.add(vectors.words[i], vectors.row(i));
  writer.commit();
}

}  // namespace zhsenti::embed
