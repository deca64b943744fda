#!/usr/bin/env bash
# Builds the pinned Toxiproxy server (the fault injector of `loadctl run … ` with a `chaos:` block)
# into .tools/bin/toxiproxy-server from the Go module proxy. Idempotent: when the binary there
# reports the pinned version it returns at once.
#
# `go install …@v2.12.0` of the exact version works through the proxy (its version list stops at
# v2.5.0, so `@latest` would not). The module's binary is named `server`; it is renamed here.
set -euo pipefail

TOXIPROXY_VERSION="2.12.0"
MODULE="github.com/Shopify/toxiproxy/v2/cmd/server@v$TOXIPROXY_VERSION"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${LOADCTL_TOOLS_DIR:-$root/.tools}/bin"
bin="$bin_dir/toxiproxy-server"

if [ -x "$bin" ] && "$bin" -version 2>/dev/null | grep -q "$TOXIPROXY_VERSION"; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-toxiproxy: Go is needed to build Toxiproxy $TOXIPROXY_VERSION. Install Go >= 1.22 and run again." >&2
  exit 3
fi

echo "install-toxiproxy: building Toxiproxy $TOXIPROXY_VERSION into $bin_dir (about a minute the first time)..." >&2
mkdir -p "$bin_dir"
tmp="$(mktemp -d "$bin_dir/.toxiproxy.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# -ldflags sets the version the binary reports (the module's release build does the same), so the
# check above can tell a pinned build from any other.
CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath \
  -ldflags "-s -w -X github.com/Shopify/toxiproxy/v2.Version=$TOXIPROXY_VERSION" "$MODULE"
mv -f "$tmp/server" "$bin"
"$bin" -version >&2
