#!/usr/bin/python3
"""Python-level speed of zhsenti's jieba API against jieba 0.42 in the same process, over the
ChnSentiCorp texts (train+dev+test, 12,000): one lcut call per text (the Python call overhead
included), cut_batch on all cores, and the dictionary load (cold: built from jieba's files;
cached: jieba's pickle cache / zhsenti's image cache). Best of REPEAT passes. Needs `make python`.

    /usr/bin/python3 bench/python_speed.py [REPEAT]          # default 5
    /usr/bin/python3 bench/python_speed.py --load            # the dictionary loads only
"""

import logging
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tests" / "python")]

import jieba  # noqa: E402

import zhsenti  # noqa: E402
from conftest import data_dir  # noqa: E402

jieba.setLogLevel(logging.WARNING)


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def load_seconds(code, env, before=lambda: None):
    """Wall time of `code` in a fresh interpreter (imports excluded), best of 3; `before` runs
    before each (to remove a cache)."""
    script = f"import time, sys; sys.path.insert(0, {str(ROOT / 'python')!r})\n" \
             "import logging, jieba, zhsenti; jieba.setLogLevel(logging.WARNING)\n" \
             f"t0 = time.perf_counter(); {code}; print(time.perf_counter() - t0)"
    runs = []
    for _ in range(3):
        before()
        runs.append(float(subprocess.run([sys.executable, "-c", script], env=env, check=True,
                                         capture_output=True, text=True).stdout))
    return min(runs)


def main():
    if sys.argv[1:] == ["--load"]:
        dictionary_loads()
        return
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    d = data_dir() / "chnsenticorp"
    texts = [r["text"] for split in ("train", "dev", "test") for r in zhsenti.data.read(d / f"{split}.tsv")]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    jieba.initialize()
    zhsenti.initialize()
    assert [jieba.lcut(t) for t in texts[:500]] == [zhsenti.lcut(t) for t in texts[:500]]
    lcut_j, lcut_z = jieba.lcut, zhsenti.lcut
    tj = best(lambda: [lcut_j(t) for t in texts], max(1, repeat // 2))
    tz = best(lambda: [lcut_z(t) for t in texts], repeat)
    tb1 = best(lambda: zhsenti.cut_batch(texts, threads=1), repeat)
    tb = best(lambda: zhsenti.cut_batch(texts, threads=0), repeat)
    tsj = best(lambda: [jieba.lcut_for_search(t) for t in texts], 1)
    tsz = best(lambda: [zhsenti.lcut_for_search(t) for t in texts], repeat)
    tfj = best(lambda: [jieba.lcut(t, cut_all=True) for t in texts], 1)
    tfz = best(lambda: [zhsenti.lcut(t, cut_all=True) for t in texts], repeat)
    print(f"{len(texts):,} texts, {mb:.2f} MB, {os.cpu_count()} cores")
    print("| call | jieba s | zhsenti s | texts/s zhsenti | ratio |")
    print("|---|---|---|---|---|")
    for name, a, b in [("lcut, one call per text", tj, tz),
                       ("cut_batch(threads=1)", tj, tb1),
                       (f"cut_batch(threads=0) ({os.cpu_count()} cores)", tj, tb),
                       ("lcut_for_search, one call per text", tsj, tsz),
                       ("lcut(cut_all=True), one call per text", tfj, tfz)]:
        print(f"| {name} | {a:.3f} | {b:.4f} | {len(texts) / b:,.0f} | **{a / b:.1f}×** |")
    dictionary_loads()


def dictionary_loads():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_CACHE_HOME=tmp, TMPDIR=tmp)
        # jieba keeps its cache in tempfile.gettempdir(); zhsenti in $XDG_CACHE_HOME/zhsenti.
        jieba_load = f"jieba.dt.tmp_dir = {tmp!r}; jieba.initialize()"
        cold_j = load_seconds(jieba_load, env, lambda: pathlib.Path(tmp, "jieba.cache").unlink(missing_ok=True))
        cached_j = load_seconds(jieba_load, env)
        cold_z = load_seconds("zhsenti.initialize()", env,
                              lambda: shutil.rmtree(os.path.join(tmp, "zhsenti"), ignore_errors=True))
        cached_z = load_seconds("zhsenti.initialize()", env)
    print("| dictionary load | jieba s | zhsenti s | ratio |")
    print("|---|---|---|---|")
    print(f"| cold (no cache) | {cold_j:.3f} | {cold_z:.3f} | {cold_j / cold_z:.1f}× |")
    print(f"| cached | {cached_j:.3f} | {cached_z:.4f} | {cached_j / cached_z:.0f}× |")


if __name__ == "__main__":
    main()
