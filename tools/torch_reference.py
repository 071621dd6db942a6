#!/usr/bin/python3
"""PyTorch reference cases for zhsenti's engine (tests/unit/nn/parity_test.cc).

Builds small seeded cases with torch 1.13 (Debian python3-torch), runs forward and
backward, and writes inputs, weights, outputs and every gradient as one JSON file per case
(plus index.json) that the C++ parity test loads into the engine with identical weights.
Run by CTest as a fixture (writes into the build directory; nothing generated is
committed):

  /usr/bin/python3 tools/torch_reference.py --out-dir build/tests/unit/nn/torch_reference

Conventions of the dump:
  * tensors use the engine's parameter names and shapes (PyTorch's shapes);
  * ragged sequence data is stored concatenated in batch order, one row per token
    (the engine's Batch layout), with "lengths" giving the split;
  * recurrent layers are checked through the loss L = sum(out * r) for a random r, so
    dL/dout = r ("dout" in the dump).
"""

import argparse
import json
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence  # noqa: E402


def t2j(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def ragged(padded, lengths):
    """(B, T, ...) batch-first padded -> (sum(lengths), ...) in batch order."""
    return torch.cat([padded[b, : lengths[b]] for b in range(len(lengths))], dim=0)


def run_rnn(rnn, xs, lengths):
    """Packed forward of a list of (L_b, in) tensors; returns ragged output and (h_n, ...)."""
    x_pad = pad_sequence(xs, batch_first=True)
    packed = pack_padded_sequence(x_pad, torch.tensor(lengths), batch_first=True,
                                  enforce_sorted=False)
    out, h = rnn(packed)
    out_pad, _ = pad_packed_sequence(out, batch_first=True)
    return ragged(out_pad, lengths), h


def rnn_param_names(cell, layers, bidirectional, prefix):
    """(torch attribute, engine name) pairs for nn.RNN/LSTM/GRU parameters."""
    pairs = []
    for layer in range(layers):
        for d in range(2 if bidirectional else 1):
            suffix = "_reverse" if d else ""
            direction = "backward" if d else "forward"
            for torch_kind, ours in (("weight_ih", "w_ih"), ("weight_hh", "w_hh"),
                                     ("bias_ih", "b_ih"), ("bias_hh", "b_hh")):
                pairs.append((f"{torch_kind}_l{layer}{suffix}",
                              f"{prefix}.{layer}.{direction}.{ours}"))
    return pairs


RNN_CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def case_recurrent(cell, bidirectional, layers, input_size, hidden, lengths, seed):
    torch.manual_seed(seed)
    rnn = RNN_CLASSES[cell](input_size, hidden, num_layers=layers, batch_first=True,
                            bidirectional=bidirectional)
    xs = [torch.randn(length, input_size, requires_grad=True) for length in lengths]
    out, _ = run_rnn(rnn, xs, lengths)
    r = torch.randn_like(out)
    (out * r).sum().backward()
    tensors = {"x": t2j(torch.cat([x.detach() for x in xs])), "out": t2j(out), "dout": t2j(r),
               "dx": t2j(torch.cat([x.grad for x in xs]))}
    for torch_name, ours in rnn_param_names(cell, layers, bidirectional, "enc"):
        p = getattr(rnn, torch_name)
        tensors[ours] = t2j(p)
        tensors["grad:" + ours] = t2j(p.grad)
    return {"name": f"{cell}_{'bi' if bidirectional else 'uni'}_l{layers}_h{hidden}",
            "kind": "recurrent", "cell": cell, "bidirectional": bidirectional,
            "layers": layers, "input": input_size, "hidden": hidden, "lengths": lengths,
            "tensors": tensors}


def case_embedding(seed):
    torch.manual_seed(seed)
    emb = nn.Embedding(11, 4, padding_idx=0)
    ids = torch.tensor([3, 0, 7, 3, 10, 1, 0, 3])
    out = emb(ids)
    r = torch.randn_like(out)
    (out * r).sum().backward()
    return {"name": "embedding", "kind": "embedding", "padding_id": 0, "ids": ids.tolist(),
            "tensors": {"embedding.weight": t2j(emb.weight), "out": t2j(out), "dout": t2j(r),
                        "grad:embedding.weight": t2j(emb.weight.grad)}}


def case_linear(seed):
    torch.manual_seed(seed)
    fc = nn.Linear(6, 3)
    x = torch.randn(5, 6, requires_grad=True)
    out = fc(x)
    r = torch.randn_like(out)
    (out * r).sum().backward()
    return {"name": "linear", "kind": "linear",
            "tensors": {"fc.weight": t2j(fc.weight), "fc.bias": t2j(fc.bias), "x": t2j(x),
                        "out": t2j(out), "dout": t2j(r), "dx": t2j(x.grad),
                        "grad:fc.weight": t2j(fc.weight.grad),
                        "grad:fc.bias": t2j(fc.bias.grad)}}


def case_layer_norm(seed):
    torch.manual_seed(seed)
    ln = nn.LayerNorm(7)
    with torch.no_grad():
        ln.weight.uniform_(0.5, 1.5)
        ln.bias.uniform_(-0.5, 0.5)
    x = (torch.randn(4, 7) * 2 + 0.5).requires_grad_()
    out = ln(x)
    r = torch.randn_like(out)
    (out * r).sum().backward()
    return {"name": "layer_norm", "kind": "layer_norm",
            "tensors": {"norm.weight": t2j(ln.weight), "norm.bias": t2j(ln.bias), "x": t2j(x),
                        "out": t2j(out), "dout": t2j(r), "dx": t2j(x.grad),
                        "grad:norm.weight": t2j(ln.weight.grad),
                        "grad:norm.bias": t2j(ln.bias.grad)}}


def case_batch_norm(train, seed):
    torch.manual_seed(seed)
    bn = nn.BatchNorm1d(5)
    with torch.no_grad():
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)
        bn.running_mean.uniform_(-0.3, 0.3)
        bn.running_var.uniform_(0.5, 1.5)
    before = {"norm.running_mean": t2j(bn.running_mean), "norm.running_var": t2j(bn.running_var)}
    bn.train(train)
    x = (torch.randn(6, 5) * 1.5 - 0.2).requires_grad_()
    out = bn(x)
    r = torch.randn_like(out)
    (out * r).sum().backward()
    tensors = {"norm.weight": t2j(bn.weight), "norm.bias": t2j(bn.bias), "x": t2j(x),
               "out": t2j(out), "dout": t2j(r), "dx": t2j(x.grad),
               "grad:norm.weight": t2j(bn.weight.grad), "grad:norm.bias": t2j(bn.bias.grad),
               "after:norm.running_mean": t2j(bn.running_mean),
               "after:norm.running_var": t2j(bn.running_var)}
    tensors.update(before)
    return {"name": f"batch_norm_{'train' if train else 'eval'}", "kind": "batch_norm",
            "train": train, "tensors": tensors}


def case_cross_entropy(seed):
    torch.manual_seed(seed)
    logits = (torch.randn(6, 4) * 2).requires_grad_()
    labels = torch.tensor([0, 3, 1, 1, 2, 3])
    weights = torch.tensor([0.5, 2.0, 1.0, 1.5])
    loss = F.cross_entropy(logits, labels, weight=weights, label_smoothing=0.1)
    loss.backward()
    return {"name": "cross_entropy", "kind": "cross_entropy", "labels": labels.tolist(),
            "label_smoothing": 0.1, "loss": loss.item(),
            "tensors": {"logits": t2j(logits), "class_weights": t2j(weights),
                        "dlogits": t2j(logits.grad)}}


def case_cross_entropy_logit_adjusted(seed):
    """Logit adjustment: tau log(prior) added to the logits inside the loss."""
    torch.manual_seed(seed)
    logits = (torch.randn(6, 4) * 2).requires_grad_()
    labels = torch.tensor([0, 3, 1, 0, 2, 0])
    offsets = 1.5 * torch.log(torch.tensor([0.6, 0.25, 0.1, 0.05]))
    weights = torch.tensor([0.5, 2.0, 1.0, 1.5])
    loss = F.cross_entropy(logits + offsets, labels, weight=weights, label_smoothing=0.1)
    loss.backward()
    return {"name": "cross_entropy_logit_adjusted", "kind": "cross_entropy",
            "labels": labels.tolist(), "label_smoothing": 0.1, "loss": loss.item(),
            "tensors": {"logits": t2j(logits), "class_weights": t2j(weights),
                        "logit_offsets": t2j(offsets), "dlogits": t2j(logits.grad)}}


def case_focal(seed):
    """Focal loss in the paper's form (Lin et al. 2017): mean of -(1 - p_y)^gamma log p_y."""
    torch.manual_seed(seed)
    logits = (torch.randn(6, 4) * 2).requires_grad_()
    labels = torch.tensor([0, 3, 1, 0, 2, 0])
    log_p = F.log_softmax(logits, dim=1).gather(1, labels[:, None])[:, 0]
    loss = (-(1 - log_p.exp()) ** 2.0 * log_p).mean()
    loss.backward()
    return {"name": "focal", "kind": "cross_entropy", "labels": labels.tolist(),
            "label_smoothing": 0.0, "focal_gamma": 2.0, "loss": loss.item(),
            "tensors": {"logits": t2j(logits), "dlogits": t2j(logits.grad)}}


def case_focal_weighted(seed):
    """Focal loss with class weights, label smoothing and logit offsets: every class's term
    sum_c t_c (1 - p_c)^gamma (-log p_c), t the weighted smoothed target, over sum w[y]."""
    torch.manual_seed(seed)
    logits = (torch.randn(6, 4) * 2).requires_grad_()
    labels = torch.tensor([0, 3, 1, 0, 2, 0])
    offsets = torch.log(torch.tensor([0.6, 0.25, 0.1, 0.05]))
    weights = torch.tensor([0.5, 2.0, 1.0, 1.5])
    eps, gamma = 0.1, 0.5
    log_p = F.log_softmax(logits + offsets, dim=1)
    target = (1 - eps) * F.one_hot(labels, 4) * weights[labels][:, None] + eps / 4 * weights
    loss = (target * (1 - log_p.exp()) ** gamma * -log_p).sum() / weights[labels].sum()
    loss.backward()
    return {"name": "focal_weighted", "kind": "cross_entropy", "labels": labels.tolist(),
            "label_smoothing": eps, "focal_gamma": gamma, "loss": loss.item(),
            "tensors": {"logits": t2j(logits), "class_weights": t2j(weights),
                        "logit_offsets": t2j(offsets), "dlogits": t2j(logits.grad)}}


def case_optimizer(kind, seed):
    """Three steps with fresh gradients each step (exercises bias correction)."""
    torch.manual_seed(seed)
    params = [torch.randn(7, 5, requires_grad=True), torch.randn(9, requires_grad=True)]
    names = ["a", "b"]
    tensors = {f"init:{n}": t2j(p) for n, p in zip(names, params)}
    if kind == "adam":
        opt = torch.optim.Adam(params, lr=1e-2, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.05)
        options = {"lr": 1e-2, "beta1": 0.8, "beta2": 0.95, "eps": 1e-6, "weight_decay": 0.05}
    elif kind == "adamw":
        opt = torch.optim.AdamW(params, lr=2e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
        options = {"lr": 2e-2, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.1}
    else:
        opt = torch.optim.SGD(params, lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True)
        options = {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01, "nesterov": True}
    steps = 3
    for s in range(steps):
        for n, p in zip(names, params):
            p.grad = torch.randn_like(p)
            tensors[f"grad{s}:{n}"] = t2j(p.grad)
        opt.step()
    for n, p in zip(names, params):
        tensors[f"final:{n}"] = t2j(p)
    return {"name": kind, "kind": "optimizer", "optimizer": kind, "options": options,
            "steps": steps, "params": names, "tensors": tensors}


def case_clip(seed):
    torch.manual_seed(seed)
    params = [torch.randn(4, 3, requires_grad=True), torch.randn(6, requires_grad=True)]
    tensors = {}
    for n, p in zip("ab", params):
        p.grad = torch.randn_like(p) * 3
        tensors[f"grad:{n}"] = t2j(p.grad)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm=1.5)
    for n, p in zip("ab", params):
        tensors[f"clipped:{n}"] = t2j(p.grad)
    return {"name": "clip_grad_norm", "kind": "clip", "max_norm": 1.5, "total": total.item(),
            "tensors": tensors}


class Classifier(nn.Module):
    """The engine's classifier in PyTorch (same as the peer's model, plus mean/attention
    pooling and an optional norm on the pooled features)."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        dirs = 2 if cfg["bidirectional"] else 1
        feat = cfg["hidden"] * dirs
        self.dirs = dirs
        self.embedding = nn.Embedding(cfg["vocab_size"], cfg["embed_dim"],
                                      padding_idx=cfg["padding_id"])
        self.rnn = RNN_CLASSES[cfg["cell"]](cfg["embed_dim"], cfg["hidden"],
                                            num_layers=cfg["layers"], batch_first=True,
                                            bidirectional=cfg["bidirectional"])
        if cfg["pool"] == "attention":
            self.att_w = nn.Linear(feat, cfg["attention_dim"])
            self.att_v = nn.Linear(cfg["attention_dim"], 1, bias=False)
        self.norm = {"none": None, "layer": nn.LayerNorm(feat),
                     "batch": nn.BatchNorm1d(feat)}[cfg["norm"]]
        self.fc = nn.Linear(feat, cfg["num_classes"])

    def forward(self, ids, lengths):
        emb = self.embedding(ids)
        packed = pack_padded_sequence(emb, torch.tensor(lengths), batch_first=True,
                                      enforce_sorted=False)
        out, h = self.rnn(packed)
        pool = self.cfg["pool"]
        if pool == "last":
            if self.cfg["cell"] == "lstm":
                h = h[0]
            feat = torch.cat(list(h[-self.dirs:]), dim=1)
        else:
            out, _ = pad_packed_sequence(out, batch_first=True)
            mask = torch.arange(out.size(1)).unsqueeze(0) >= torch.tensor(lengths).unsqueeze(1)
            if pool == "max":
                feat = out.masked_fill(mask.unsqueeze(2), float("-inf")).max(dim=1).values
            elif pool == "mean":
                feat = out.masked_fill(mask.unsqueeze(2), 0.0).sum(dim=1) / torch.tensor(
                    lengths, dtype=torch.float32).unsqueeze(1)
            else:
                scores = self.att_v(torch.tanh(self.att_w(out))).squeeze(2)
                alpha = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=1)
                feat = (alpha.unsqueeze(2) * out).sum(dim=1)
        if self.norm is not None:
            feat = self.norm(feat)
        return self.fc(feat)

    def named_for_engine(self):
        cfg = self.cfg
        pairs = [("embedding.weight", self.embedding.weight)]
        for torch_name, ours in rnn_param_names(cfg["cell"], cfg["layers"], cfg["bidirectional"],
                                                f"encoder.{cfg['cell']}"):
            pairs.append((ours, getattr(self.rnn, torch_name)))
        if cfg["pool"] == "attention":
            pairs += [("pool.attention.w", self.att_w.weight), ("pool.attention.b", self.att_w.bias),
                      ("pool.attention.v", self.att_v.weight)]
        if self.norm is not None:
            pairs += [("norm.weight", self.norm.weight), ("norm.bias", self.norm.bias)]
        pairs += [("head.weight", self.fc.weight), ("head.bias", self.fc.bias)]
        return pairs


def case_classifier(name, cfg, lengths, class_weights, smoothing, seed):
    torch.manual_seed(seed)
    model = Classifier(cfg)
    if model.norm is not None:
        with torch.no_grad():
            model.norm.weight.uniform_(0.5, 1.5)
            model.norm.bias.uniform_(-0.3, 0.3)
    model.train()  # batch norm uses batch statistics; no dropout in the model
    seqs = [torch.randint(0, cfg["vocab_size"], (length,)) for length in lengths]
    seqs[0][1] = cfg["padding_id"]  # a padding id inside a sequence
    ids = pad_sequence(seqs, batch_first=True, padding_value=cfg["padding_id"])
    labels = torch.randint(0, cfg["num_classes"], (len(lengths),))
    weights = torch.tensor(class_weights) if class_weights else None
    logits = model(ids, lengths)
    loss = F.cross_entropy(logits, labels, weight=weights, label_smoothing=smoothing)
    loss.backward()
    tensors = {"logits": t2j(logits)}
    for ours, p in model.named_for_engine():
        flat = ours == "pool.attention.v"  # (1, A) in torch, (A) in the engine
        tensors[ours] = t2j(p.reshape(-1) if flat else p)
        tensors["grad:" + ours] = t2j(p.grad.reshape(-1) if flat else p.grad)
    if class_weights:
        tensors["class_weights"] = t2j(weights)
    if isinstance(model.norm, nn.BatchNorm1d):
        tensors["after:norm.running_mean"] = t2j(model.norm.running_mean)
        tensors["after:norm.running_var"] = t2j(model.norm.running_var)
    return {"name": name, "kind": "classifier", "config": cfg, "lengths": lengths,
            "ids": torch.cat(seqs).tolist(), "labels": labels.tolist(),
            "label_smoothing": smoothing, "loss": loss.item(), "tensors": tensors}


def classifier_config(**kw):
    cfg = {"vocab_size": 23, "embed_dim": 6, "padding_id": 0, "cell": "lstm", "hidden": 5,
           "layers": 1, "bidirectional": True, "dropout": 0.0, "embed_dropout": 0.0,
           "norm": "none", "pool": "last", "attention_dim": 4, "num_classes": 3,
           "init": "pytorch"}
    cfg.update(kw)
    return cfg


def build_cases():
    lengths = [5, 2, 7, 1, 7, 3]
    cases = [case_embedding(1), case_linear(2), case_layer_norm(3), case_batch_norm(True, 4),
             case_batch_norm(False, 5), case_cross_entropy(6),
             case_cross_entropy_logit_adjusted(61), case_focal(62), case_focal_weighted(63),
             case_optimizer("adam", 7),
             case_optimizer("adamw", 8), case_optimizer("sgd", 9), case_clip(10)]
    seed = 100
    for cell in ("rnn", "lstm", "gru"):
        for bidirectional in (False, True):
            for layers in (1, 2):
                cases.append(case_recurrent(cell, bidirectional, layers, 5, 7, lengths, seed))
                seed += 1
        # Hidden size with a full AVX-512 block and a tail.
        cases.append(case_recurrent(cell, True, 1, 4, 19, [4, 9, 2], seed))
        seed += 1
    lengths = [6, 3, 9, 1, 4]
    cases += [
        case_classifier("bilstm_last", classifier_config(), lengths, None, 0.0, 200),
        case_classifier("bilstm_max", classifier_config(pool="max"), lengths, None, 0.0, 201),
        case_classifier("bigru2_mean_layernorm",
                        classifier_config(cell="gru", layers=2, pool="mean", norm="layer"),
                        lengths, [1.0, 2.0, 0.5], 0.1, 202),
        case_classifier("rnn_attention_batchnorm",
                        classifier_config(cell="rnn", bidirectional=False, pool="attention",
                                          norm="batch"),
                        lengths, None, 0.05, 203),
    ]
    return cases


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out-dir", required=True,
                    help="directory for <case>.json files and index.json")
    args = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out_dir, exist_ok=True)
    cases = build_cases()
    for case in cases:
        write_json(os.path.join(args.out_dir, case["name"] + ".json"), case)
    write_json(os.path.join(args.out_dir, "index.json"),
               {"torch_version": torch.__version__, "cases": [c["name"] for c in cases]})
    print(f"wrote {len(cases)} cases to {args.out_dir}")


if __name__ == "__main__":
    main()
