#pragma once
// A row-major float array with a shape (rank 0-4). Owns its storage; resize() to a size that
// fits the current capacity never allocates, so buffers reused across training steps settle
// at the largest batch and stay there.

#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

namespace zhsenti::nn {

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::initializer_list<int64_t> shape) { resize(shape); }
  explicit Tensor(std::span<const int64_t> shape) { resize(shape); }

  // New contents are zero; existing elements keep their values only if the size is unchanged.
  void resize(std::initializer_list<int64_t> shape) {
    resize(std::span<const int64_t>(shape.begin(), shape.size()));
  }
  void resize(std::span<const int64_t> shape);
  void fill(float value);

  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int i) const { return shape_[static_cast<std::size_t>(i)]; }
  const std::vector<int64_t>& shape() const { return shape_; }
  int64_t size() const { return static_cast<int64_t>(data_.size()); }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  std::span<float> span() { return data_; }
  std::span<const float> span() const { return data_; }
  // Element (r, c) of a rank-2 tensor.
  float& at(int64_t r, int64_t c) { return data_[static_cast<std::size_t>(r * shape_[1] + c)]; }
  float at(int64_t r, int64_t c) const {
    return data_[static_cast<std::size_t>(r * shape_[1] + c)];
  }

 private:
  std::vector<int64_t> shape_;
  std::vector<float> data_;
};

}  // namespace zhsenti::nn
