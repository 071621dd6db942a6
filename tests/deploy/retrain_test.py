#!/usr/bin/python3
"""deploy/k8s/base/retrain.sh (the CronJob's script) run with /bin/sh against a real
zhsenti serve, as in the cluster but with local directories: it installs the seed model,
skips with too little feedback, fine-tunes, evaluates both models on the held-out set and
promotes (current replaced, the server reloaded to the new version, the numbers logged),
finds nothing new on the next run, rejects a candidate its rule does not accept (current and
the used-feedback state unchanged), and fails when a pod cannot be reloaded.

usage: retrain_test.py ZHSENTI_BINARY
"""

import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deploy_common import (REPO, Processes, free_port, http, start_serve, synthetic_reviews_tsv,  # noqa: E402
                           temp_dir, train_tiny_model)

SCRIPT = os.path.join(REPO, "deploy", "k8s", "base", "retrain.sh")


def run(env, expect_rc=0):
    r = subprocess.run(["/bin/sh", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    out = r.stdout + r.stderr
    print(out, end="")
    if r.returncode != expect_rc:
        sys.exit(f"FAIL: retrain.sh exited {r.returncode}, expected {expect_rc}")
    return out


def expect(cond, msg):
    if not cond:
        sys.exit("FAIL: " + msg)


def main():
    zhsenti = os.path.abspath(sys.argv[1])
    with temp_dir("zhsenti-retrain-") as work, Processes() as procs:
        seed = train_tiny_model(zhsenti, work, "seed")
        holdout_src = os.path.join(work, "holdout.tsv")
        with open(holdout_src, "w", encoding="utf-8") as f:
            f.write(synthetic_reviews_tsv(80, 3))
        models, feedback = os.path.join(work, "models"), os.path.join(work, "feedback")
        os.makedirs(models)
        os.makedirs(feedback)
        token = os.path.join(work, "token")
        with open(token, "w") as f:
            f.write("retrain-token\n")
        env = dict(os.environ, ZHSENTI=zhsenti, MODELS_DIR=models, FEEDBACK_DIR=feedback,
                   TOKEN_FILE=token, SEED_MODEL=seed, SEED_HOLDOUT=holdout_src, MIN_ROWS="50",
                   FINETUNE_ARGS="--epochs 1 --threads 1", RELOAD_SERVICE="zhsenti-pods.invalid",
                   TMPDIR=work)

        # The first run installs the seed (no pods yet).
        out = run(env)
        current = os.path.join(models, "current")
        expect(os.path.islink(current) and os.readlink(current).startswith("versions/seed-"), "no seed current")
        expect(os.path.exists(os.path.join(models, "holdout.tsv")), "held-out set not installed")
        expect("no serving pods found" in out, "the seed run looked for pods")

        _, serve = start_serve(procs, zhsenti, ["--model", current, "--admin-token-file", token,
                                                "--feedback-file", os.path.join(feedback, "pod-0.jsonl"),
                                                "--no-access-log"], os.path.join(work, "serve.log"))
        env["RELOAD_TARGETS"] = serve.replace("http://", "")
        version0 = json.loads(http("GET", serve + "/v1/model")[1])["version"]

        def send_feedback(n, seed_, flip=False):
            rows = synthetic_reviews_tsv(n, seed_).splitlines()[1:]
            for row in rows:
                label, text = row.split("\t")
                if flip:
                    label = "1" if label == "0" else "0"
                status, body = http("POST", serve + "/v1/feedback", {"text": text, "label": label})
                expect(status == 200, f"feedback: {status} {body}")

        send_feedback(10, 11)
        out = run(env)
        expect("new feedback rows: 10" in out and "decision: skip" in out, "did not skip 10 rows")

        send_feedback(110, 12)
        out = run(dict(env, MAX_DROP="1"))
        expect("new feedback rows: 120" in out, "did not collect all 120 rows")
        expect(re.search(r"current \S+ accuracy [0-9.]+ macro-F1 [0-9.]+; candidate \S+ accuracy [0-9.]+ macro-F1 [0-9.]+", out),
               "the numbers are not in the log")
        expect("decision: promote" in out, "not promoted with MAX_DROP=1")
        expect(os.readlink(current).startswith("versions/cand-"), "current not replaced")
        version1 = json.loads(http("GET", serve + "/v1/model")[1])["version"]
        expect(version1 != version0, "the server was not reloaded to the new model")
        expect("reloaded 127.0.0.1:" in out and f"version {version1}" in out, "reload not logged")
        state = open(os.path.join(models, "feedback-used.txt")).read()
        expect(state == "pod-0.jsonl 120\n", f"state {state!r}")

        out = run(env)
        expect("new feedback rows: 0" in out and "decision: skip" in out, "used feedback read again")

        # A rule nothing can pass (better by a whole point): rejected, nothing moves.
        send_feedback(60, 13, flip=True)
        before = os.readlink(current)
        out = run(dict(env, MAX_DROP="-1"))
        expect("decision: reject" in out, "not rejected")
        expect(os.readlink(current) == before, "current moved on a rejection")
        expect(len(os.listdir(os.path.join(models, "rejected"))) == 1, "the rejected candidate is not kept")
        expect(open(os.path.join(models, "feedback-used.txt")).read() == state, "state advanced on a rejection")
        expect(json.loads(http("GET", serve + "/v1/model")[1])["version"] == version1, "reloaded on a rejection")

        # A pod that cannot be reached fails the job.
        out = run(dict(env, MAX_DROP="1", RELOAD_TARGETS=f"127.0.0.1:{free_port()}"), expect_rc=1)
        expect("reload of 127.0.0.1:" in out and "failed" in out, "unreachable pod not reported")
        expect(os.path.exists(os.path.join(models, "reload-pending")), "no reload-pending marker")
        # The next run reloads the pods first, even with nothing to train on.
        out = run(dict(env, MIN_ROWS="100000"))
        expect("reloading now" in out and "decision: skip" in out, "pending reload not retried")
        expect(json.loads(http("GET", serve + "/v1/model")[1])["version"] != version1, "not reloaded to the newest model")
        expect(not os.path.exists(os.path.join(models, "reload-pending")), "reload-pending left behind")
        print("ok")


if __name__ == "__main__":
    main()
