#!/usr/bin/env bash
# Builds the pinned Prometheus server (the remote-write receiver the k6 `experimental-prometheus-rw`
# output is tested against) into .tools/bin/prometheus from the Go module proxy. Idempotent: when the
# binary there reports the pinned version it returns at once.
#
# Prometheus 3.x publishes its Go module as v0.3xx.y (v0.316.0 is Prometheus 3.16.0); the pinned
# module version is what `go install` fetches. The web UI's assets are not embedded (that needs the
# `builtinassets` tag and a node build); the HTTP API and the remote-write receiver do not need them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/go-tool.sh"

VERSION="0.316.0"
TOOL=prometheus
MODULE="github.com/prometheus/prometheus/cmd/prometheus@v$VERSION"
BUILT=prometheus
BIN="${LOADCTL_TOOLS_DIR:-$root/.tools}/bin/prometheus"
CHECK='"$BIN" --version'
PINNED="version $VERSION "
LDFLAGS="-X github.com/prometheus/common/version.Version=$VERSION"
GO_HINT="Go >= 1.24"
TAKES="about 4 minutes"
go_tool_install
