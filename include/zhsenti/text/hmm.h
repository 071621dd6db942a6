#pragma once
// jieba's finalseg: a 4-state (B, E, M, S) HMM that cuts runs of Chinese characters no
// dictionary word covers. Tables come from finalseg/prob_{start,trans,emit}.py.
//
// States are numbered in the order of their letters (B < E < M < S) because jieba's
// `max((prob, state) ...)` breaks ties by the larger letter; comparing ids does the same.

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "zhsenti/text/char_class.h"

namespace zhsenti::text {

// finalseg.MIN_FLOAT: the score of a missing emission or transition.
inline constexpr double kMinFloat = -3.14e100;

enum BmesState : std::uint8_t { kStateB = 0, kStateE = 1, kStateM = 2, kStateS = 3 };

struct BmesHead {
  std::array<double, 4> start;
  std::array<double, 16> trans;  // [from * 4 + to]
};

class BmesModel {
 public:
  BmesModel() = default;
  // emit: kHanCount * 4 scores, [(c - kHanFirst) * 4 + state].
  BmesModel(const BmesHead& head, std::span<const double> emit);

  // finalseg.viterbi over n characters of the CJK range; path[i] is the state of cjk[i].
  // scratch holds the back-pointers (4 per character).
  void viterbi(const char32_t* cjk, std::size_t n, std::vector<std::uint8_t>& scratch,
               std::uint8_t* path) const;

  double emit(char32_t c, int state) const { return emit_[(c - kHanFirst) * 4 + state]; }

 private:
  BmesHead head_{};
  std::span<const double> emit_;
};

// Owning tables parsed from finalseg/prob_*.py in `dir`.
struct BmesTables {
  BmesHead head{};
  std::vector<double> emit;
  BmesModel model() const { return BmesModel(head, emit); }
};
BmesTables load_bmes_tables(const std::filesystem::path& finalseg_dir);

// finalseg.__cut: turns a state path into words, calling emit(begin, end).
template <class Emit>
void bmes_words(const std::uint8_t* path, std::size_t n, Emit emit) {
  std::size_t begin = 0;
  std::size_t next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (path[i] == kStateB) {
      begin = i;
    } else if (path[i] == kStateE) {
      emit(begin, i + 1);
      next = i + 1;
    } else if (path[i] == kStateS) {
      emit(i, i + 1);
      next = i + 1;
    }
  }
  if (next < n) emit(next, n);
}

}  // namespace zhsenti::text
