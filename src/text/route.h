#pragma once
// jieba's precise-mode core, shared by the run-time trie and the load-time word map:
// splitting a text into blocks (Tokenizer.cut), the best route through the word DAG
// (get_DAG + calc fused into one backward pass) and the no-HMM emission loop.
//
// A Lexicon provides
//   using Sym; using Node;
//   bool root(Sym, Node&) const;      // the one-character prefix, if it is a key of FREQ
//   bool child(Node&, Sym) const;     // extend the prefix by one character
//   double weight(const Node&) const; // log(freq) - log(total), or kNotAWord when freq == 0
//   double fallback_weight() const;   // log(1) - log(total)
//   std::uint32_t id(const Node&) const;  // a small handle kept in RouteStep::node

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "zhsenti/text/char_class.h"
#include "zhsenti/text/trie.h"

namespace zhsenti::text::detail {

inline constexpr double kNotAWord = kTrieNoWord;
inline constexpr std::uint32_t kNoNode = 0xFFFFFFFF;

struct RouteStep {
  double prob;    // best log probability of the suffix starting here
  std::uint32_t end;  // one past the last character of the first word on that route
  std::uint32_t node; // lexicon id of that word; kNoNode when it is not a word
};

// Decodes UTF-8 into code points and the byte offset of each (offs has n + 1 entries).
// An invalid byte becomes U+FFFD covering that one byte, so every byte belongs to a token.
void decode_offsets(std::string_view text, std::vector<char32_t>& cps,
                    std::vector<std::uint32_t>& offs);

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
template <class Lexicon>
void calc_route(const Lexicon& lex, const typename Lexicon::Sym* syms, std::size_t n,
                std::vector<RouteStep>& route) {
  route.resize(n + 1);
  route[n] = {0.0, static_cast<std::uint32_t>(n), 0};
  const double fallback = lex.fallback_weight();
  for (std::size_t idx = n; idx-- > 0;) {
    RouteStep best{fallback + route[idx + 1].prob, static_cast<std::uint32_t>(idx + 1), kNoNode};
    bool found = false;
    typename Lexicon::Node node;
    if (lex.root(syms[idx], node)) {
      std::size_t x = idx;
      for (;;) {
        const double w = lex.weight(node);
        if (w != kNotAWord) {
          const double cand = w + route[x + 1].prob;
          if (!found || cand >= best.prob) {
            best = {cand, static_cast<std::uint32_t>(x + 1), lex.id(node)};
            found = true;
          }
        }
        if (++x >= n || !lex.child(node, syms[x])) break;
      }
    }
    route[idx] = best;
  }
}

// Tokenizer.__cut_DAG_NO_HMM over one block: single ASCII letters/digits on the route are
// glued into one token. emit(begin, end, glued) in block positions; glued marks such a run.
template <class Emit>
void emit_route_no_hmm(const char32_t* cps, std::size_t n, const std::vector<RouteStep>& route,
                       Emit emit) {
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
