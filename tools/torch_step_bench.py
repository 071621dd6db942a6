#!/usr/bin/python3
"""PyTorch side of bench/nn_lstm_bench: the same training step and inference on identical
shapes, with the peer's model and settings (../shared/bench/peers: rnn_model.RNNClassifier,
common.pin_threads_env + tune_glibc_malloc, torch.set_num_threads).

Batches: ragged lengths from the same lognormal as nn_lstm_bench (log-mean 3.93, log-sd
0.70, clamped to [1, 256]: ChnSentiCorp jieba word counts), ids log-uniform over the
vocabulary, shuffled (unsorted) batches padded per batch and packed by the model.

Measures, like nn_lstm_bench:
  train  tokens/s of zero_grad + forward + cross-entropy + backward + Adam (wall and per
         CPU-second of the process);
  infer  sentences/s at batch 1 and batch 64 (eval, no_grad, softmax).

Run from the repository root (the peers live in ../shared/bench/peers):
  /usr/bin/python3 tools/torch_step_bench.py --threads 2
The last line of stdout is one JSON object.
"""

import argparse
import json
import math
import os
import random
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--vocab", type=int, default=30000)
    ap.add_argument("--embed", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--cell", choices=["lstm", "gru", "rnn"], default="lstm")
    ap.add_argument("--infer-sentences", type=int, default=600)
    ap.add_argument("--peers-dir", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "peers"))
    args = ap.parse_args()

    sys.path.insert(0, os.path.abspath(args.peers_dir))
    import common  # noqa: E402  (the peers' helpers)
    thread_env = common.pin_threads_env(args.threads)
    malloc = common.tune_glibc_malloc()
    import torch  # noqa: E402
    import torch.nn.functional as F  # noqa: E402
    import rnn_model  # noqa: E402

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    rng = random.Random(7)

    def draw_length():
        return max(1, min(256, round(math.exp(3.93 + 0.70 * rng.gauss(0.0, 1.0)))))

    def draw_id():
        return min(args.vocab - 1, 2 + int(math.exp(rng.random() * math.log(args.vocab - 2.0))))

    def sentence():
        return torch.tensor([draw_id() for _ in range(draw_length())], dtype=torch.long)

    config = {"vocab_size": args.vocab, "emb_dim": args.embed, "hidden": args.hidden,
              "layers": 1, "cell": args.cell, "bidirectional": True, "pool": "last",
              "dropout": 0.5, "num_classes": 2}
    model = rnn_model.build_model(config)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = [[sentence() for _ in range(args.batch)] for _ in range(args.steps + 3)]
    labels = torch.tensor([i % 2 for i in range(args.batch)])

    def step(seqs):
        x, lengths = rnn_model.collate(seqs)
        loss = F.cross_entropy(model(x, lengths), labels[: len(seqs)])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return int(lengths.sum())

    model.train()
    for seqs in batches[:3]:
        step(seqs)
    t0, c0 = time.perf_counter(), time.process_time()
    tokens = sum(step(seqs) for seqs in batches[3:])
    train_s, train_cpu = time.perf_counter() - t0, time.process_time() - c0

    sentences = [sentence() for _ in range(args.infer_sentences)]
    model.eval()

    def throughput(bs):
        """(sentences per second, sentences per CPU-second of the process)."""
        with torch.no_grad():
            for i in range(0, len(sentences), bs):  # untimed pass, as in nn_lstm_bench
                x, lengths = rnn_model.collate(sentences[i:i + bs])
                model(x, lengths)
            t, c = time.perf_counter(), time.process_time()
            for i in range(0, len(sentences), bs):
                x, lengths = rnn_model.collate(sentences[i:i + bs])
                torch.softmax(model(x, lengths), dim=1)
            return (len(sentences) / (time.perf_counter() - t),
                    len(sentences) / (time.process_time() - c))

    (infer1, infer1_cpu), (infer64, infer64_cpu) = throughput(1), throughput(64)
    result = {
        "bench": "torch_step_bench", "torch_version": torch.__version__,
        "threads": {"torch": torch.get_num_threads(), **thread_env},
        "glibc_malloc_tuning": malloc, "cell": args.cell, "batch": args.batch,
        "vocab": args.vocab, "embed": args.embed, "hidden": args.hidden, "steps": args.steps,
        "tokens": tokens, "train_tokens_per_s": round(tokens / train_s, 1),
        "train_tokens_per_cpu_s": round(tokens / train_cpu, 1),
        "infer_batch1_sent_per_s": round(infer1, 1), "infer_batch64_sent_per_s": round(infer64, 1),
        "infer_batch1_sent_per_cpu_s": round(infer1_cpu, 1),
        "infer_batch64_sent_per_cpu_s": round(infer64_cpu, 1),
        "infer_sentences": len(sentences),
    }
    print(f"torch {torch.__version__} threads {args.threads}: train {result['train_tokens_per_s']:.0f} "
          f"tokens/s ({result['train_tokens_per_cpu_s']:.0f} per CPU-second) | infer b1 {infer1:.0f}/s "
          f"({infer1_cpu:.0f} per CPU-s) b64 {infer64:.0f}/s ({infer64_cpu:.0f} per CPU-s)",
          file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
