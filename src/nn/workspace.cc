#include "zhsenti/nn/workspace.h"

#include <algorithm>
#include <cstring>

#include "zhsenti/core/check.h"
#include "zhsenti/nn/threads.h"

namespace zhsenti::nn {

namespace {
constexpr std::size_t kMinBlockBytes = std::size_t{1} << 20;
std::size_t round_up(std::size_t n) { return (n + kAlignBytes - 1) / kAlignBytes * kAlignBytes; }
}  // namespace

Workspace::Workspace(int threads) { set_threads(threads == 0 ? default_threads() : threads); }
Workspace::~Workspace() = default;
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;

void Workspace::set_threads(int n) {
  ZHSENTI_CHECK_ARG(n >= 1, "workspace threads must be >= 1, got {}", n);
  if (n == threads_ && (n == 1) == (pool_ == nullptr)) return;
  threads_ = n;
  pool_ = n > 1 ? std::make_unique<ThreadPool>(static_cast<std::size_t>(n)) : nullptr;
}

void Workspace::reset() {
  if (blocks_.size() > 1) {
    // The last pass needed pass_bytes_ in total: one block with half as much again to spare
    // serves it from now on, and larger batches to come rarely grow it again.
    const std::size_t size = round_up(pass_bytes_ + pass_bytes_ / 2);
    blocks_.clear();
    blocks_.emplace_back(size);
    ++block_allocations_;
  }
  block_ = 0;
  used_ = 0;
  pass_bytes_ = 0;
}

void Workspace::add_block(std::size_t min_bytes) {
  const std::size_t previous = blocks_.empty() ? 0 : blocks_.back().size();
  blocks_.emplace_back(std::max({min_bytes, kMinBlockBytes, 2 * previous}));
  ++block_allocations_;
  block_ = blocks_.size() - 1;
  used_ = 0;
}

void* Workspace::bytes(std::size_t n) {
  n = round_up(std::max<std::size_t>(n, 1));
  if (blocks_.empty() || used_ + n > blocks_[block_].size()) {
    if (block_ + 1 < blocks_.size() && n <= blocks_[block_ + 1].size()) {
      ++block_;
      used_ = 0;
    } else {
      add_block(n);
    }
  }
  std::byte* p = blocks_[block_].data() + used_;
  used_ += n;
  pass_bytes_ += n;
  return p;
}

float* Workspace::zeros(std::size_t n) {
  float* p = floats(n);
  std::memset(p, 0, n * sizeof(float));
  return p;
}

std::size_t Workspace::arena_bytes() const {
  std::size_t total = 0;
  for (const auto& b : blocks_) total += b.size();
  return total;
}

}  // namespace zhsenti::nn
