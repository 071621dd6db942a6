#!/usr/bin/python3
"""Reference metrics from scikit-learn for the eval tests.

Usage: sklearn_check.py CASES.json
CASES.json: [{"num_labels": K, "y_true": [...], "y_pred": [...], "probs": [[p0..pK-1], ...] or [],
              "names": [...] (optional: adds sklearn's classification_report text, digits=4)}]
Prints one JSON object per case (a JSON array) with what zhsenti::eval::compute_metrics must
reproduce: accuracy, per-class precision/recall/F1/support over labels=range(K) with
zero_division=0, macro and weighted averages, the confusion matrix, ROC-AUC (binary: scores
= probs[:, 1]; multi-class: one-vs-rest macro; null where sklearn raises) and log loss
(eps=1e-15).
"""
import json
import sys
import warnings

import numpy as np
from sklearn import metrics


def one(case):
    k = case["num_labels"]
    labels = list(range(k))
    y_true = np.array(case["y_true"])
    y_pred = np.array(case["y_pred"])
    out = {"accuracy": metrics.accuracy_score(y_true, y_pred)}
    p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out["precision"], out["recall"], out["f1"], out["support"] = p.tolist(), r.tolist(), f.tolist(), s.tolist()
    for avg in ("macro", "weighted"):
        ap, ar, af, _ = metrics.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=avg, zero_division=0)
        out[avg] = [ap, ar, af]
    out["confusion"] = metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist()
    if "names" in case:
        out["report"] = metrics.classification_report(y_true, y_pred, labels=labels, target_names=case["names"],
                                                      digits=4, zero_division=0)
    out["roc_auc"] = None
    out["log_loss"] = None
    if case["probs"]:
        probs = np.array(case["probs"], dtype=np.float64)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if k == 2:
                    out["roc_auc"] = metrics.roc_auc_score(y_true, probs[:, 1])
                else:
                    out["roc_auc"] = metrics.roc_auc_score(y_true, probs, multi_class="ovr", average="macro",
                                                           labels=labels)
        except ValueError:
            pass
        out["log_loss"] = metrics.log_loss(y_true, probs, eps=1e-15, labels=labels)
    return out


def main(path):
    with open(path) as f:
        cases = json.load(f)
    json.dump([one(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
