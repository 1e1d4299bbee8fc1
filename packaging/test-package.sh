#!/usr/bin/env bash
# Builds the Debian package in a release build folder, unpacks it into a scratch root and runs the
# installed binaries from there on the installed example model; checks the desktop files with the
# validators when they are installed. Usage: packaging/test-package.sh [BUILD_DIR] (default build/release).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$src/build/release}" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/quantscope-pkg.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
root=$scratch

cd "$build"
rm -f quantscope_*.deb
cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; exit 1; }
deb=$(ls quantscope_*.deb)
echo "test-package: $deb ($(du -k "$deb" | cut -f1) KiB)"
dpkg-deb -f "$deb" Package Version Architecture Maintainer Section Depends Recommends Installed-Size
root="$scratch/root"
out="$scratch/out"
mkdir -p "$root" "$out"
dpkg-deb -x "$deb" "$root"

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
for f in usr/bin/quantscope-cli \
         usr/share/applications/io.github.quantscope.Quantscope.desktop \
         usr/share/metainfo/io.github.quantscope.Quantscope.metainfo.xml \
         usr/share/mime/packages/quantscope.xml \
         usr/share/icons/hicolor/scalable/apps/quantscope.svg \
         usr/share/man/man1/quantscope.1.gz usr/share/man/man1/quantscope-cli.1.gz \
         usr/share/quantscope/examples/resnet8_cifar10_w4a4.onnx usr/share/quantscope/examples/README.md \
         usr/share/doc/quantscope/LICENSE usr/share/doc/quantscope/THIRD-PARTY-LICENSES.md; do
  [ -s "$root/$f" ] || fail "$f is missing from the package"
done
if command -v rsvg-convert >/dev/null; then
  for s in 48 128 256; do
    [ -s "$root/usr/share/icons/hicolor/${s}x${s}/apps/quantscope.png" ] || fail "${s}x${s} icon missing"
  done
fi

# The installed binaries link only system libraries, so they run from the scratch root as they are.
cli="$root/usr/bin/quantscope-cli"
example="$root/usr/share/quantscope/examples/resnet8_cifar10_w4a4.onnx"
"$cli" --version
for lib in Qt ONNX protobuf Graphviz; do
  "$cli" --version | grep -q "^$lib [0-9]" || fail "quantscope-cli --version does not list $lib"
done
"$cli" info "$example" >"$out/info.txt" || fail "quantscope-cli info failed on the installed example"
sed -n '2,3p' "$out/info.txt"
grep -q 'format qonnx' "$out/info.txt" || fail "info output does not name the format"
if [ -x "$root/usr/bin/quantscope" ]; then
  mkdir -m 700 "$scratch/runtime"
  QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$scratch/runtime" "$root/usr/bin/quantscope" --version >"$out/version.txt" ||
    fail "quantscope --version failed"
  cat "$out/version.txt"
  for lib in Qt ONNX protobuf Graphviz; do
    grep -q "^$lib [0-9]" "$out/version.txt" || fail "quantscope --version does not list $lib"
  done
else
  echo "test-package: no quantscope GUI binary in this package (GUI not built)"
fi

# Metadata validators, when present (appstream, desktop-file-utils); man pages must render cleanly.
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.quantscope.Quantscope.metainfo.xml"
fi
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/io.github.quantscope.Quantscope.desktop"
fi
if command -v man >/dev/null; then
  for page in quantscope quantscope-cli; do
    warnings=$(MANWIDTH=100 man --warnings -l "$root/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null || true)
    [ -z "$warnings" ] || fail "man page $page: $warnings"
  done
fi
echo "test-package: installed files:"
(cd "$root" && find . -type f -o -type l | sort | sed 's/^\.\//  \//')
echo "test-package: OK"
