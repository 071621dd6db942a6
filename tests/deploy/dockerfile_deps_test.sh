#!/usr/bin/env bash
# The runtime stage of deploy/Dockerfile installs exactly the Debian packages whose shared
# libraries the zhsenti binary links: each NEEDED library's path from ldd, its package from
# dpkg -S. Not listed: what debian:12-slim already has (BASE). Listed although not linked:
# EXTRA (curl for the HEALTHCHECK and the retraining job, ca-certificates for https).
# (The image build itself needs a registry and is documented in docs/deploy.md, not run here.)
#   usage: dockerfile_deps_test.sh ZHSENTI_BINARY
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
dockerfile=$here/../../deploy/Dockerfile
BASE=(libc6 libgcc-s1 libstdc++6)
EXTRA=(ca-certificates curl)

owner() {  # the package owning a library path (merged /usr: dpkg may know either spelling)
  local p
  for p in "$1" "$(readlink -f "$1")" "${1#/usr}" "/usr$1"; do
    if out=$(dpkg -S "$p" 2>/dev/null); then
      echo "${out%%:*}"
      return 0
    fi
  done
  echo "no Debian package owns $1" >&2
  return 1
}

mapfile -t needed < <(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
((${#needed[@]} > 0)) || { echo "FAIL: no NEEDED entries in $bin"; exit 1; }
expected=()
for lib in "${needed[@]}"; do
  # the dynamic loader itself is listed by its path, without "=>"
  path=$(ldd "$bin" | awk -v l="$lib" '$1 == l && $2 == "=>" {print $3} $1 ~ ("/" l "$") {print $1}')
  [[ -n "$path" && "$path" != "not" ]] || { echo "FAIL: ldd does not resolve $lib"; exit 1; }
  pkg=$(owner "$path")
  echo "$lib -> $path -> $pkg"
  skip=0
  for b in "${BASE[@]}"; do [[ "$pkg" == "$b" ]] && skip=1; done
  ((skip)) || expected+=("$pkg")
done
expected+=("${EXTRA[@]}")

# The package list of the runtime stage: the apt-get install of the stage named runtime.
listed=$(awk '/^FROM /{keep = ($0 ~ / AS runtime$/)} keep {stage = stage $0 "\n"} END {printf "%s", stage}' "$dockerfile" |
  tr -d '\\' | tr '\n' ' ' | sed -n 's/.*--no-install-recommends\(.*\)&& rm -rf.*/\1/p' | tr -s ' ' '\n' | sed '/^$/d' | sort -u)
want=$(printf '%s\n' "${expected[@]}" | sort -u)
if [[ "$listed" != "$want" ]]; then
  echo "FAIL: deploy/Dockerfile runtime packages differ from what the binary links"
  diff <(echo "$want") <(echo "$listed") | sed 's/^</  missing:/; s/^>/  not linked:/' | grep -v '^[0-9]'
  exit 1
fi
echo "ok: $(echo "$listed" | wc -l) runtime packages match ($(echo "$listed" | tr '\n' ' '))"
