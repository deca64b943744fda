#!/usr/bin/env bash
# Builds the pinned Prometheus server (the remote-write receiver the k6 `experimental-prometheus-rw`
# output is tested against) into .tools/bin/prometheus from the Go module proxy. Idempotent: when the
# binary there reports the pinned version it returns at once.
#
# Prometheus 3.x publishes its Go module as v0.3xx.y (v0.316.0 is Prometheus 3.16.0); the pinned
# module version is what `go install` fetches. The web UI's assets are not embedded (that needs the
# `builtinassets` tag and a node build); the HTTP API and the remote-write receiver do not need them.
set -euo pipefail

PROMETHEUS_MODULE_VERSION="0.316.0"
MODULE="github.com/prometheus/prometheus/cmd/prometheus@v$PROMETHEUS_MODULE_VERSION"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${LOADCTL_TOOLS_DIR:-$root/.tools}/bin"
bin="$bin_dir/prometheus"

if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "version $PROMETHEUS_MODULE_VERSION "; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-prometheus: Go is needed to build Prometheus (module v$PROMETHEUS_MODULE_VERSION). Install Go >= 1.24 and run again." >&2
  exit 3
fi

echo "install-prometheus: building Prometheus (module v$PROMETHEUS_MODULE_VERSION) into $bin_dir (about 4 minutes the first time)..." >&2
mkdir -p "$bin_dir"
tmp="$(mktemp -d "$bin_dir/.prometheus.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# -ldflags sets the version the binary reports (Prometheus' release build does the same through
# promu), so the check above can tell a pinned build from any other.
CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath \
  -ldflags "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_MODULE_VERSION" "$MODULE"
mv -f "$tmp/prometheus" "$bin"
"$bin" --version >&2
