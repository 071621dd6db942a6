#!/usr/bin/python3
"""deploy/k8s/training renders with kustomize into an MPIJob the MPI Operator (v2beta1) and the
zhsenti binary accept: one launcher running `mpirun -np N ... zhsenti ... train`, N equal to
the worker replicas times slotsPerWorker, every train flag known to `zhsenti train --help`,
the data and model paths on the shared volume the workers mount, and that volume's claim
rendered alongside as ReadWriteMany.

usage: k8s_training_render_test.py ZHSENTI_BINARY
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deploy_common import REPO  # noqa: E402
from k8s_render_test import render  # noqa: E402

PROBLEMS = []


def check(cond, msg):
    if not cond:
        PROBLEMS.append(msg)
    return cond


def train_flags(zhsenti):
    text = subprocess.run([zhsenti, "train", "--help"], check=True, capture_output=True,
                          text=True).stdout
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", text))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    zhsenti = os.path.abspath(sys.argv[1])
    objs = render(os.path.join(REPO, "deploy", "k8s", "training"))
    kinds = {o["kind"]: o for o in objs}
    job, pvc = kinds.get("MPIJob"), kinds.get("PersistentVolumeClaim")
    if not check(job is not None and pvc is not None, f"rendered kinds: {sorted(kinds)}"):
        return finish()
    check(job["apiVersion"] == "kubeflow.org/v2beta1", f"apiVersion {job['apiVersion']}")
    spec = job["spec"]
    check(spec.get("mpiImplementation") == "OpenMPI", "mpiImplementation is not OpenMPI")
    launcher = spec["mpiReplicaSpecs"]["Launcher"]
    worker = spec["mpiReplicaSpecs"]["Worker"]
    check(launcher.get("replicas") == 1, "one launcher")
    lc = launcher["template"]["spec"]["containers"][0]
    wc = worker["template"]["spec"]["containers"][0]
    argv = lc.get("command", []) + lc.get("args", [])
    check(argv[:1] == ["mpirun"], f"the launcher runs {argv[:1]}, not mpirun")
    np_ = int(argv[argv.index("-np") + 1]) if "-np" in argv else -1
    slots = spec.get("slotsPerWorker", 1)
    check(np_ == worker["replicas"] * slots,
          f"-np {np_} != {worker['replicas']} workers x {slots} slots")
    if not check("zhsenti" in argv and "train" in argv, f"no `zhsenti ... train` in {argv}"):
        return finish()
    cmd = argv[argv.index("zhsenti") + 1:]
    train_args = cmd[cmd.index("train") + 1:]
    known = train_flags(zhsenti)
    for a in train_args:
        if a.startswith("--"):
            check(a in known, f"`zhsenti train` has no flag {a}")
    # The threads each rank uses match the worker's CPUs.
    cpus = str(wc["resources"]["limits"]["cpu"])
    threads = train_args[train_args.index("--threads") + 1] if "--threads" in train_args else None
    check(threads == cpus, f"--threads {threads} but worker CPU limit {cpus}")
    # Paths are on the volume the workers mount, and the volume is the rendered claim.
    mounts = {m["mountPath"]: m["name"] for m in wc.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in worker["template"]["spec"].get("volumes", [])}
    for flag in ("--train", "--dev", "--out"):
        if flag not in train_args:
            continue
        path = train_args[train_args.index(flag) + 1]
        mount = next((m for m in mounts if path.startswith(m.rstrip("/") + "/")), None)
        if check(mount is not None, f"{flag} {path} is on no mounted volume"):
            vol = volumes.get(mounts[mount], {})
            claim = vol.get("persistentVolumeClaim", {}).get("claimName")
            check(claim == pvc["metadata"]["name"], f"{flag} is on volume {vol}, not the claim")
    check(pvc["spec"]["accessModes"] == ["ReadWriteMany"], "the shared claim is not ReadWriteMany")
    check(job["metadata"].get("namespace") == pvc["metadata"].get("namespace"),
          "the job and its claim are in different namespaces")
    for c in (lc, wc):
        check(c["image"].startswith("zhsenti-training"), f"image {c['image']}")
    return finish()


def finish():
    if PROBLEMS:
        print("FAIL:\n" + "\n".join(PROBLEMS), file=sys.stderr)
        sys.exit(1)
    print("ok: deploy/k8s/training renders to a consistent MPIJob")


if __name__ == "__main__":
    main()
