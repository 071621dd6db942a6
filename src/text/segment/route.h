#pragma once
// jieba's precise-mode core, shared by the run-time trie and the load-time word map:
// splitting a text into blocks (Tokenizer.cut), the best route through the word DAG
// (get_DAG + calc fused into one backward pass) and the no-HMM emission loop.
//
// A Lexicon provides
//   using Sym; using Node;
//   bool root(Sym, Node&) const;      // the one-character prefix, if it is a key of FREQ
//   bool has_children(const Node&) const;  // false: no longer key starts with this one
//   bool child(Node&, Sym) const;     // extend the prefix by one character
//   void prefetch(Sym, Sym) const;    // a hint: the two-character prefix will be looked up
//   double weight(const Node&) const; // log(freq) - log(total), or kNotAWord when freq == 0
//   double fallback_weight() const;   // log(1) - log(total)
//   std::uint32_t id(const Node&) const;  // a small handle kept in RouteStep::node

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>

#include "zhsenti/text/char_class.h"
#include "zhsenti/text/trie.h"

namespace zhsenti::text::detail {

inline constexpr double kNotAWord = kTrieNoWord;
inline constexpr std::uint32_t kNoNode = 0xFFFFFFFF;

struct RouteStep {
  double prob;         // best log probability of the suffix starting here
  std::uint32_t end;   // one past the last character of the first word on that route
  std::uint32_t node;  // lexicon id of that word; kNoNode when it is not a word
};

// A grow-only array that is never value-initialised: scratch space reused from call to call.
template <class T>
class Buffer {
 public:
  using value_type = T;
  T* reserve(std::size_t n) {
    if (n > capacity_) {
      capacity_ = std::max(n, capacity_ * 2);
      data_ = std::make_unique_for_overwrite<T[]>(capacity_);
    }
    return data_.get();
  }
  T* data() const { return data_.get(); }
  std::size_t capacity() const { return capacity_; }

 private:
  std::unique_ptr<T[]> data_;
  std::size_t capacity_ = 0;
};

// Decodes UTF-8 into code points and the byte offset of each; returns their number n (offs
// gets n + 1 entries). cps and offs need room for text.size() (+ 1) entries. An invalid byte
// becomes U+FFFD covering that one byte, so every byte belongs to a token.
std::size_t decode_offsets(std::string_view text, char32_t* cps, std::uint32_t* offs);

// Calls on_run(begin, end) for each maximal run of characters satisfying is_han and
// on_other(begin, end, is_space) for each other token: one non-space character, one
// whitespace character, or "\r\n" (re_skip = (\r\n|\s)).
template <class IsHan, class OnRun, class OnOther>
void split_blocks(const char32_t* cps, std::size_t n, IsHan is_han, OnRun on_run,
                  OnOther on_other) {
  std::size_t i = 0;
  while (i < n) {
    if (is_han(cps[i])) {
      std::size_t j = i + 1;
      while (j < n && is_han(cps[j])) ++j;
      on_run(i, j);
      i = j;
    } else if (cps[i] == '\r' && i + 1 < n && cps[i + 1] == '\n') {
      on_other(i, i + 2, true);
      i += 2;
    } else {
      on_other(i, i + 1, is_py_space(cps[i]));
      ++i;
    }
  }
}

// Tokenizer.calc over get_DAG: route[i] for i in [0, n], route[n] = (0, n).
// max() over (prob, x) tuples breaks ties towards the larger x, hence the >= below.
// route needs room for n + 1 steps.
template <class Lexicon>
void calc_route(const Lexicon& lex, const typename Lexicon::Sym* syms, std::size_t n,
                RouteStep* route) {
  route[n] = {0.0, static_cast<std::uint32_t>(n), kNoNode};
  const double fallback = lex.fallback_weight();
  // The walks are independent, so the memory of a walk a few positions ahead is requested
  // while this one runs: that hides most of the trie's cache misses.
  constexpr std::size_t kPrefetchAhead = 3;
  for (std::size_t i = n; i-- > n - std::min(n, kPrefetchAhead);) {
    if (i + 1 < n) lex.prefetch(syms[i], syms[i + 1]);
  }
  for (std::size_t idx = n; idx-- > 0;) {
    if (idx >= kPrefetchAhead) {
      lex.prefetch(syms[idx - kPrefetchAhead], syms[idx - kPrefetchAhead + 1]);
    }
    RouteStep best{-std::numeric_limits<double>::infinity(), 0, kNoNode};
    typename Lexicon::Node node;
    if (lex.root(syms[idx], node)) {
      std::size_t x = idx;
      for (;;) {
        const double w = lex.weight(node);
        if (w != kNotAWord) {
          const double cand = w + route[x + 1].prob;
          if (cand >= best.prob) best = {cand, static_cast<std::uint32_t>(x + 1), lex.id(node)};
        }
        if (++x >= n || !lex.has_children(node) || !lex.child(node, syms[x])) break;
      }
    }
    // get_DAG's fallback [idx] when no prefix starting here is a word.
    if (best.end == 0)
      best = {fallback + route[idx + 1].prob, static_cast<std::uint32_t>(idx + 1), kNoNode};
    route[idx] = best;
  }
}

// Tokenizer.__cut_DAG_NO_HMM over one block: single ASCII letters/digits on the route are
// glued into one token. emit(begin, end, glued) in block positions; glued marks such a run.
template <class Emit>
void emit_route_no_hmm(const char32_t* cps, std::size_t n, const RouteStep* route, Emit emit) {
  std::size_t buf = n;  // start of the pending run of single ASCII alphanumerics
  std::size_t x = 0;
  while (x < n) {
    const std::size_t y = route[x].end;
    if (y - x == 1 && is_ascii_alnum(cps[x])) {
      if (buf == n) buf = x;
    } else {
      if (buf != n) {
        emit(buf, x, true);
        buf = n;
      }
      emit(x, y, false);
    }
    x = y;
  }
  if (buf != n) emit(buf, n, true);
}

}  // namespace zhsenti::text::detail
