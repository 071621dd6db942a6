#!/usr/bin/python3
"""deploy/k8s renders with kustomize and the rendered objects agree with each other, with
deploy/Dockerfile and with the zhsenti binary.

For the base (deploy/k8s) and every overlay (deploy/k8s/overlays/*): the Deployment's probes
use ports it declares and paths zhsenti serve answers 200 on (it is started with the
rendered entrypoint and args, volumes mapped to temporary files, to prove it); every flag is
in `zhsenti serve --help`; Services, the Ingress, the PDB, the NetworkPolicy and the HPA
select or name objects that exist, with ports that match; the HPA's per-pod metric is the one
the Prometheus Adapter rule exposes; ConfigMap, Secret and PVC references resolve; the
retraining job runs the shipped retrain.sh and reloads through a headless Service on the
serving port; the Dockerfile's port, entrypoint and the scrape annotations agree.

usage: k8s_render_test.py ZHSENTI_BINARY
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deploy_common import REPO, Processes, http, start_serve, temp_dir, train_tiny_model  # noqa: E402

PROBLEMS = []


def check(cond, msg):
    if not cond:
        PROBLEMS.append(msg)
    return cond


def render(path):
    kubectl = shutil.which("kubectl")
    if not kubectl:
        sys.exit("FAIL: kubectl is not installed")
    yaml_text = subprocess.run([kubectl, "kustomize", path], check=True, capture_output=True,
                               text=True).stdout
    # kubectl turns the YAML into JSON offline (--local); the annotation is a no-op carrier.
    out = subprocess.run([kubectl, "annotate", "--local", "-f", "-", "-o", "json",
                          "zhsenti.test/rendered=1"], input=yaml_text, check=True,
                         capture_output=True, text=True).stdout
    objs, dec, i = [], json.JSONDecoder(), 0
    while i < len(out):
        if out[i].isspace():
            i += 1
            continue
        obj, i = dec.raw_decode(out, i)
        objs.extend(obj["items"] if obj.get("kind") == "List" else [obj])
    return objs


def dockerfile():
    text = open(os.path.join(REPO, "deploy", "Dockerfile"), encoding="utf-8").read()
    entry = json.loads(re.search(r"^ENTRYPOINT\s+(\[.*\])\s*$", text, re.M).group(1))
    expose = [int(p) for p in re.findall(r"^EXPOSE\s+(\d+)", text, re.M)]
    return entry, expose


def serve_flags(zhsenti):
    help_text = subprocess.run([zhsenti, "serve", "--help"], check=True, capture_output=True,
                               text=True).stdout
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", help_text))


def labels_match(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def expand(arg, env):
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), arg)


def check_rendering(name, objs, zhsenti, flags, entry, expose, adapter_metric, work):
    by = {}
    for o in objs:
        by.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
    where = f"[{name}]"
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                 "NetworkPolicy", "Ingress", "CronJob", "ConfigMap", "Secret",
                 "PersistentVolumeClaim"):
        check(kind in by, f"{where} no {kind} rendered")
    dep = by.get("Deployment", {}).get("zhsenti")
    if not check(dep is not None, f"{where} no Deployment zhsenti"):
        return
    namespaces = {o["metadata"].get("namespace") for o in objs if o["kind"] != "Namespace"}
    check(len(namespaces) == 1, f"{where} objects in several namespaces: {namespaces}")
    pod = dep["spec"]["template"]
    pod_labels = pod["metadata"]["labels"]
    check(labels_match(dep["spec"]["selector"]["matchLabels"], pod_labels), f"{where} Deployment selector")
    c = pod["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    check(ports.get("http") in expose, f"{where} container port http {ports.get('http')} is not EXPOSEd by the Dockerfile {expose}")
    check(entry[entry.index("--port") + 1] == str(ports.get("http")),
          f"{where} the Dockerfile entrypoint's --port is not the container port")
    ann = pod["metadata"].get("annotations", {})
    check(ann.get("prometheus.io/scrape") == "true" and ann.get("prometheus.io/port") == str(ports.get("http"))
          and ann.get("prometheus.io/path") == "/metrics", f"{where} scrape annotations {ann}")
    check(re.fullmatch(r"zhsenti(:[\w.-]+)?", c["image"]) is not None or c["image"].endswith("/zhsenti") or "/zhsenti:" in c["image"],
          f"{where} image {c['image']}")
    check("cpu" in c.get("resources", {}).get("requests", {}), f"{where} no CPU request (the HPA's CPU target needs one)")
    check("memory" in c.get("resources", {}).get("limits", {}), f"{where} no memory limit")
    probes = {}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        p = c.get(probe, {}).get("httpGet")
        if check(p is not None, f"{where} no {probe}"):
            port = p["port"]
            check(port in ports or port in ports.values(), f"{where} {probe} port {port} is not a container port")
            probes[probe] = p["path"]
    check(probes.get("readinessProbe") == "/readyz", f"{where} readiness must be /readyz")
    check(probes.get("livenessProbe") == "/healthz", f"{where} liveness must be /healthz")

    # The init container refuses the placeholder token and accepts a real one.
    for ic in pod["spec"].get("initContainers", []):
        cmd = ic.get("command", [])
        if check(cmd[:2] == ["sh", "-c"], f"{where} init container {ic['name']}: {cmd}"):
            for content, rc in (("REPLACE-ME\n", 1), ("a-real-token\n", 0)):
                path = os.path.join(work["dir"], "token-for-init")
                with open(path, "w") as f:
                    f.write(content)
                r = subprocess.run(["/bin/sh", "-c", cmd[2].replace("/secrets/admin-token", path)],
                                   capture_output=True)
                check(r.returncode == rc, f"{where} init container {ic['name']} exits {r.returncode} on {content.strip()}")

    # Env for $(VAR): the ConfigMaps of envFrom and the fieldRefs.
    cms = by.get("ConfigMap", {})
    env = {}
    for ef in c.get("envFrom", []):
        ref = ef.get("configMapRef", {}).get("name")
        if check(ref in cms, f"{where} envFrom ConfigMap {ref} is not rendered"):
            env.update(cms[ref]["data"])
    for e in c.get("env", []):
        env[e["name"]] = e.get("value", "pod-0" if "valueFrom" in e else "")
    args = [expand(a, env) for a in c.get("args", [])]
    for a in args:
        check("$(" not in a, f"{where} arg {a} names a variable no ConfigMap sets")
        if a.startswith("--"):
            check(a.split("=", 1)[0] in flags, f"{where} {a.split('=', 1)[0]} is not a flag of `zhsenti serve --help`")
    check(entry[0] == "zhsenti" and "serve" in entry, f"{where} Dockerfile entrypoint {entry}")
    for f in [a for a in entry[entry.index("serve") + 1:] if a.startswith("--")]:
        check(f in flags, f"{where} the Dockerfile entrypoint's {f} is not a serve flag")

    # Volumes: every claim, secret and ConfigMap exists; mounts name volumes.
    def check_pod_refs(spec, what):
        vols = {v["name"]: v for v in spec.get("volumes", [])}
        for v in vols.values():
            if "persistentVolumeClaim" in v:
                check(v["persistentVolumeClaim"]["claimName"] in by.get("PersistentVolumeClaim", {}), f"{where} {what}: PVC {v}")
            if "secret" in v:
                check(v["secret"]["secretName"] in by.get("Secret", {}), f"{where} {what}: Secret {v}")
            if "configMap" in v:
                check(v["configMap"]["name"] in cms, f"{where} {what}: ConfigMap {v}")
        for cc in spec.get("initContainers", []) + spec.get("containers", []):
            for m in cc.get("volumeMounts", []):
                check(m["name"] in vols, f"{where} {what}: mount of unknown volume {m['name']}")
        return vols
    vols = check_pod_refs(pod["spec"], "Deployment")
    mounts = {m["mountPath"]: vols[m["name"]] for m in c.get("volumeMounts", []) if m["name"] in vols}

    # Services, Ingress, PDB, NetworkPolicy.
    for s in by.get("Service", {}).values():
        check(labels_match(s["spec"].get("selector"), pod_labels), f"{where} Service {s['metadata']['name']} selects no serving pod")
        for p in s["spec"]["ports"]:
            t = p.get("targetPort", p["port"])
            check(t in ports or t in ports.values(), f"{where} Service {s['metadata']['name']} targetPort {t}")
    for ing in by.get("Ingress", {}).values():
        for rule in ing["spec"].get("rules", []):
            for path in rule["http"]["paths"]:
                b = path["backend"]["service"]
                svc = by.get("Service", {}).get(b["name"])
                if check(svc is not None, f"{where} Ingress backend {b['name']}"):
                    names = {p.get("name") for p in svc["spec"]["ports"]} | {p["port"] for p in svc["spec"]["ports"]}
                    check(b["port"].get("name", b["port"].get("number")) in names, f"{where} Ingress backend port {b['port']}")
                check(not path["path"].startswith("/admin") and not (path["path"] == "/" and path["pathType"] == "Prefix"),
                      f"{where} the Ingress exposes /admin: {path}")
    for pdb in by.get("PodDisruptionBudget", {}).values():
        check(labels_match(pdb["spec"]["selector"]["matchLabels"], pod_labels), f"{where} PDB selects no serving pod")
    for np_ in by.get("NetworkPolicy", {}).values():
        check(labels_match(np_["spec"]["podSelector"]["matchLabels"], pod_labels), f"{where} NetworkPolicy selects no serving pod")
        for rule in np_["spec"]["ingress"]:
            check(bool(rule.get("from")), f"{where} a NetworkPolicy rule open to everyone")
            for p in rule.get("ports", []):
                check(p["port"] in ports or p["port"] in ports.values(), f"{where} NetworkPolicy port {p['port']}")

    # HPA: its target exists; the per-pod metric is the adapter's.
    hpa = by.get("HorizontalPodAutoscaler", {}).get("zhsenti")
    if check(hpa is not None, f"{where} no HPA zhsenti"):
        check(hpa["apiVersion"] == "autoscaling/v2", f"{where} HPA apiVersion {hpa['apiVersion']}")
        ref = hpa["spec"]["scaleTargetRef"]
        check(ref["kind"] == "Deployment" and ref["name"] == "zhsenti" and ref["apiVersion"] == dep["apiVersion"],
              f"{where} HPA target {ref}")
        check("replicas" not in dep["spec"], f"{where} the Deployment sets replicas the HPA owns")
        kinds = {m["type"]: m for m in hpa["spec"]["metrics"]}
        check(kinds.get("Resource", {}).get("resource", {}).get("name") == "cpu", f"{where} HPA without CPU")
        check(kinds.get("Pods", {}).get("pods", {}).get("metric", {}).get("name") == adapter_metric,
              f"{where} HPA Pods metric is not the adapter's {adapter_metric}")
        check(1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"], f"{where} HPA replica bounds")

    # Retraining job: the shipped script, a headless Service on the serving port.
    cj = by.get("CronJob", {}).get("zhsenti-retrain")
    if check(cj is not None, f"{where} no CronJob zhsenti-retrain"):
        jspec = cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        jvols = check_pod_refs(jspec, "CronJob")
        jc = jspec["containers"][0]
        jenv = {}
        for ef in jc.get("envFrom", []):
            ref = ef.get("configMapRef", {}).get("name")
            if check(ref in cms, f"{where} CronJob envFrom {ref}"):
                jenv.update(cms[ref]["data"])
        jenv.update({e["name"]: e.get("value", "") for e in jc.get("env", [])})
        script_vol = [v for v in jvols.values() if "configMap" in v]
        shipped = open(os.path.join(REPO, "deploy", "k8s", "base", "retrain.sh"), encoding="utf-8").read()
        check(any(cms.get(v["configMap"]["name"], {}).get("data", {}).get("retrain.sh") == shipped for v in script_vol),
              f"{where} the CronJob does not mount deploy/k8s/base/retrain.sh")
        check(jc.get("command", [])[-1:] == ["/scripts/retrain.sh"], f"{where} CronJob command {jc.get('command')}")
        head = by.get("Service", {}).get(jenv.get("RELOAD_SERVICE", ""))
        if check(head is not None, f"{where} RELOAD_SERVICE {jenv.get('RELOAD_SERVICE')} is not a Service"):
            check(head["spec"].get("clusterIP") == "None", f"{where} RELOAD_SERVICE is not headless")
            check(str(ports.get("http")) == jenv.get("RELOAD_PORT") and
                  any(p["port"] == ports.get("http") for p in head["spec"]["ports"]),
                  f"{where} RELOAD_PORT {jenv.get('RELOAD_PORT')} is not the serving port")
        jmounts = {m["mountPath"]: jvols.get(m["name"]) for m in jc.get("volumeMounts", [])}
        models = jmounts.get(jenv.get("MODELS_DIR"))
        check(models is not None and models.get("persistentVolumeClaim") == mounts.get("/model", {}).get("persistentVolumeClaim"),
              f"{where} the job's MODELS_DIR is not the serving pods' model volume")
        check(any(a == "--model=/model/current" for a in args), f"{where} the pods do not serve /model/current")
        tok = jmounts.get(os.path.dirname(jenv.get("TOKEN_FILE", "")))
        check(tok is not None and tok.get("secret") == mounts.get("/secrets", {}).get("secret"),
              f"{where} the job's token is not the pods' token")

    # The binary runs with these very arguments (paths mapped to temporary files).
    mapping = {"/model/current": work["model"], "/secrets/admin-token": work["token"],
               "/feedback/": work["feedback"] + "/"}
    run_args = []
    for a in args:
        for k, v in mapping.items():
            a = a.replace("=" + k, "=" + v)
        run_args.append(a)
    for a in run_args:
        check(not re.search(r"=/(model|secrets|feedback)\b", a), f"{where} an arg with a path this test does not map: {a}")
    pre = entry[1:entry.index("serve")]
    post = entry[entry.index("serve") + 1:]
    for opt in ("--host", "--port"):
        i = post.index(opt)
        del post[i:i + 2]
    with Processes() as procs:
        try:
            _, base = start_serve(procs, zhsenti, post + run_args, os.path.join(work["dir"], "serve-" + name.replace("/", "_") + ".log"))
        except RuntimeError as e:
            check(False, f"{where} zhsenti serve does not start with the rendered args: {e}")
            return
        # The global flags of the entrypoint go before `serve`: start_serve puts `serve` first.
        for probe, path in probes.items():
            check(http("GET", base + path)[0] == 200, f"{where} {probe} {path} is not 200 on a running server")
        check(http("GET", base + ann.get("prometheus.io/path", "/metrics"))[0] == 200, f"{where} metrics path")
    if pre:
        r = subprocess.run([zhsenti] + pre + ["serve", "--help"], capture_output=True)
        check(r.returncode == 0, f"{where} the entrypoint's global flags {pre} are rejected")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    zhsenti = os.path.abspath(sys.argv[1])
    flags = serve_flags(zhsenti)
    entry, expose = dockerfile()
    adapter = open(os.path.join(REPO, "deploy", "k8s", "prometheus-adapter", "config.yaml"), encoding="utf-8").read()
    adapter_metric = re.search(r'\bas:\s*"([^"]+)"', adapter).group(1)
    targets = [os.path.join(REPO, "deploy", "k8s")] + sorted(glob.glob(os.path.join(REPO, "deploy", "k8s", "overlays", "*")))
    check(len(targets) >= 2, "no overlay in deploy/k8s/overlays")
    with temp_dir("zhsenti-k8s-render-") as d:
        work = {"dir": d, "model": train_tiny_model(zhsenti, d), "token": os.path.join(d, "token"),
                "feedback": os.path.join(d, "feedback")}
        os.mkdir(work["feedback"])
        with open(work["token"], "w") as f:
            f.write("render-test-token\n")
        for t in targets:
            name = os.path.relpath(t, REPO)
            objs = render(t)
            check_rendering(name, objs, zhsenti, flags, entry, expose, adapter_metric, work)
            print(f"{name}: {len(objs)} objects checked")
    if PROBLEMS:
        print("FAIL:\n" + "\n".join(PROBLEMS), file=sys.stderr)
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
