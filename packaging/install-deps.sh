#!/usr/bin/env bash
# Installs every build, test and run-time dependency of Quantscope from Debian 12 packages, plus the
# pinned onnxruntime-node test reference (tests/ort) from npm.
# Idempotent: packages that are already installed are skipped by apt. Run as root (or via sudo).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git zlib1g-dev
  # core: ONNX protobuf classes, checker and shape inference; protobuf; Graphviz cgraph + gvc
  libonnx-dev libprotobuf-dev protobuf-compiler libgraphviz-dev graphviz
  # core: GEMM for Conv/MatMul/Gemm (Eigen), JSON output (nlohmann-json)
  libeigen3-dev nlohmann-json3-dev
  # CLI: subcommands and options (CLI11)
  libcli11-dev
  # GUI: Qt 6 widgets + svg, QCustomPlot for the plots
  qt6-base-dev qt6-svg-dev libqt6svg6 libgl-dev libqcustomplot-dev libqcustomplot2.1-qt6
  # tests
  googletest libgtest-dev libgmock-dev
  # headless GUI runs and screenshots
  xvfb xauth
  # hardening: libFuzzer targets and sanitizer runtimes (clang), the ASan/UBSan build uses gcc's
  clang libclang-rt-14-dev
  # packaging: .deb (dpkg-shlibdeps), PNG icons, metadata validators, man page check
  dpkg-dev file librsvg2-bin appstream desktop-file-utils man-db
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# node is only needed for the onnxruntime reference (tests/ort); an existing node on PATH is kept.
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# onnxruntime-node, pinned by tests/ort/package-lock.json: the reference the parity test compares against.
# ONNXRUNTIME_NODE_INSTALL=skip: the CPU build is bundled; the default postinstall would fetch CUDA libraries.
ort_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/ort"
if [ ! -d "$ort_dir/node_modules/onnxruntime-node" ]; then
  echo "install-deps: npm ci in $ort_dir"
  (cd "$ort_dir" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund)
fi
