#!/usr/bin/env bash
# Builds the pinned k6, with loadctl's output extension (k6/output), into .tools/bin/k6 from the Go
# module proxy. Idempotent: when the binary there was built from the current k6/ sources it returns
# at once (a stamp beside it holds their hash). `loadctl install-k6` runs this same script from the
# installed package with LOADCTL_TOOLS_DIR set to the per-user cache ($XDG_CACHE_HOME/loadctl).
#
# Why not `go install go.k6.io/k6/v2@v2.2.0`: that form also asks the proxy for the module's version
# list (to look for deprecations), which the proxy does not serve for go.k6.io/k6/v2, and then falls
# back to go.k6.io itself. Building the module in k6/ (go.mod pins k6, go.sum checks every hash)
# downloads only the exact versions — the same thing xk6 does for an extension.
set -euo pipefail

K6_VERSION="v2.2.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/k6"
bin_dir="${LOADCTL_TOOLS_DIR:-$root/.tools}/bin"
k6="$bin_dir/k6"
stamp="$bin_dir/k6.sources"

sources_hash() {
  (cd "$src" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) ! -name '*_test.go' -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}
want="$(sources_hash)"

if [ -x "$k6" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
  && "$k6" version 2>/dev/null | grep -q "^k6 $K6_VERSION "; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-k6: Go is needed to build k6 $K6_VERSION (k6 is not on npm). Install Go >= 1.25 and run again." >&2
  exit 3
fi

echo "install-k6: building k6 $K6_VERSION with loadctl's output into $bin_dir (takes 2-4 minutes the first time)..." >&2
mkdir -p "$bin_dir"
tmp="$(mktemp "$bin_dir/.k6.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
(cd "$src" && CGO_ENABLED=0 go build -mod=readonly -trimpath -o "$tmp" .)
mv -f "$tmp" "$k6"
echo "$want" >"$stamp"
"$k6" version >&2
