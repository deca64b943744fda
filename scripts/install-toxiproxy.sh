#!/usr/bin/env bash
# Builds the pinned Toxiproxy server (the fault injector of `loadctl run … ` with a `chaos:` block)
# into .tools/bin/toxiproxy-server from the Go module proxy. Idempotent: when the binary there
# reports the pinned version it returns at once.
#
# `go install …@v2.12.0` of the exact version works through the proxy (its version list stops at
# v2.5.0, so `@latest` would not). The module's binary is named `server`; it is renamed here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/go-tool.sh"

VERSION="2.12.0"
TOOL=toxiproxy
MODULE="github.com/Shopify/toxiproxy/v2/cmd/server@v$VERSION"
BUILT=server
BIN="${LOADCTL_TOOLS_DIR:-$root/.tools}/bin/toxiproxy-server"
CHECK='"$BIN" -version'
PINNED="$VERSION"
LDFLAGS="-X github.com/Shopify/toxiproxy/v2.Version=$VERSION"
GO_HINT="Go >= 1.22, or get toxiproxy-server another way (brew install toxiproxy; a release archive from https://github.com/Shopify/toxiproxy/releases; the ghcr.io/shopify/toxiproxy image) and set LOADCTL_TOXIPROXY to it"
TAKES="about a minute"
go_tool_install
