#!/usr/bin/env bash
# Installs every Debian package zhsenti needs to build, run and test.
# Idempotent and quick: apt-get runs only when a package is missing.
#   scripts/install-deps.sh          build + run + test dependencies
#   scripts/install-deps.sh --bench  also the peer systems used by bench/ (fastText, gensim, Flask, wrk)
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build make pkg-config
  # libraries
  libopenblas-dev libopencc-dev opencc libboost-dev nlohmann-json3-dev libcli11-dev
  libfmt-dev libspdlog-dev libcurl4-openssl-dev
  # data-parallel training (docs/distributed.md): Open MPI's library and headers, and mpirun
  # for the equivalence tests (tests/mpi) and bench/mpi_scaling.sh
  libopenmpi-dev openmpi-bin
  # tests: GoogleTest, benchmarks, libFuzzer (clang + compiler-rt), oracles (jieba, PyTorch)
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  python3 python3-jieba python3-torch python3-numpy
  # tests: headless browser for the HTML report screenshot, scikit-learn as the metrics oracle
  chromium python3-sklearn zlib1g-dev
  # tests: deploy/ checked by its consumers (promtool and a real Prometheus; kubectl below)
  prometheus
  # ONNX export: onnx's generated protobuf classes and checker (libonnx-dev) over protobuf;
  # tests: ONNX's Python checker as a second opinion on every exported file
  libonnx-dev libprotobuf-dev python3-onnx
  # the Python package (python/): pybind11 extension, its packaging (pip over setuptools, into
  # a venv) and its pytest suite (tests/python) with the optional pandas and tqdm support
  pybind11-dev python3-dev python3-setuptools python3-pip python3-venv python3-pytest
  python3-pandas python3-tqdm
  # tests: sanitizer runtimes of the dev (ASan+UBSan) and tsan presets, named rather than
  # left to arrive with g++
  libasan8 libubsan1 libtsan2
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-flask python3-gensim fasttext wrk hyperfine)
fi

# kubectl renders deploy/k8s offline (kustomize is built in). Machines of this project's kind
# come with one; elsewhere Debian's kubernetes-client provides it.
if ! command -v kubectl > /dev/null; then packages+=(kubernetes-client); fi

# Node.js runs exported ONNX models in ONNX Runtime (tests/onnx, examples/node). Debian's
# nodejs and npm unless the machine already has a Node.js with its own npm.
if ! command -v npm > /dev/null; then packages+=(nodejs npm); fi

# onnxruntime-node (its CPU library ships inside the package) for examples/node, from the
# lock file; --ignore-scripts: nothing is downloaded or built beyond the package itself.
install_onnxruntime_node() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/examples/node"
  if [[ ! -d "$dir/node_modules/onnxruntime-node" ]]; then
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
  fi
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  install_onnxruntime_node
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
install_onnxruntime_node
