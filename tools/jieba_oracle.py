#!/usr/bin/python3
"""Reference segmentation with jieba itself, printed exactly as `zhsenti segment` prints.

Reads lines (a file or stdin, split on b'\\n' only, so '\\r' and other separators stay inside
a line as they would for zhsenti) and writes one line per input line: tokens separated by one
space, whitespace-only tokens dropped; with --pos, word/tag pairs from jieba.posseg.

  /usr/bin/python3 tools/jieba_oracle.py [FILE|-] [--pos] [--no-hmm] [--mode word|char]
                                         [--user-dict F]...

Run it with Debian's interpreter (/usr/bin/python3 has python3-jieba).
"""

import argparse
import logging
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", nargs="?", default="-")
    ap.add_argument("--pos", action="store_true")
    ap.add_argument("--no-hmm", action="store_true")
    ap.add_argument("--mode", choices=["word", "char"], default="word")
    ap.add_argument("--user-dict", action="append", default=[])
    args = ap.parse_args()

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for path in args.user_dict:
        jieba.load_userdict(path)
    hmm = not args.no_hmm

    data = sys.stdin.buffer.read() if args.input == "-" else open(args.input, "rb").read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = sys.stdout.buffer
    for raw in lines:
        text = raw.decode("utf-8")
        if args.mode == "char":
            toks = [c for c in text if not c.isspace()]
        elif args.pos:
            toks = [f"{w}/{t}" for w, t in jieba.posseg.lcut(text, HMM=hmm) if not w.isspace()]
        else:
            toks = [w for w in jieba.lcut(text, cut_all=False, HMM=hmm) if not w.isspace()]
        out.write(" ".join(toks).encode("utf-8") + b"\n")


if __name__ == "__main__":
    main()
