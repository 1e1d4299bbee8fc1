#!/usr/bin/env bash
# Installs every build, test and run-time dependency of Quantscope from Debian 12 packages.
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
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
