// The cutting half of Segmenter: Tokenizer.cut / __cut_DAG / finalseg.cut and
// POSTokenizer.__cut_internal / __cut_DAG / __cut_detail over the trie and HMM tables.

#include "zhsenti/text/segmenter.h"

#include <limits>

#include "route.h"
#include "segmenter_impl.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/scratch.h"
#include "zhsenti/text/utf8.h"

namespace zhsenti::text {
namespace {

using detail::RouteStep;

// The run-time lexicon for calc_route.
struct TrieLexicon {
  using Sym = char32_t;
  using Node = TrieCursor;
  const TrieView& trie;
  double fallback;

  bool root(Sym s, Node& n) const { return trie.root(TrieView::sym(s), n); }
  bool has_children(const Node& n) const { return TrieView::has_children(n); }
  bool child(Node& n, Sym s) const { return trie.child(n, TrieView::sym(s)); }
  void prefetch(Sym a, Sym b) const { trie.prefetch(TrieView::sym(a), TrieView::sym(b)); }
  double weight(const Node& n) const { return trie.weight(n); }
  double fallback_weight() const { return fallback; }
  std::uint32_t id(const Node& n) const { return n.node; }
};

// Per-thread buffers: they grow to the longest text a thread has cut, up to the size
// core/scratch.h lets them keep, and are then reused.
struct Scratch {
  detail::Buffer<char32_t> cps;
  detail::Buffer<std::uint32_t> offs;
  detail::Buffer<RouteStep> route;
  std::vector<std::uint8_t> bmes_back;
  std::vector<std::uint8_t> bmes_path;
  PosScratch pos;

  void release_if_large() {
    zhsenti::release_if_large(cps, offs, route, bmes_back, bmes_path, pos.v, pos.next, pos.emit,
                              pos.back, pos.path);
  }
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Calls fn(begin, end, is_cjk) for the maximal runs of CJK / non-CJK characters in [b, e)
// (re_han = ([\u4E00-\u9FD5]+) splitting a buffer).
template <class Fn>
void for_each_cjk_run(const char32_t* cps, std::size_t b, std::size_t e, Fn fn) {
  while (b < e) {
    const bool cjk = is_cjk(cps[b]);
    std::size_t j = b + 1;
    while (j < e && is_cjk(cps[j]) == cjk) ++j;
    fn(b, j, cjk);
    b = j;
  }
}

// finalseg.re_skip = ([a-zA-Z0-9]+(?:\.\d+)?%?) splitting a non-CJK run: the matches and the
// non-empty pieces between them are tokens. Inside a block `\d` can only meet ASCII digits.
template <class Emit>
void split_finalseg_skip(const char32_t* cps, std::size_t i, std::size_t e, Emit emit) {
  while (i < e) {
    std::size_t j = i;
    while (j < e && !is_ascii_alnum(cps[j])) ++j;
    if (j > i) emit(i, j);
    if (j == e) return;
    std::size_t k = j;
    while (k < e && is_ascii_alnum(cps[k])) ++k;
    if (k + 1 < e && cps[k] == '.' && is_ascii_digit(cps[k + 1])) {
      k += 2;
      while (k < e && is_ascii_digit(cps[k])) ++k;
    }
    if (k < e && cps[k] == '%') ++k;
    emit(j, k);
    i = k;
  }
}

// posseg.re_skip_detail = ([\.0-9]+|[a-zA-Z0-9]+): a match starting with '.' or a digit is
// tagged m (re_num), one starting with a letter eng (re_eng), the pieces between are x.
template <class Emit>
void split_posseg_skip(const char32_t* cps, std::size_t i, std::size_t e, Emit emit) {
  auto num = [](char32_t c) { return c == '.' || is_ascii_digit(c); };
  while (i < e) {
    std::size_t j = i;
    while (j < e && !num(cps[j]) && !is_ascii_alnum(cps[j])) ++j;
    if (j > i) emit(i, j, 'x');
    if (j == e) return;
    std::size_t k = j;
    if (num(cps[j])) {
      while (k < e && num(cps[k])) ++k;
      emit(j, k, 'm');
    } else {
      while (k < e && is_ascii_alnum(cps[k])) ++k;
      emit(j, k, 'e');
    }
    i = k;
  }
}

class Cutter {
 public:
  Cutter(const Segmenter::Impl& impl, std::string_view text, Scratch& s)
      : impl_(impl), text_(text), s_(s), lex_{impl.trie, impl.scalars.neg_log_total} {
    ZHSENTI_CHECK_ARG(text.size() < std::numeric_limits<std::uint32_t>::max(),
                      "text of {} bytes is too long to segment", text.size());
    cps_ = s.cps.reserve(text.size());
    offs_ = s.offs.reserve(text.size() + 1);
    n_ = detail::decode_offsets(text, cps_, offs_);
    route_ = s.route.reserve(n_ + 1);
  }
  ~Cutter() { s_.release_if_large(); }
  Cutter(const Cutter&) = delete;
  Cutter& operator=(const Cutter&) = delete;

  std::size_t size() const { return n_; }
  const char32_t* cps() const { return cps_; }
  const RouteStep* route_steps() const { return route_; }
  std::string_view piece(std::size_t b, std::size_t e) const {
    return {text_.data() + offs_[b], offs_[e] - offs_[b]};
  }

  // Route over block [b, e); route_ is indexed from b, which later calls name positions from.
  void route(std::size_t b, std::size_t e) {
    block_ = cps_ + b;
    detail::calc_route(lex_, block_, e - b, route_);
  }

  // The trie cursor of the block's characters [b, e); false when they are not a key of FREQ.
  bool find(std::size_t b, std::size_t e, TrieCursor& cur) const {
    return find_in(block_, b, e, cur);
  }

  // FREQ.get(buf) is truthy, buf = block positions [b, e).
  bool is_word(std::size_t b, std::size_t e) const { return is_word_in(block_, b, e); }
  // The same for text positions [b, e).
  bool is_text_word(std::size_t b, std::size_t e) const { return is_word_in(cps_, b, e); }

  // Tokenizer.__cut_all over block [b, e) (route() need not have run): every dictionary word
  // starting at each position, single characters only where no longer word covers them, runs
  // of single ASCII letters/digits glued. emit(begin, end) in text positions.
  template <class Emit>
  void cut_all(std::size_t b, std::size_t e, Emit emit) const {
    std::size_t covered = b;  // old_j + 1: positions before it are inside an emitted word
    std::size_t eng_begin = e, eng_end = e;
    auto flush_eng = [&] {
      if (eng_begin != e) emit(eng_begin, eng_end);
      eng_begin = eng_end = e;
    };
    for (std::size_t k = b; k < e; ++k) {
      if (eng_begin != e && !is_ascii_alnum(cps_[k])) flush_eng();
      // get_DAG(k): the ends of the words starting at k, or just k + 1.
      std::size_t ends[2];
      std::size_t count = 0;
      TrieCursor cur;
      bool more = lex_.root(cps_[k], cur);
      for (std::size_t x = k; more;) {
        if (impl_.trie.weight(cur) != kTrieNoWord) {
          // A second word starting here: L has several entries, every longer word is emitted.
          if (count == 1) {
            covered = emit_longer_words(k, e, ends[0], emit);
            count = 2;
            break;
          }
          ends[count++] = x + 1;
        }
        if (++x >= e || !TrieView::has_children(cur) || !lex_.child(cur, cps_[x])) more = false;
      }
      if (count == 2) continue;
      const std::size_t end = count == 1 ? ends[0] : k + 1;
      if (k >= covered) {
        if (is_ascii_alnum(cps_[k])) {
          if (eng_begin == e) {
            eng_begin = k;
          } else if (eng_end != k) {
            // jieba would glue letters that are not adjacent (a word in between); we cannot.
            emit(eng_begin, eng_end);
            eng_begin = k;
          }
          eng_end = end;
        } else {
          emit(k, end);
        }
        covered = end;
      } else if (end > k + 1) {
        emit(k, end);
        covered = end;
      }
    }
    flush_eng();
  }

  // word_tag_tab.get(word, 'x') for block positions [b, e).
  std::string_view tag_of(std::size_t b, std::size_t e) const {
    TrieCursor cur;
    return impl_.tag(find(b, e, cur) ? impl_.trie.tag(cur.node) : impl_.scalars.tag_x);
  }

  // Emits every word [k, j) with j > k + 1 starting at k, shortest first; first_end is the end
  // of the shortest word found. Returns the end of the longest.
  template <class Emit>
  std::size_t emit_longer_words(std::size_t k, std::size_t e, std::size_t first_end,
                                Emit emit) const {
    std::size_t last_end = first_end;
    if (first_end > k + 1) emit(k, first_end);
    TrieCursor cur;
    lex_.root(cps_[k], cur);
    for (std::size_t x = k + 1; x < e && TrieView::has_children(cur) && lex_.child(cur, cps_[x]);
         ++x) {
      if (x + 1 > first_end && impl_.trie.weight(cur) != kTrieNoWord) {
        emit(k, x + 1);
        last_end = x + 1;
      }
    }
    return last_end;
  }

  // Tokenizer.__cut_DAG: single characters on the route gather in a buffer; a buffer that is
  // not itself a word goes to the HMM. emit(begin, end) in text positions.
  template <class Emit, class Flush>
  void walk_hmm(std::size_t b, std::size_t e, Emit emit, Flush flush) {
    const std::size_t n = e - b;
    std::size_t buf = n;
    std::size_t x = 0;
    while (x < n) {
      const std::size_t y = route_[x].end;
      if (y - x == 1) {
        if (buf == n) buf = x;
      } else {
        if (buf != n) {
          flush(buf, x);
          buf = n;
        }
        emit(x, y, route_[x].node);
      }
      x = y;
    }
    if (buf != n) flush(buf, n);
  }

  // finalseg.cut over block positions [b, e) of block `base`.
  template <class Emit>
  void finalseg(std::size_t base, std::size_t b, std::size_t e, Emit emit) {
    const char32_t* c = cps_ + base;
    for_each_cjk_run(c, b, e, [&](std::size_t rb, std::size_t re, bool cjk) {
      if (!cjk) {
        split_finalseg_skip(c, rb, re, emit);
        return;
      }
      s_.bmes_path.resize(re - rb);
      impl_.bmes.viterbi(c + rb, re - rb, s_.bmes_back, s_.bmes_path.data());
      bmes_words(s_.bmes_path.data(), re - rb, [&](std::size_t wb, std::size_t we) {
        if (impl_.force_begin.size() > 1 && we - wb > 1 &&
            impl_.force_split(piece(base + rb + wb, base + rb + we))) {
          for (std::size_t i = wb; i < we; ++i) emit(rb + i, rb + i + 1);
        } else {
          emit(rb + wb, rb + we);
        }
      });
    });
  }

  // POSTokenizer.__cut_detail over block positions [b, e) of block `base`.
  template <class Emit>
  void pos_detail(std::size_t base, std::size_t b, std::size_t e, Emit emit) {
    const char32_t* c = cps_ + base;
    const auto& sc = impl_.scalars;
    for_each_cjk_run(c, b, e, [&](std::size_t rb, std::size_t re, bool cjk) {
      if (!cjk) {
        split_posseg_skip(c, rb, re, [&](std::size_t i, std::size_t j, char kind) {
          emit(i, j, impl_.tag(kind == 'm' ? sc.tag_m : kind == 'e' ? sc.tag_eng : sc.tag_x));
        });
        return;
      }
      impl_.pos.viterbi(c + rb, re - rb, s_.pos);
      impl_.pos.words(s_.pos, re - rb, [&](std::size_t wb, std::size_t we, std::uint16_t tag) {
        emit(rb + wb, rb + we, impl_.tag(tag));
      });
    });
  }

 private:
  bool find_in(const char32_t* base, std::size_t b, std::size_t e, TrieCursor& cur) const {
    if (!lex_.root(base[b], cur)) return false;
    for (std::size_t i = b + 1; i < e; ++i) {
      if (!lex_.child(cur, base[i])) return false;
    }
    return true;
  }
  bool is_word_in(const char32_t* base, std::size_t b, std::size_t e) const {
    TrieCursor cur;
    return find_in(base, b, e, cur) && impl_.trie.weight(cur) != kTrieNoWord;
  }

  const Segmenter::Impl& impl_;
  std::string_view text_;
  Scratch& s_;
  TrieLexicon lex_;
  char32_t* cps_;
  std::uint32_t* offs_;
  const char32_t* block_ = nullptr;
  RouteStep* route_;
  std::size_t n_;
};

// Tokenizer.cut(cut_all=False): emit(begin, end) in text positions.
template <class Emit>
void cut_precise(Cutter& cutter, bool hmm, bool keep_space, Emit emit) {
  detail::split_blocks(
      cutter.cps(), cutter.size(), [](char32_t c) { return is_han_default(c); },
      [&](std::size_t b, std::size_t e) {
        cutter.route(b, e);
        auto emit_block = [&](std::size_t x, std::size_t y) { emit(b + x, b + y); };
        if (!hmm) {
          detail::emit_route_no_hmm(
              cutter.cps() + b, e - b, cutter.route_steps(),
              [&](std::size_t x, std::size_t y, bool) { emit_block(x, y); });
          return;
        }
        cutter.walk_hmm(
            b, e, [&](std::size_t x, std::size_t y, std::uint32_t) { emit_block(x, y); },
            [&](std::size_t x, std::size_t y) {
              if (y - x == 1) {
                emit_block(x, y);
              } else if (!cutter.is_word(x, y)) {
                cutter.finalseg(b, x, y, emit_block);
              } else {
                for (std::size_t i = x; i < y; ++i) emit_block(i, i + 1);
              }
            });
      },
      [&](std::size_t b, std::size_t e, bool space) {
        if (!space || keep_space) emit(b, e);
      });
}

// Tokenizer.cut(cut_all=True). Outside the han blocks jieba's re_skip.split keeps each run of
// non-space characters whole and leaves empty strings next to whitespace.
template <class Emit>
void cut_full(Cutter& cutter, bool keep_space, Emit emit) {
  const char32_t* c = cutter.cps();
  const std::size_t n = cutter.size();
  auto other = [&](std::size_t b, std::size_t e) {
    std::size_t start = b;
    std::size_t k = b;
    while (k < e) {
      std::size_t w = 0;
      if (c[k] == '\r' && k + 1 < e && c[k + 1] == '\n') {
        w = 2;
      } else if (is_py_space(c[k])) {
        w = 1;
      } else {
        ++k;
        continue;
      }
      if (start < k || keep_space) emit(start, k);
      if (keep_space) emit(k, k + w);
      k += w;
      start = k;
    }
    if (start < e || keep_space) emit(start, e);
  };
  std::size_t i = 0;
  while (i < n) {
    const bool han = is_han_default(c[i]);
    std::size_t j = i + 1;
    while (j < n && is_han_default(c[j]) == han) ++j;
    if (han) {
      cutter.cut_all(i, j, emit);
    } else {
      other(i, j);
    }
    i = j;
  }
}

// Tokenizer.cut / cut_for_search in any mode: emit(begin, end) in text positions.
template <class Emit>
void cut_mode(Cutter& cutter, const CutOptions& options, Emit emit) {
  switch (options.mode) {
    case CutMode::kDefault:
      cut_precise(cutter, options.hmm, options.keep_space, emit);
      return;
    case CutMode::kFull:
      cut_full(cutter, options.keep_space, emit);
      return;
    case CutMode::kSearch:
      // cut_for_search: the dictionary's 2- and 3-grams inside each longer word come first.
      cut_precise(cutter, options.hmm, options.keep_space, [&](std::size_t b, std::size_t e) {
        if (e - b > 2) {
          for (std::size_t i = b; i + 2 <= e; ++i) {
            if (cutter.is_text_word(i, i + 2)) emit(i, i + 2);
          }
        }
        if (e - b > 3) {
          for (std::size_t i = b; i + 3 <= e; ++i) {
            if (cutter.is_text_word(i, i + 3)) emit(i, i + 3);
          }
        }
        emit(b, e);
      });
      return;
  }
}

}  // namespace

std::optional<CutMode> parse_cut_mode(std::string_view name) {
  if (name == "default" || name == "word") return CutMode::kDefault;
  if (name == "full") return CutMode::kFull;
  if (name == "search") return CutMode::kSearch;
  return std::nullopt;
}

Segmenter::Segmenter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Segmenter::~Segmenter() = default;

const SegmenterInfo& Segmenter::info() const { return impl_->info; }
bool Segmenter::hmm() const { return impl_->hmm; }

void Segmenter::cut(std::string_view text, std::vector<std::string_view>& tokens) const {
  cut(text, tokens, CutOptions{CutMode::kDefault, impl_->hmm, false});
}

void Segmenter::cut(std::string_view text, std::vector<std::string_view>& tokens,
                    const CutOptions& options) const {
  tokens.clear();
  Cutter cutter(*impl_, text, scratch());
  cut_mode(cutter, options,
           [&](std::size_t b, std::size_t e) { tokens.push_back(cutter.piece(b, e)); });
}

void Segmenter::tokenize(std::string_view text, std::vector<TokenSpan>& tokens,
                         const CutOptions& options) const {
  tokens.clear();
  Cutter cutter(*impl_, text, scratch());
  cut_mode(cutter, options, [&](std::size_t b, std::size_t e) {
    tokens.push_back(
        {cutter.piece(b, e), static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)});
  });
}

bool Segmenter::is_word(std::string_view word) const {
  if (word.empty()) return false;
  Cutter cutter(*impl_, word, scratch());
  return cutter.is_text_word(0, cutter.size());
}

std::vector<std::string> Segmenter::cut(std::string_view text) const {
  std::vector<std::string_view> views;
  cut(text, views);
  return {views.begin(), views.end()};
}

void Segmenter::cut_pos(std::string_view text, std::vector<TaggedToken>& tokens) const {
  cut_pos(text, tokens, impl_->hmm, false);
}

void Segmenter::cut_pos(std::string_view text, std::vector<TaggedToken>& tokens, bool hmm,
                        bool keep_space) const {
  tokens.clear();
  Scratch& s = scratch();
  Cutter cutter(*impl_, text, s);
  const Impl& impl = *impl_;
  const std::string_view tag_x = impl.tag(impl.scalars.tag_x);
  const std::string_view tag_eng = impl.tag(impl.scalars.tag_eng);
  detail::split_blocks(
      cutter.cps(), cutter.size(), [](char32_t c) { return is_han_internal(c); },
      [&](std::size_t b, std::size_t e) {
        cutter.route(b, e);
        auto emit = [&](std::size_t x, std::size_t y, std::string_view tag) {
          tokens.push_back({cutter.piece(b + x, b + y), tag});
        };
        auto word_tag = [&](std::size_t x, std::size_t y, std::uint32_t node) {
          return node == kTrieNone ? cutter.tag_of(x, y) : impl.tag(impl.trie.tag(node));
        };
        if (!hmm) {
          // __cut_DAG_NO_HMM: glued single ASCII alphanumerics are tagged eng.
          detail::emit_route_no_hmm(cutter.cps() + b, e - b, cutter.route_steps(),
                                    [&](std::size_t x, std::size_t y, bool glued) {
                                      emit(x, y, glued ? tag_eng : cutter.tag_of(x, y));
                                    });
          return;
        }
        cutter.walk_hmm(
            b, e,
            [&](std::size_t x, std::size_t y, std::uint32_t node) {
              emit(x, y, word_tag(x, y, node));
            },
            [&](std::size_t x, std::size_t y) {
              if (y - x == 1) {
                emit(x, y, cutter.tag_of(x, y));
              } else if (!cutter.is_word(x, y)) {
                cutter.pos_detail(b, x, y, emit);
              } else {
                for (std::size_t i = x; i < y; ++i) emit(i, i + 1, cutter.tag_of(i, i + 1));
              }
            });
      },
      // Outside blocks every character is x: it is never '.', a digit or a letter, the only
      // characters posseg's re_num / re_eng could tag there.
      [&](std::size_t b, std::size_t e, bool space) {
        if (!space || keep_space) tokens.push_back({cutter.piece(b, e), tag_x});
      });
}

void cut_chars(std::string_view text, std::vector<std::string_view>& tokens) {
  tokens.clear();
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const auto cp = utf8::decode_one(text, pos);
    if (!cp || !is_py_space(*cp)) tokens.push_back(text.substr(start, pos - start));
  }
}

}  // namespace zhsenti::text
