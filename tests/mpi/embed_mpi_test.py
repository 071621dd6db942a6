"""`zhsenti embed train` (word2vec) under mpirun (docs/distributed.md) against one process.

  usage: embed_mpi_test.py ZHSENTI_BINARY

On a synthetic corpus of four topics (each text: characters of one topic only):
  - 2 ranks x 1 thread, each training its half of the texts with the replicas merged, write
    the vocabulary one process writes (same words, same order), the summary counts every
    rank's texts and words, and the vectors separate the topics as one process's do, also those only rank 1 read;
  - two runs of the job give the same bytes (a seed fixes the result with 1 thread a rank);
  - a bad text in rank 1's shard, ranks given different flags: the job ends with a message
    naming the rank (and file and line) and the previous vector file is left as it was;
  - `embed neighbors` refuses to run as several ranks.
"""

import json
import pathlib
import tempfile

import numpy as np

from mpi_common import MPIRUN, ZHSENTI, check, check_job_failed, finish, run

# Text i is of topic i mod 4, so with 2 ranks topics 1 and 3 are only in rank 1's shard: they
# separate in the written vectors only if rank 1's training reaches rank 0's replica.
TOPICS = ["好棒赞美爱甜", "差烂坏糟恨苦", "山水河湖海江", "车路船桥站港"]


def corpus(texts, seed):
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(texts):
        chars = TOPICS[i % 4]
        lines.append("".join(chars[rng.integers(len(chars))] for _ in range(rng.integers(6, 14))))
    return "\n".join(lines) + "\n"


def embed_args(corpus_path, out, **over):
    flags = {"--dim": "16", "--window": "3", "--min-count": "1", "--epochs": "3",
             "--sample": "0", "--threads": "1", "--seed": "3"}
    flags.update({f"--{k.replace('_', '-')}": v for k, v in over.items()})
    args = ["embed", "train", "--corpus", str(corpus_path), "--out", str(out), "--json", "-q"]
    for k, v in flags.items():
        args += [k, v]
    return args


def read_vectors(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    words = [l.split(" ")[0] for l in lines[1:]]
    return words, np.array([[float(x) for x in l.split(" ")[1:]] for l in lines[1:]])


def topic_margin(path, topics=range(len(TOPICS))):
    """Mean cosine within a topic minus mean cosine across the topics."""
    words, vecs = read_vectors(path)
    unit = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    topic = {w: t for t, chars in enumerate(TOPICS) for w in chars}
    within, across = [], []
    for i, a in enumerate(words):
        for j, b in enumerate(words):
            if i < j and topic[a] in topics and topic[b] in topics:
                (within if topic[a] == topic[b] else across).append(unit[i] @ unit[j])
    return float(np.mean(within) - np.mean(across))


def summary(result):
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_against_one_process(work):
    text = work / "corpus.txt"
    one, two, again = work / "one.txt", work / "two.txt", work / "again.txt"
    r1 = run([ZHSENTI, *embed_args(text, one)])
    check(r1.returncode == 0, f"one process failed: {r1.stderr}")
    r2 = run([*MPIRUN, "-np", "2", ZHSENTI, *embed_args(text, two)])
    check(r2.returncode == 0, f"2 ranks failed: {r2.stdout}\n{r2.stderr}")
    if r1.returncode or r2.returncode:
        return
    s1, s2 = summary(r1), summary(r2)
    print(f"summaries: {s1}\n           {s2}", flush=True)
    check(s2["ranks"] == 2 and s1["ranks"] == 1, f"ranks: {s1['ranks']}, {s2['ranks']}")
    for key in ("texts", "corpus_words", "raw_words", "vocab"):
        check(s1[key] == s2[key], f"{key}: {s1[key]} (1 process) vs {s2[key]} (2 ranks)")
    check(s1["texts"] == 2000, f"texts: {s1['texts']}")
    w1, v1 = read_vectors(one)
    w2, v2 = read_vectors(two)
    check(w1 == w2, f"the vocabularies differ: {w1} vs {w2}")
    check(not np.array_equal(v1, v2), "2 ranks wrote one process's vectors: nothing was sharded")
    m1, m2 = topic_margin(one), topic_margin(two)
    print(f"topic margin (within - across cosine): 1 process {m1:.3f}, 2 ranks {m2:.3f}", flush=True)
    check(m1 > 0.3 and m2 > 0.3, f"the topics do not separate: {m1:.3f}, {m2:.3f}")
    check(m2 > 0.8 * m1, f"2 ranks separate the topics worse than one process: {m2:.3f} vs {m1:.3f}")
    r1only = topic_margin(two, topics=(1, 3))
    print(f"topic margin of rank 1's topics alone: {r1only:.3f}", flush=True)
    check(r1only > 0.3, f"the topics only rank 1 read do not separate: {r1only:.3f}")
    r3 = run([*MPIRUN, "-np", "2", ZHSENTI, *embed_args(text, again)])
    check(r3.returncode == 0 and again.read_bytes() == two.read_bytes(),
          f"a second job wrote other vectors: {r3.stderr}")


def expect_job_failure(r, out, before, *needles):
    check_job_failed(r, *needles)
    check(out.read_bytes() == before, f"{out} changed")


def test_failures(work):
    out = work / "one.txt"
    before = out.read_bytes()
    bad = work / "bad.txt"
    # Texts alternate between 2 ranks: text 3 (line 4) is rank 1's.
    lines = corpus(40, 2).splitlines()
    bad.write_bytes(("\n".join(lines[:3]) + "\n").encode() + b"\xff\xfe\n" +
                    ("\n".join(lines[4:]) + "\n").encode())
    r = run([*MPIRUN, "-np", "2", ZHSENTI, *embed_args(bad, out), "--pre-segmented"])
    expect_job_failure(r, out, before, "rank 1 of 2", f"{bad}:4: invalid UTF-8")
    text = work / "corpus.txt"
    r = run([*MPIRUN, "-np", "1", ZHSENTI, *embed_args(text, out), ":", "-np", "1", ZHSENTI,
             *embed_args(text, out, dim="8")])
    expect_job_failure(r, out, before, "different settings", "'dim'", "rank 1")
    r = run([*MPIRUN, "-np", "2", ZHSENTI, "embed", "neighbors", "--vectors", str(out), "好"])
    check(r.returncode != 0 and
          "`zhsenti embed neighbors` does not run over MPI ranks" in r.stdout + r.stderr,
          f"embed neighbors under mpirun: {r.stdout + r.stderr}")


def main():
    with tempfile.TemporaryDirectory(prefix="zhsenti_embed_mpi_") as tmp:
        work = pathlib.Path(tmp)
        (work / "corpus.txt").write_text(corpus(2000, 1), encoding="utf-8")
        test_against_one_process(work)
        if (work / "one.txt").exists():
            test_failures(work)
    finish()


if __name__ == "__main__":
    main()
