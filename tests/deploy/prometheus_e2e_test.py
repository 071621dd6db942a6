#!/usr/bin/python3
"""A real zhsenti serve scraped by a real Prometheus, on loopback ports.

Prometheus runs deploy/prometheus/prometheus-static.yml (target port and intervals replaced)
with the shipped rules. After bounded load (predictions, feedback, client errors, a good and a
failed reload), every PromQL expression shipped in deploy/ is evaluated through the HTTP API:
the recording and alert rules (as Prometheus loaded them; each must also be healthy), every
query of the Grafana dashboard (panels, annotations, variables), and the Prometheus Adapter
rule. An expression passes when it returns series. A comparison or and/or/unless that is
false now (an alert that does not fire) passes when each of its operands returns series, so a
misspelt metric or label still fails. Expressions that only have data inside a cluster are on
EXEMPT below, which must stay small and used.

usage: prometheus_e2e_test.py ZHSENTI_BINARY
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deploy_common import (REPO, Processes, free_port, http, start_serve, temp_dir,  # noqa: E402
                           train_tiny_model, wait_until)

# Metric -> why the e2e cannot have it. Expressions naming one are only checked to parse.
EXEMPT = {
    "kube_horizontalpodautoscaler_status_current_replicas": "kube-state-metrics, in a cluster only",
    "kube_horizontalpodautoscaler_status_desired_replicas": "kube-state-metrics, in a cluster only",
    "kube_horizontalpodautoscaler_spec_max_replicas": "kube-state-metrics, in a cluster only",
}
MAX_EXEMPT = 3

# What Grafana puts in place of its variables when the dashboard shows all namespaces.
GRAFANA_VARS = {"$__rate_interval": "1m", "$__interval": "15s", "$namespace": ".*"}


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


# ---- expressions of the shipped files ------------------------------------------------------

def dashboard_expressions(path):
    d = json.load(open(path, encoding="utf-8"))
    # The shape Grafana needs: unique panel ids on the 24-column grid, every panel querying
    # through the data source variable.
    ids = [p["id"] for p in d["panels"]]
    if len(ids) != len(set(ids)):
        fail(f"{path}: panel ids repeat")
    for p in d["panels"]:
        g = p["gridPos"]
        if g["x"] < 0 or g["x"] + g["w"] > 24:
            fail(f"{path}: panel {p['title']} leaves the grid")
        if p["type"] != "row" and (not p.get("targets") or p["datasource"]["uid"] != "${datasource}"
                                   or any(not t.get("expr") for t in p["targets"])):
            fail(f"{path}: panel {p['title']} without a query through ${{datasource}}")
    out = []

    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "expr" and isinstance(v, str):
                    out.append((where, v))
                elif k == "panels" or k == "targets" or k == "list":
                    walk(v, where)
                else:
                    walk(v, where + "/" + k if k in ("annotations",) else where)
        elif isinstance(node, list):
            for item in node:
                title = item.get("title") or item.get("name") if isinstance(item, dict) else None
                walk(item, f"{where} > {title}" if title else where)

    walk(d.get("panels", []), "dashboard panel")
    walk(d.get("annotations", {}), "dashboard annotation")
    for v in d.get("templating", {}).get("list", []):
        if v.get("type") != "query":
            continue
        q = v["query"]["query"] if isinstance(v.get("query"), dict) else v.get("query", "")
        m = re.fullmatch(r"\s*label_values\((.*),\s*([a-zA-Z_]\w*)\s*\)\s*", q)
        if not m:
            fail(f"dashboard variable {v['name']}: only label_values(selector, label) is checked: {q}")
        out.append((f"dashboard variable {v['name']}", m.group(1)))
    if len(out) < 20:
        fail(f"only {len(out)} expressions found in {path}")
    result = []
    for where, e in out:
        for k, val in GRAFANA_VARS.items():
            e = e.replace(k, val)
        if "$" in e:
            fail(f"{where}: a Grafana variable this test does not know: {e}")
        result.append((where, e))
    return result


def adapter_expressions(path):
    text = open(path, encoding="utf-8").read()
    series = re.findall(r"seriesQuery:\s*'([^']*)'", text)
    metrics = re.findall(r"metricsQuery:\s*'([^']*)'", text)
    if not series or len(series) != len(metrics):
        fail(f"{path}: expected seriesQuery/metricsQuery pairs")
    out = []
    for s, m in zip(series, metrics):
        name = re.match(r"[a-zA-Z_:][\w:]*", s).group(0)
        filled = (m.replace("<<.Series>>", name)
                   .replace("<<.LabelMatchers>>", 'namespace="local"')
                   .replace("<<.GroupBy>>", "pod"))
        if "<<" in filled:
            fail(f"{path}: unknown template in {m}")
        out += [("adapter seriesQuery", s), ("adapter metricsQuery", filled)]
    return out


# ---- a small PromQL splitter: operands of top-level comparisons and set operators ----------

BINARY = re.compile(r"(==|!=|>=|<=|>|<|\band\b|\bor\b|\bunless\b)")
MODIFIER = re.compile(r"^\s*(bool\b|(on|ignoring)\s*\([^)]*\)|group_(left|right)\s*(\([^)]*\))?)\s*")


def top_level_split(expr):
    """Operands of the outermost comparison/set operators (None when there is none)."""
    depth, quote, parts, start, i = 0, None, [], 0, 0
    while i < len(expr):
        c = expr[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "\"'`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            m = BINARY.match(expr, i)
            # `=~`/`!~` only appear inside braces; `<`/`>` never start an identifier.
            if m and not (m.group(0).isalpha() and i > 0 and (expr[i - 1].isalnum() or expr[i - 1] == "_")):
                parts.append(expr[start:i])
                i = m.end()
                start = i
                continue
        i += 1
    if not parts:
        return None
    parts.append(expr[start:])
    operands = []
    for p in parts:
        while True:
            m = MODIFIER.match(p)
            if not m or not m.group(0):
                break
            p = p[m.end():]
        operands.append(p.strip())
    return operands


def is_literal(e):
    return re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|[-+]?(Inf|NaN)", e.strip()) is not None


def strip_parens(e):
    e = e.strip()
    while e.startswith("(") and e.endswith(")"):
        depth = 0
        for i, c in enumerate(e):
            depth += c == "("
            depth -= c == ")"
            if depth == 0 and i < len(e) - 1:
                return e
        e = e[1:-1].strip()
    return e


# ---- Prometheus ----------------------------------------------------------------------------

class Prom:
    def __init__(self, base):
        self.base = base

    def query(self, expr):
        url = self.base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        status, body = http("GET", url)
        j = json.loads(body)
        if status != 200 or j.get("status") != "success":
            return None, j.get("error", body.decode(errors="replace"))
        data = j["data"]
        if data["resultType"] in ("scalar", "string"):
            return 1, None
        return len(data["result"]), None


def check_expression(prom, where, expr, problems, depth=0):
    n, err = prom.query(expr)
    if n is None:
        problems.append(f"{where}: invalid: {err}\n    {expr}")
        return
    if n > 0:
        return
    operands = top_level_split(strip_parens(expr))
    if operands is None:
        inner = strip_parens(expr)
        if inner != expr.strip():
            return check_expression(prom, where, inner, problems, depth)
        problems.append(f"{where}: no series\n    {expr}")
        return
    for op in operands:
        if not is_literal(op):
            check_expression(prom, where + " (operand)", op, problems, depth + 1)


def main():
    if len(sys.argv) != 2:
        fail(__doc__)
    zhsenti = os.path.abspath(sys.argv[1])
    prometheus = shutil.which("prometheus")
    if not prometheus:
        fail("prometheus is not installed (scripts/install-deps.sh installs it)")
    deploy = os.path.join(REPO, "deploy")
    static_config = os.path.join(deploy, "prometheus", "prometheus-static.yml")
    rules = [os.path.join(deploy, "prometheus", "rules", f) for f in ("recording.yml", "alerts.yml")]
    started = time.monotonic()

    with temp_dir("zhsenti-prom-e2e-") as work, Processes() as procs:
        model = train_tiny_model(zhsenti, work)
        token = os.path.join(work, "token")
        with open(token, "w") as f:
            f.write("e2e-token\n")
        headers = {"Authorization": "Bearer e2e-token"}
        _, serve = start_serve(procs, zhsenti,
                               ["--model", model, "--admin-token-file", token,
                                "--feedback-file", os.path.join(work, "feedback.jsonl"),
                                "--drift-window", "200", "--no-access-log"],
                               os.path.join(work, "serve.log"))
        serve_port = serve.rsplit(":", 1)[1]

        # The shipped static config with the test's target and a 1 s scrape/evaluation.
        config = open(static_config, encoding="utf-8").read()
        replacements = {'"127.0.0.1:8080"': f'"127.0.0.1:{serve_port}"',
                        "scrape_interval: 15s": "scrape_interval: 1s",
                        "evaluation_interval: 15s": "evaluation_interval: 1s"}
        for r in rules:
            replacements["rules/" + os.path.basename(r)] = r
        for old, new in replacements.items():
            if config.count(old) != 1:
                fail(f"{static_config}: expected '{old}' once")
            config = config.replace(old, new)
        config_path = os.path.join(work, "prometheus.yml")
        with open(config_path, "w", encoding="utf-8") as f:
            f.write(config)

        prom_log = os.path.join(work, "prometheus.log")
        for attempt in range(5):
            port = free_port()
            p = procs.start([prometheus, f"--config.file={config_path}",
                             f"--storage.tsdb.path={os.path.join(work, 'tsdb')}",
                             f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
                            stdout=subprocess.DEVNULL, stderr=open(prom_log, "ab"))
            base = f"http://127.0.0.1:{port}"
            try:
                wait_until("prometheus ready",
                           lambda: p.poll() is None and http("GET", base + "/-/ready", timeout=2)[0] == 200, 20)
                break
            except AssertionError:
                if p.poll() is None:
                    raise
        else:
            fail("prometheus did not start:\n" + open(prom_log, errors="replace").read()[-3000:])
        prom = Prom(base)
        wait_until("the first scrape", lambda: prom.query('up{job="zhsenti"} == 1')[0] == 1, 20)

        # Bounded load over ~8 s, so every counter grows across several scrapes.
        texts = ["房间很干净，服务也很热情", "太差了，再也不来了", "价格合理，位置方便，早餐一般",
                 "很失望，质量很差", "推荐购买，棒极了"]
        for round_ in range(8):
            status, body = http("POST", serve + "/v1/predict", {"texts": texts * 6})
            assert status == 200, body
            for t in texts:
                status, body = http("POST", serve + "/v1/predict", {"text": t})
                assert status == 200, body
            pid = json.loads(body)["id"]
            assert http("POST", serve + "/v1/feedback", {"prediction_id": pid, "label": "1"})[0] == 200
            assert http("POST", serve + "/v1/feedback", {"text": texts[round_ % 5], "label": "0"})[0] == 200
            assert http("POST", serve + "/v1/predict", b"{not json")[0] == 400
            assert http("POST", serve + "/v1/predict", {"text": ""})[0] == 422
            assert http("GET", serve + "/no/such/path")[0] == 404
            assert http("POST", serve + "/admin/reload", b"")[0] == 401
            for path in ("/healthz", "/readyz", "/v1/model", "/v1/monitor", "/"):
                assert http("GET", serve + path)[0] == 200, path
            if round_ == 2:
                status, body = http("POST", serve + "/admin/reload", b"", headers)
                assert status == 200, body
            if round_ == 4:
                status, body = http("POST", serve + "/admin/reload",
                                    {"model": os.path.join(work, "no-such-model")}, headers)
                assert status == 422, body
            time.sleep(1)

        # The last requests scraped, and every recording rule evaluated on them (if one never
        # returns series, the checks below say which).
        wait_until("the failed reload in Prometheus",
                   lambda: prom.query('zhsenti_model_reloads_total{result="failure"} > 0')[0] == 1, 20)
        time.sleep(2)
        status, body = http("GET", base + "/api/v1/rules")
        groups = json.loads(body)["data"]["groups"]
        records = {r["name"] for g in groups for r in g["rules"] if r["type"] == "recording"}
        try:
            wait_until("recorded series", lambda: all(prom.query(n)[0] for n in records), 20)
        except AssertionError:
            pass

        expressions = []
        problems = []
        alerts = []
        for g in groups:
            for r in g["rules"]:
                name = r.get("name")
                if r.get("health") != "ok":
                    problems.append(f"rule {name}: health {r.get('health')}: {r.get('lastError')}")
                kind = "alert" if r["type"] == "alerting" else "recording rule"
                expressions.append((f"{kind} {name}", r["query"]))
                if r["type"] == "alerting":
                    alerts.append(r)
        if sum(1 for g in groups for r in g["rules"]) < 15:
            fail("Prometheus loaded fewer rules than deploy/prometheus/rules holds")
        expressions += dashboard_expressions(os.path.join(deploy, "grafana", "dashboards", "zhsenti.json"))
        expressions += adapter_expressions(os.path.join(deploy, "k8s", "prometheus-adapter", "config.yaml"))

        # Every alert: the three annotations, a runbook section that exists in docs/deploy.md.
        docs = open(os.path.join(REPO, "docs", "deploy.md"), encoding="utf-8").read()
        anchors = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
                   for h in re.findall(r"^#+ (.*)$", docs, re.M)}
        for a in alerts:
            ann = a.get("annotations", {})
            for key in ("summary", "description", "runbook_url"):
                if not ann.get(key):
                    problems.append(f"alert {a['name']}: no {key}")
            anchor = ann.get("runbook_url", "").partition("#")[2]
            if anchor not in anchors:
                problems.append(f"alert {a['name']}: runbook {ann.get('runbook_url')} has no heading in docs/deploy.md")

        used_exemptions = set()
        checked = 0
        for where, expr in expressions:
            exempt = [m for m in EXEMPT if re.search(r"\b" + m + r"\b", expr)]
            if exempt:
                used_exemptions.update(exempt)
                n, err = prom.query(expr)
                if n is None:
                    problems.append(f"{where}: invalid: {err}\n    {expr}")
                continue
            check_expression(prom, where, expr, problems)
            checked += 1
        if len(EXEMPT) > MAX_EXEMPT:
            problems.append(f"{len(EXEMPT)} exempt metrics (at most {MAX_EXEMPT})")
        for m in set(EXEMPT) - used_exemptions:
            problems.append(f"exemption {m} is not used by any expression: remove it")

        if problems:
            fail(f"{len(problems)} problems:\n" + "\n".join(problems) +
                 "\n--- serve log tail:\n" + open(os.path.join(work, "serve.log"), errors="replace").read()[-1500:])
        print(f"ok: {checked} expressions return series ({len(used_exemptions)} exempt metrics), "
              f"{len(alerts)} alerts documented, {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
