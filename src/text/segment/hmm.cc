#include "zhsenti/text/hmm.h"

#include <fmt/format.h>

#include "py_literal.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

using detail::PyValue;

int state_index(const PyValue& key, const std::filesystem::path& path) {
  if (key.kind == PyValue::Kind::kString && key.str.size() == 1) {
    switch (key.str[0]) {
      case 'B':
        return kStateB;
      case 'E':
        return kStateE;
      case 'M':
        return kStateM;
      case 'S':
        return kStateS;
      default:
        break;
    }
  }
  throw Error(ErrorCode::kFormat,
              fmt::format("{}: expected a state key 'B', 'E', 'M' or 'S'", path.string()));
}

const PyValue& expect_dict(const PyValue& v, const std::filesystem::path& path) {
  if (v.kind != PyValue::Kind::kDict) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: expected a dict", path.string()));
  }
  return v;
}

double expect_number(const PyValue& v, const std::filesystem::path& path) {
  if (v.kind != PyValue::Kind::kNumber) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: expected a number", path.string()));
  }
  return v.number;
}

// PrevStatus of finalseg: the two states that may precede each state.
constexpr std::array<std::array<std::uint8_t, 2>, 4> kPrev = {{
    {kStateE, kStateS},  // B
    {kStateB, kStateM},  // E
    {kStateM, kStateB},  // M
    {kStateS, kStateE},  // S
}};

}  // namespace

BmesModel::BmesModel(const BmesHead& head, std::span<const double> emit)
    : head_(head), emit_(emit) {
  ZHSENTI_CHECK_INTERNAL(emit.size() == std::size_t{kHanCount} * 4);
}

void BmesModel::viterbi(const char32_t* cjk, std::size_t n, std::vector<std::uint8_t>& scratch,
                        std::uint8_t* path) const {
  if (n == 0) return;
  scratch.resize(n * 4);
  std::array<double, 4> v{};
  for (int y = 0; y < 4; ++y) v[y] = head_.start[y] + emit(cjk[0], y);
  for (std::size_t t = 1; t < n; ++t) {
    std::array<double, 4> next{};
    for (int y = 0; y < 4; ++y) {
      const double em = emit(cjk[t], y);
      // max over (V[y0] + trans + em, y0): on equal scores the larger state wins.
      std::uint8_t a = kPrev[y][0];
      std::uint8_t b = kPrev[y][1];
      if (a > b) std::swap(a, b);
      const double pa = v[a] + head_.trans[a * 4 + y] + em;
      const double pb = v[b] + head_.trans[b * 4 + y] + em;
      const bool take_b = pb >= pa;
      next[y] = take_b ? pb : pa;
      scratch[t * 4 + y] = take_b ? b : a;
    }
    v = next;
  }
  std::uint8_t state = v[kStateS] >= v[kStateE] ? kStateS : kStateE;
  for (std::size_t t = n; t-- > 0;) {
    path[t] = state;
    if (t > 0) state = scratch[t * 4 + state];
  }
}

BmesTables load_bmes_tables(const std::filesystem::path& dir) {
  BmesTables out;
  out.head.start.fill(kMinFloat);
  out.head.trans.fill(kMinFloat);
  out.emit.assign(std::size_t{kHanCount} * 4, kMinFloat);

  const auto start_path = dir / "prob_start.py";
  const PyValue start = detail::load_py_table(start_path);
  expect_dict(start, start_path);
  for (std::size_t i = 0; i < start.items.size(); i += 2) {
    out.head.start[state_index(start.items[i], start_path)] =
        expect_number(start.items[i + 1], start_path);
  }

  const auto trans_path = dir / "prob_trans.py";
  const PyValue trans = detail::load_py_table(trans_path);
  expect_dict(trans, trans_path);
  for (std::size_t i = 0; i < trans.items.size(); i += 2) {
    const int from = state_index(trans.items[i], trans_path);
    const PyValue& row = expect_dict(trans.items[i + 1], trans_path);
    for (std::size_t j = 0; j < row.items.size(); j += 2) {
      out.head.trans[from * 4 + state_index(row.items[j], trans_path)] =
          expect_number(row.items[j + 1], trans_path);
    }
  }

  const auto emit_path = dir / "prob_emit.py";
  const PyValue emit = detail::load_py_table(emit_path);
  expect_dict(emit, emit_path);
  for (std::size_t i = 0; i < emit.items.size(); i += 2) {
    const int state = state_index(emit.items[i], emit_path);
    const PyValue& row = expect_dict(emit.items[i + 1], emit_path);
    for (std::size_t j = 0; j < row.items.size(); j += 2) {
      const PyValue& key = row.items[j];
      if (key.kind != PyValue::Kind::kString) {
        throw Error(ErrorCode::kFormat,
                    fmt::format("{}: expected a character key", emit_path.string()));
      }
      const std::u32string cps = utf8::decode(key.str);
      // Only characters of the CJK range ever reach the HMM; others are dead entries.
      if (cps.size() == 1 && is_cjk(cps[0])) {
        out.emit[(cps[0] - kHanFirst) * 4 + state] = expect_number(row.items[j + 1], emit_path);
      }
    }
  }
  return out;
}

}  // namespace zhsenti::text
