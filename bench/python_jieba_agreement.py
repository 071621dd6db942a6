#!/usr/bin/python3
"""zhsenti's jieba API against jieba 0.42 (python3-jieba) in every mode over 20,000 texts of the
shared data sets (ChnSentiCorp, waimai_10k, SMP2020 usual_train, in that order). Prints one line
per mode (identical texts / all) and every differing text. Needs `make python`.

    /usr/bin/python3 bench/python_jieba_agreement.py [N]      # N texts per mode, default 20000
"""

import logging
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tests" / "python")]

import jieba  # noqa: E402
import jieba.posseg  # noqa: E402

import zhsenti  # noqa: E402
from conftest import corpus_texts  # noqa: E402
from test_jieba_agreement import MODES  # noqa: E402

jieba.setLogLevel(logging.WARNING)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    texts = corpus_texts(n)
    print(f"{len(texts)} texts, jieba {jieba.__version__}, zhsenti {zhsenti.__version__}")
    total_diffs = 0
    for mode, (theirs, ours) in MODES.items():
        t0 = time.perf_counter()
        diffs = [(t, a, b) for t in texts if (a := theirs(t)) != (b := ours(t))]
        total_diffs += len(diffs)
        same = len(texts) - len(diffs)
        print(f"| {mode} | {same:,} / {len(texts):,} | {100 * same / len(texts):.3f} % | "
              f"{time.perf_counter() - t0:.0f} s |", flush=True)
        for t, a, b in diffs:
            print(f"  DIFF {t[:200]!r}\n    jieba:   {a}\n    zhsenti: {b}")
    return 1 if total_diffs > 0.001 * len(texts) * len(MODES) else 0


if __name__ == "__main__":
    sys.exit(main())
