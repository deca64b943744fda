#!/usr/bin/env bash
# Builds the pinned k6 into .tools/bin/k6 from the Go module proxy. Idempotent: when the binary is
# already there at the pinned version it returns at once.
#
# Why not `go install go.k6.io/k6/v2@v2.2.0`: that form also asks the proxy for the module's version
# list (to look for deprecations), which the proxy does not serve for go.k6.io/k6/v2, and then falls
# back to go.k6.io itself. Building from a tiny pinned module (scripts/k6-build, with its go.sum)
# downloads only the exact versions and checks their hashes.
set -euo pipefail

K6_VERSION="v2.2.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${LOADCTL_TOOLS_DIR:-$root/.tools}/bin"
k6="$bin_dir/k6"

if [ -x "$k6" ] && "$k6" version 2>/dev/null | grep -q "^k6 $K6_VERSION "; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-k6: Go is needed to build k6 $K6_VERSION (k6 is not on npm). Install Go >= 1.25 and run again." >&2
  exit 3
fi

echo "install-k6: building k6 $K6_VERSION into $bin_dir (first time only, takes 2-4 minutes)..." >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/scripts/k6-build/go.mod" "$root/scripts/k6-build/go.sum" "$root/scripts/k6-build/tools.go" "$work/"
mkdir -p "$bin_dir"
(cd "$work" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$work/k6" go.k6.io/k6/v2)
mv -f "$work/k6" "$k6"
"$k6" version >&2
