#!/usr/bin/python3
"""PyTorch import parity (issue 18, section 2): tools/torch_import.py against zhsenti.

Usage: parity_test.py ZHSENTI_BINARY

For each architecture of the table, trains a tiny model with the zhsenti binary (600
ChnSentiCorp train texts, one epoch, no word2vec pre-training), predicts the 1200
ChnSentiCorp test texts and a few edge cases with `zhsenti predict --json --precision fp32`,
runs the same texts through tools/torch_import.py (Encoder for the ids, the module in one
padded batch), and requires max |dp| <= 1e-5 and identical labels. Data: $ZHSENTI_DATA,
else <repo>/../shared/data; missing data fails the test. Prints one line per architecture
and "N passed, N failed".
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

# One thread: on two cores shared with zhsenti and other tests, PyTorch's second OpenMP
# thread made its recurrent layers ten times slower, not faster.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402

torch.set_num_threads(1)

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from torch_import import Encoder, load_model  # noqa: E402

TOLERANCE = 1e-5
# An untrained model gives nearly the same probabilities for every text, and then a wrong
# pooling or mask could hide inside the tolerance: each model must spread its outputs.
MIN_SPREAD = 0.02
SMALL = ["--embed-dim", "32", "--hidden", "24"]
# Besides the test set: texts that become empty (the single <pad> id), one-token texts, and
# texts the cleaner rewrites (HTML, links, mentions, emoji codes, full-width and repeated
# punctuation, traditional characters, whitespace runs that become word-mode space tokens).
EDGE_TEXTS = ["", "   ", "好", "<b>很好</b> http://t.cn/abc 赞！！！", "Hello  World 不錯",
              "@某人 [哈哈] 还行吧～～～", "ＡＢＣ　房间　干净"]

# name -> train flags. Together: every cell and pooling, uni/bi, 1-2 layers, layer and batch
# norm, n-gram orders 2 and 3 and none, char and word tokens (with and without jieba's HMM),
# truncation, a model that does not clean, the default.
ARCHITECTURES = {
    "default (bi-GRU max, bigrams 100k, char)": [],
    "lstm uni 2 layers last layer-norm word": [
        "--cell", "lstm", "--unidirectional", "--layers", "2", "--pool", "last",
        "--norm", "layer", "--tokens", "word", "--ngram-buckets", "0"],
    "rnn bi mean batch-norm trigrams char": [
        "--cell", "rnn", "--pool", "mean", "--norm", "batch", "--ngram-buckets", "5000",
        "--ngram-order", "3"],
    "gru uni attention char max-len 48": [
        "--cell", "gru", "--unidirectional", "--pool", "attention", "--ngram-buckets", "0",
        "--max-len", "48"],
    "lstm bi 2 layers attention layer-norm trigrams word": [
        "--cell", "lstm", "--layers", "2", "--pool", "attention", "--norm", "layer",
        "--ngram-buckets", "5000", "--ngram-order", "3", "--tokens", "word"],
    "rnn uni 2 layers max word": [
        "--cell", "rnn", "--unidirectional", "--layers", "2", "--pool", "max",
        "--tokens", "word", "--ngram-buckets", "0"],
    "gru bi 2 layers last batch-norm bigrams word": [
        "--cell", "gru", "--layers", "2", "--pool", "last", "--norm", "batch",
        "--tokens", "word", "--ngram-buckets", "20000"],
    "lstm bi mean bigrams char max-len 32": [
        "--cell", "lstm", "--pool", "mean", "--ngram-buckets", "20000", "--max-len", "32"],
    "rnn bi last char": ["--cell", "rnn", "--pool", "last", "--ngram-buckets", "0"],
    "gru bi mean word without HMM": [
        "--pool", "mean", "--tokens", "word", "--no-hmm", "--ngram-buckets", "0"],
    "lstm uni max char uncleaned": [
        "--cell", "lstm", "--unidirectional", "--no-clean", "--ngram-buckets", "0"],
    "gru bi max bigrams char pruned to 70 %": ["--ngram-buckets", "5000"],
}
# name -> `zhsenti prune --sparsity` applied after training: the matrices are then stored as
# sparse pairs that the loader densifies (docs/model_format.md).
PRUNED = {"gru bi max bigrams char pruned to 70 %": "0.7"}


def data_dir():
    env = os.environ.get("ZHSENTI_DATA")
    root = pathlib.Path(env) if env else REPO.parent / "shared" / "data"
    folder = root / "chnsenticorp"
    if not (folder / "train.tsv").is_file():
        sys.exit(f"FAIL: no ChnSentiCorp at {folder} (set ZHSENTI_DATA)")
    return folder


def tsv_rows(path):
    """(label, text) rows of a ChnSentiCorp TSV, header skipped, line ends removed."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [tuple(line.rstrip("\r").split("\t", 1)) for line in lines[1:] if "\t" in line]


def write_tsv(path, rows):
    path.write_text("label\ttext_a\n" + "".join(f"{lab}\t{text}\n" for lab, text in rows),
                    encoding="utf-8")


def zhsenti_probabilities(binary, model, texts_file, labels):
    out = subprocess.run([binary, "-q", "predict", "--model", str(model), "--json",
                          "--precision", "fp32", "--no-decision-rule", str(texts_file)],
                         capture_output=True, check=True).stdout.decode("utf-8")
    rows = [json.loads(line) for line in out.splitlines()]
    return rows, torch.tensor([[r["probabilities"][lab] for lab in labels] for r in rows],
                              dtype=torch.float64)


def check(binary, work, name, flags, train, dev, texts, texts_file):
    model_dir = work / f"m{list(ARCHITECTURES).index(name)}"
    sizes = SMALL if flags else []  # the default architecture keeps its default sizes
    subprocess.run([binary, "-q", "train", "--train", str(train), "--dev", str(dev),
                    "--out", str(model_dir), "--epochs", "1", "--pretrain-epochs", "0",
                    *sizes, *flags], capture_output=True, check=True)
    if name in PRUNED:
        trained, model_dir = model_dir, work / f"{model_dir.name}_pruned"
        subprocess.run([binary, "-q", "prune", "--model", str(trained), "--sparsity", PRUNED[name],
                        "--train", str(train), "--dev", str(dev), "--out", str(model_dir),
                        "--steps", "1", "--epochs", "1"], capture_output=True, check=True)
    model = load_model(model_dir)
    rows, ref = zhsenti_probabilities(binary, model_dir, texts_file, model.labels)
    if [r["text"] for r in rows] != texts:
        return f"zhsenti predict returned other texts ({len(rows)} rows for {len(texts)})"
    ids, lengths = Encoder(model_dir, zhsenti=binary).batch(texts)
    with torch.no_grad():
        ours = model(ids, lengths).double()
    delta = (ours - ref).abs().max().item()
    same = int((ours.argmax(1) == ref.argmax(1)).sum())
    spread = (ref[:, 0].max() - ref[:, 0].min()).item()
    print(f"  {name}: max |dp| {delta:.2e}, labels {same}/{len(texts)} identical, "
          f"p spread {spread:.3f}, tokens {int(lengths.min())}..{int(lengths.max())}")
    problems = []
    if not delta <= TOLERANCE:
        problems.append(f"max |dp| {delta:.2e} > {TOLERANCE}")
    if same != len(texts):
        problems.append(f"{len(texts) - same} labels differ")
    if spread < MIN_SPREAD:
        problems.append(f"outputs spread only {spread:.4f}: the comparison would prove little")
    return "; ".join(problems)


def main(binary):
    start = time.monotonic()
    folder = data_dir()
    with tempfile.TemporaryDirectory(prefix="zhsenti-torch-") as tmp:
        work = pathlib.Path(tmp)
        train, dev = work / "train.tsv", work / "dev.tsv"
        write_tsv(train, tsv_rows(folder / "train.tsv")[:600])
        write_tsv(dev, tsv_rows(folder / "dev.tsv")[:100])
        texts = EDGE_TEXTS + [text for _, text in tsv_rows(folder / "test.tsv")]
        texts_file = work / "texts.txt"
        texts_file.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
        print(f"{len(ARCHITECTURES)} architectures, {len(texts) - len(EDGE_TEXTS)} ChnSentiCorp "
              f"test texts and {len(EDGE_TEXTS)} edge cases")
        failed = []
        for name, flags in ARCHITECTURES.items():
            problem = check(binary, work, name, flags, train, dev, texts, texts_file)
            if problem:
                print(f"  FAIL {name}: {problem}")
                failed.append(name)
    print(f"{time.monotonic() - start:.1f} s")
    print(f"{len(ARCHITECTURES) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: parity_test.py ZHSENTI_BINARY")
    sys.exit(main(sys.argv[1]))
