#!/usr/bin/python3
"""Reference segmentation with jieba itself, printed exactly as `zhsenti segment` prints.

Reads lines (a file or stdin, split on b'\\n' only, so '\\r' and other separators stay inside
a line as they would for zhsenti) and writes one line per input line: tokens separated by one
space, whitespace-only tokens dropped; with --pos, word/tag pairs from jieba.posseg.

  /usr/bin/python3 tools/jieba_oracle.py [FILE|-] [--pos] [--no-hmm] [--mode word|char]
                                         [--user-dict F]... [--json] [--views V,...]

--json: each input line is a JSON string (so a text may hold '\n'); --views word,pos,
word-nohmm,pos-nohmm,char,full,search,search-nohmm,tokenize,tokenize-search prints one output
line per view for each input line, in that order (one jieba start-up for several comparisons).
--mode full|search are jieba.lcut(cut_all=True) and jieba.lcut_for_search; the tokenize views
print word/start/end triples (jieba.tokenize), whitespace tokens dropped as everywhere.

Run it with Debian's interpreter (/usr/bin/python3 has python3-jieba).
"""

import argparse
import json
import logging
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", nargs="?", default="-")
    ap.add_argument("--pos", action="store_true")
    ap.add_argument("--no-hmm", action="store_true")
    ap.add_argument("--mode", choices=["word", "default", "full", "search", "char"], default="word")
    ap.add_argument("--user-dict", action="append", default=[])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--views", default="")
    args = ap.parse_args()

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for path in args.user_dict:
        jieba.load_userdict(path)
    if args.views:
        views = args.views.split(",")
    elif args.mode in ("char", "full", "search"):
        views = [args.mode + ("-nohmm" if args.no_hmm and args.mode == "search" else "")]
    else:
        views = [("pos" if args.pos else "word") + ("-nohmm" if args.no_hmm else "")]

    def render(text, view):
        if view == "char":
            return [c for c in text if not c.isspace()]
        hmm = not view.endswith("-nohmm")
        if view.startswith("pos"):
            return [f"{w}/{t}" for w, t in jieba.posseg.lcut(text, HMM=hmm) if not w.isspace()]
        if view == "full":
            return [w for w in jieba.lcut(text, cut_all=True) if w and not w.isspace()]
        if view.startswith("search"):
            return [w for w in jieba.lcut_for_search(text, HMM=hmm) if not w.isspace()]
        if view.startswith("tokenize"):
            mode = "search" if view.startswith("tokenize-search") else "default"
            return [f"{w}/{b}/{e}" for w, b, e in jieba.tokenize(text, mode=mode, HMM=hmm)
                    if not w.isspace()]
        if view.startswith("word"):
            return [w for w in jieba.lcut(text, cut_all=False, HMM=hmm) if not w.isspace()]
        raise SystemExit(f"unknown view {view!r}")

    data = sys.stdin.buffer.read() if args.input == "-" else open(args.input, "rb").read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = sys.stdout.buffer
    for raw in lines:
        text = json.loads(raw) if args.json else raw.decode("utf-8")
        for view in views:
            out.write(" ".join(render(text, view)).encode("utf-8") + b"\n")


if __name__ == "__main__":
    main()
