#include "zhsenti/text/pos_tagger.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <map>
#include <utility>

#include "py_literal.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

using detail::PyValue;
using Bits = std::array<std::uint64_t, 4>;
using StateKey = std::pair<std::string, std::string>;

bool test(const Bits& b, std::size_t i) { return (b[i >> 6] >> (i & 63)) & 1U; }
void set(Bits& b, std::size_t i) { b[i >> 6] |= std::uint64_t{1} << (i & 63); }
bool none(const Bits& b) { return (b[0] | b[1] | b[2] | b[3]) == 0; }

template <class Fn>
void for_each_bit(const Bits& b, Fn fn) {
  for (std::size_t w = 0; w < 4; ++w) {
    std::uint64_t word = b[w];
    while (word) {
      fn(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
      word &= word - 1;
    }
  }
}

int highest_bit(const Bits& b) {
  for (int w = 3; w >= 0; --w) {
    if (b[w]) return w * 64 + 63 - std::countl_zero(b[w]);
  }
  return -1;
}

[[noreturn]] void format_error(const std::filesystem::path& path, std::string_view what) {
  throw Error(ErrorCode::kFormat, fmt::format("{}: {}", path.string(), what));
}

const PyValue& expect(const PyValue& v, PyValue::Kind kind, const std::filesystem::path& path,
                      std::string_view what) {
  if (v.kind != kind) format_error(path, fmt::format("expected {}", what));
  return v;
}

StateKey state_key(const PyValue& v, const std::filesystem::path& path) {
  if (v.kind != PyValue::Kind::kTuple || v.items.size() != 2 ||
      v.items[0].kind != PyValue::Kind::kString || v.items[1].kind != PyValue::Kind::kString) {
    format_error(path, "expected a state tuple ('B', 'tag')");
  }
  return {v.items[0].str, v.items[1].str};
}

// The CJK character a str key names, or nullopt for keys the HMM never sees.
std::optional<char32_t> cjk_key(const PyValue& v, const std::filesystem::path& path) {
  expect(v, PyValue::Kind::kString, path, "a character key");
  const std::u32string cps = utf8::decode(v.str);
  if (cps.size() == 1 && is_cjk(cps[0])) return cps[0];
  return std::nullopt;
}

}  // namespace

PosModel::PosModel(const PosArrays& arrays) : a_(arrays) {
  const std::size_t n = a_.start.size();
  ZHSENTI_CHECK_INTERNAL(n > 0 && n <= kMaxPosStates);
  ZHSENTI_CHECK_INTERNAL(a_.succ_bits.size() == n * 4 && a_.pred_begin.size() == n + 1);
  ZHSENTI_CHECK_INTERNAL(a_.char_known.size() == kHanCount);
  for (std::size_t y = 0; y < n; ++y) {
    set(all_, y);
    const auto* succ = &a_.succ_bits[y * 4];
    if ((succ[0] | succ[1] | succ[2] | succ[3]) != 0) set(has_next_, y);
  }
}

void PosModel::viterbi(const char32_t* cjk, std::size_t n, PosScratch& s) const {
  if (n == 0) return;
  const std::size_t count = state_count();
  s.v.assign(count, 0.0);
  s.next.assign(count, 0.0);
  s.emit.resize(count);
  s.back.resize(n * count);
  s.path.resize(n);

  auto load_emit = [&](char32_t c) {
    std::fill(s.emit.begin(), s.emit.end(), kMinFloat);
    const std::size_t i = c - kHanFirst;
    for (std::uint32_t k = a_.emit_begin[i]; k < a_.emit_begin[i + 1]; ++k) {
      s.emit[a_.emit_state[k]] = a_.emit_prob[k];
    }
  };
  // states.get(c, all_states)
  auto states_of = [&](char32_t c) {
    const std::size_t i = c - kHanFirst;
    if (!a_.char_known[i]) return all_;
    Bits b{};
    for (std::uint32_t k = a_.char_state_begin[i]; k < a_.char_state_begin[i + 1]; ++k) {
      set(b, a_.char_states[k]);
    }
    return b;
  };

  load_emit(cjk[0]);
  Bits present = states_of(cjk[0]);
  for_each_bit(present, [&](std::size_t y) { s.v[y] = a_.start[y] + s.emit[y]; });

  for (std::size_t t = 1; t < n; ++t) {
    Bits prev{};
    Bits expect_next{};
    for (std::size_t w = 0; w < 4; ++w) prev[w] = present[w] & has_next_[w];
    for_each_bit(prev, [&](std::size_t y0) {
      for (std::size_t w = 0; w < 4; ++w) expect_next[w] |= a_.succ_bits[y0 * 4 + w];
    });
    Bits obs = states_of(cjk[t]);
    for (std::size_t w = 0; w < 4; ++w) obs[w] &= expect_next[w];
    if (none(obs)) obs = none(expect_next) ? all_ : expect_next;
    load_emit(cjk[t]);
    std::uint8_t* back = &s.back[t * count];
    for_each_bit(obs, [&](std::size_t y) {
      // max over (V[y0] + trans(y0, y) + emit, y0): sources without a transition score -inf
      // and lose to any that has one; scanning sources upwards with >= keeps the larger on ties.
      double best = -std::numeric_limits<double>::infinity();
      int arg = -1;
      for (std::uint32_t k = a_.pred_begin[y]; k < a_.pred_begin[y + 1]; ++k) {
        const std::uint8_t y0 = a_.pred_state[k];
        if (!test(prev, y0)) continue;
        const double cand = s.v[y0] + a_.pred_prob[k] + s.emit[y];
        if (arg < 0 || cand >= best) {
          best = cand;
          arg = y0;
        }
      }
      if (arg < 0) {
        // Every candidate is -inf; Python's max then picks the largest source. (With no
        // source at all jieba raises ValueError; we keep going with -inf scores.)
        arg = std::max(highest_bit(none(prev) ? present : prev), 0);
      }
      s.next[y] = best;
      back[y] = static_cast<std::uint8_t>(arg);
    });
    std::swap(s.v, s.next);
    present = obs;
  }

  int state = -1;
  double best = 0.0;
  for_each_bit(present, [&](std::size_t y) {
    if (state < 0 || s.v[y] >= best) {
      best = s.v[y];
      state = static_cast<int>(y);
    }
  });
  for (std::size_t t = n; t-- > 0;) {
    s.path[t] = static_cast<std::uint8_t>(state);
    if (t > 0) state = s.back[t * count + static_cast<std::size_t>(state)];
  }
}

PosArrays PosTables::arrays() const {
  return PosArrays{state_bmes, state_tag,  start,      pred_begin,       pred_state,
                   pred_prob,  succ_bits,  char_known, char_state_begin, char_states,
                   emit_begin, emit_state, emit_prob};
}

PosTables load_pos_tables(const std::filesystem::path& dir,
                          const std::function<std::uint16_t(std::string_view)>& tag_id) {
  const auto trans_path = dir / "prob_trans.py";
  const PyValue trans = detail::load_py_table(trans_path);
  expect(trans, PyValue::Kind::kDict, trans_path, "a dict");

  // all_states = trans_p.keys(), numbered in tuple order.
  std::map<StateKey, std::size_t> ids;
  for (std::size_t i = 0; i < trans.items.size(); i += 2) {
    ids.emplace(state_key(trans.items[i], trans_path), 0);
  }
  if (ids.empty() || ids.size() > kMaxPosStates) {
    format_error(trans_path,
                 fmt::format("expected 1 to {} states, found {}", kMaxPosStates, ids.size()));
  }
  PosTables out;
  std::size_t next_id = 0;
  for (auto& [key, id] : ids) {
    id = next_id++;
    static constexpr std::string_view kLetters = "BEMS";
    const std::size_t letter = kLetters.find(key.first);
    if (key.first.size() != 1 || letter == std::string_view::npos) {
      format_error(trans_path, fmt::format("state letter '{}' is not B, E, M or S", key.first));
    }
    out.state_bmes.push_back(static_cast<std::uint8_t>(letter));
    out.state_tag.push_back(tag_id(key.second));
  }
  const std::size_t count = ids.size();
  auto id_of = [&](const PyValue& v, const std::filesystem::path& path) {
    const auto it = ids.find(state_key(v, path));
    if (it == ids.end()) format_error(path, "a state that prob_trans.py does not list");
    return it->second;
  };

  std::vector<std::vector<std::pair<std::uint8_t, double>>> preds(count);
  out.succ_bits.assign(count * 4, 0);
  for (std::size_t i = 0; i < trans.items.size(); i += 2) {
    const std::size_t from = id_of(trans.items[i], trans_path);
    const PyValue& row = expect(trans.items[i + 1], PyValue::Kind::kDict, trans_path, "a dict");
    for (std::size_t j = 0; j < row.items.size(); j += 2) {
      const std::size_t to = id_of(row.items[j], trans_path);
      const double p =
          expect(row.items[j + 1], PyValue::Kind::kNumber, trans_path, "a number").number;
      auto& list = preds[to];
      const auto it =
          std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == from; });
      if (it != list.end()) {
        it->second = p;
      } else {
        list.emplace_back(static_cast<std::uint8_t>(from), p);
      }
      out.succ_bits[from * 4 + to / 64] |= std::uint64_t{1} << (to % 64);
    }
  }
  out.pred_begin.push_back(0);
  for (auto& list : preds) {
    std::sort(list.begin(), list.end());
    for (const auto& [from, p] : list) {
      out.pred_state.push_back(from);
      out.pred_prob.push_back(p);
    }
    out.pred_begin.push_back(static_cast<std::uint32_t>(out.pred_state.size()));
  }

  const auto start_path = dir / "prob_start.py";
  const PyValue start = detail::load_py_table(start_path);
  expect(start, PyValue::Kind::kDict, start_path, "a dict");
  out.start.assign(count, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < start.items.size(); i += 2) {
    out.start[id_of(start.items[i], start_path)] =
        expect(start.items[i + 1], PyValue::Kind::kNumber, start_path, "a number").number;
  }
  if (std::any_of(out.start.begin(), out.start.end(), [](double p) { return p != p; })) {
    format_error(start_path, "a state has no start probability");
  }

  const auto tab_path = dir / "char_state_tab.py";
  const PyValue tab = detail::load_py_table(tab_path);
  expect(tab, PyValue::Kind::kDict, tab_path, "a dict");
  std::vector<std::vector<std::uint8_t>> char_states(kHanCount);
  out.char_known.assign(kHanCount, 0);
  for (std::size_t i = 0; i < tab.items.size(); i += 2) {
    const auto c = cjk_key(tab.items[i], tab_path);
    const PyValue& list = expect(tab.items[i + 1], PyValue::Kind::kTuple, tab_path, "a tuple");
    if (!c) continue;
    out.char_known[*c - kHanFirst] = 1;
    auto& states = char_states[*c - kHanFirst];
    states.clear();
    for (const PyValue& st : list.items)
      states.push_back(static_cast<std::uint8_t>(id_of(st, tab_path)));
  }
  out.char_state_begin.push_back(0);
  for (const auto& states : char_states) {
    out.char_states.insert(out.char_states.end(), states.begin(), states.end());
    out.char_state_begin.push_back(static_cast<std::uint32_t>(out.char_states.size()));
  }

  const auto emit_path = dir / "prob_emit.py";
  const PyValue emit = detail::load_py_table(emit_path);
  expect(emit, PyValue::Kind::kDict, emit_path, "a dict");
  std::vector<std::vector<std::pair<std::uint8_t, double>>> emits(kHanCount);
  for (std::size_t i = 0; i < emit.items.size(); i += 2) {
    const auto state = static_cast<std::uint8_t>(id_of(emit.items[i], emit_path));
    const PyValue& row = expect(emit.items[i + 1], PyValue::Kind::kDict, emit_path, "a dict");
    for (std::size_t j = 0; j < row.items.size(); j += 2) {
      const auto c = cjk_key(row.items[j], emit_path);
      if (!c) continue;
      const double p =
          expect(row.items[j + 1], PyValue::Kind::kNumber, emit_path, "a number").number;
      auto& list = emits[*c - kHanFirst];
      const auto it =
          std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == state; });
      if (it != list.end()) {
        it->second = p;
      } else {
        list.emplace_back(state, p);
      }
    }
  }
  out.emit_begin.push_back(0);
  for (auto& list : emits) {
    std::sort(list.begin(), list.end());
    for (const auto& [state, p] : list) {
      out.emit_state.push_back(state);
      out.emit_prob.push_back(p);
    }
    out.emit_begin.push_back(static_cast<std::uint32_t>(out.emit_state.size()));
  }
  return out;
}

}  // namespace zhsenti::text
