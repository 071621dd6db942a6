#pragma once
// jieba.posseg's HMM: states are (B|E|M|S, tag) pairs (256 in jieba's tables), cutting and
// tagging runs of Chinese characters that no dictionary word covers. Tables come from
// posseg/{char_state_tab,prob_start,prob_trans,prob_emit}.py.
//
// State ids follow Python's ordering of the (letter, tag) tuples, so jieba's
// `max((prob, state) ...)` tie-break (the larger tuple wins) is "the larger id wins".

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zhsenti/text/char_class.h"
#include "zhsenti/text/hmm.h"

namespace zhsenti::text {

inline constexpr std::size_t kMaxPosStates = 256;

// Flat arrays of the model (views into the cache or into PosTables).
struct PosArrays {
  std::span<const std::uint8_t> state_bmes;  // per state: BmesState of its letter
  std::span<const std::uint16_t> state_tag;  // per state: tag id
  std::span<const double> start;             // per state
  // Transitions grouped by target: for y, sources pred_state[pred_begin[y] .. pred_begin[y+1])
  // in increasing order with scores pred_prob.
  std::span<const std::uint32_t> pred_begin;
  std::span<const std::uint8_t> pred_state;
  std::span<const double> pred_prob;
  std::span<const std::uint64_t> succ_bits;  // per state: 4 words, the set of its targets
  // Per CJK character c (index c - kHanFirst): char_state_tab[c] and the emissions.
  std::span<const std::uint8_t> char_known;  // 0: not in char_state_tab (all states allowed)
  std::span<const std::uint32_t> char_state_begin;
  std::span<const std::uint8_t> char_states;
  std::span<const std::uint32_t> emit_begin;
  std::span<const std::uint8_t> emit_state;  // increasing per character
  std::span<const double> emit_prob;
};

struct PosScratch {
  std::vector<double> v, next, emit;
  std::vector<std::uint8_t> back;
  std::vector<std::uint8_t> path;
};

class PosModel {
 public:
  PosModel() = default;
  explicit PosModel(const PosArrays& arrays);

  std::size_t state_count() const { return a_.start.size(); }

  // posseg.viterbi over n CJK characters; scratch.path[i] is the state of cjk[i].
  void viterbi(const char32_t* cjk, std::size_t n, PosScratch& scratch) const;

  // POSTokenizer.__cut: words and tag ids from scratch.path, emit(begin, end, tag).
  template <class Emit>
  void words(const PosScratch& scratch, std::size_t n, Emit emit) const;

 private:
  PosArrays a_;
  std::array<std::uint64_t, 4> all_{};       // every state
  std::array<std::uint64_t, 4> has_next_{};  // states with at least one transition
};

// Owning tables parsed from jieba's posseg folder; tag_id interns tag strings.
struct PosTables {
  std::vector<std::uint8_t> state_bmes;
  std::vector<std::uint16_t> state_tag;
  std::vector<double> start;
  std::vector<std::uint32_t> pred_begin;
  std::vector<std::uint8_t> pred_state;
  std::vector<double> pred_prob;
  std::vector<std::uint64_t> succ_bits;
  std::vector<std::uint8_t> char_known;
  std::vector<std::uint32_t> char_state_begin;
  std::vector<std::uint8_t> char_states;
  std::vector<std::uint32_t> emit_begin;
  std::vector<std::uint8_t> emit_state;
  std::vector<double> emit_prob;
  PosArrays arrays() const;
};
PosTables load_pos_tables(const std::filesystem::path& posseg_dir,
                          const std::function<std::uint16_t(std::string_view)>& tag_id);

template <class Emit>
void PosModel::words(const PosScratch& scratch, std::size_t n, Emit emit) const {
  const std::uint8_t* path = scratch.path.data();
  std::size_t begin = 0;
  std::size_t next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t letter = a_.state_bmes[path[i]];
    if (letter == kStateB) {
      begin = i;
    } else if (letter == kStateE) {
      emit(begin, i + 1, a_.state_tag[path[i]]);
      next = i + 1;
    } else if (letter == kStateS) {
      emit(i, i + 1, a_.state_tag[path[i]]);
      next = i + 1;
    }
  }
  if (next < n) emit(next, n, a_.state_tag[path[next]]);
}

}  // namespace zhsenti::text
