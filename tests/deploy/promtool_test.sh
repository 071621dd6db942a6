#!/usr/bin/env bash
# deploy/prometheus checked by promtool: both scrape configs, the rule files, and the unit
# tests that fire and do not fire every alert (deploy/prometheus/tests/alerts_test.yml).
# Debian's prometheus is built without Kubernetes service discovery, so the pod config is
# checked with its one `kubernetes_sd_configs` block swapped for an equivalent file_sd block
# (relabelling, rule files and everything else as shipped).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prom=$here/../../deploy/prometheus
command -v promtool > /dev/null || { echo "FAIL: promtool is not installed (scripts/install-deps.sh: prometheus)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

promtool check rules "$prom"/rules/*.yml
promtool check config "$prom/prometheus-static.yml"

# The pod config, with kubernetes_sd_configs -> file_sd_configs (the only change).
cp -r "$prom/rules" "$work/"
sd='    kubernetes_sd_configs:
      - role: pod'
/usr/bin/python3 - "$prom/prometheus.yml" "$work/prometheus.yml" "$sd" <<'PY'
import sys
src, dst, sd = sys.argv[1:]
text = open(src).read()
if text.count(sd) != 1:
    sys.exit(f"FAIL: {src} no longer has exactly one '{sd.strip()}' block; update this test")
open(dst, "w").write(text.replace(sd, "    file_sd_configs:\n      - files: [targets.json]"))
PY
echo '[]' > "$work/targets.json"
promtool check config "$work/prometheus.yml"

# Every alert must have a unit test.
for alert in $(sed -n 's/^ *- alert: *//p' "$prom/rules/alerts.yml"); do
  grep -q "alertname: $alert\$" "$prom/tests/alerts_test.yml" || { echo "FAIL: no unit test for $alert"; exit 1; }
done
(cd "$prom/tests" && promtool test rules alerts_test.yml)
echo ok
