#!/usr/bin/env bash
# Builds everything the test cluster runs, once, into <tools>/k8s (idempotent: a part already built at
# its pinned version is skipped, so a second call takes seconds). Sourced by k8s-test-cluster.sh.
#   Kubernetes v1.34.4 (apiserver, controller-manager, scheduler, kubelet, kube-proxy, kubectl) from
#     the Go module proxy through the wrapper module in scripts/k8s/build;
#   the CNI plugins and metrics-server from the Go module proxy;
#   etcd, containerd, runc, iptables, conntrack from Debian;
#   three images without a registry: pause and the target (our own Go programs) and the runner
#     (the stock k6 binary of scripts/install-k6.sh, nothing else).
set -euo pipefail

K8S_VERSION=v1.34.4
CNI_VERSION=v1.10.0
METRICS_SERVER_VERSION=v0.8.0
K8S_COMMANDS=(kubectl kube-scheduler kube-proxy kubelet kube-controller-manager kube-apiserver)
DEBIAN_PACKAGES=(etcd-server etcd-client containerd runc iptables conntrack openssl)

k8s_build() {
  local here tools bin
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  tools="$K8S_TOOLS"
  bin="$tools/bin"
  mkdir -p "$bin" "$tools/images"
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "k8s build: apt-get install ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
      { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; }
    # Debian starts its own containerd and etcd: the test cluster runs its own, with its own state.
    systemctl disable --now containerd etcd >/dev/null 2>&1 || true
    pkill -x containerd 2>/dev/null || true
    pkill -x etcd 2>/dev/null || true
  fi
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=34 -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
  for c in "${K8S_COMMANDS[@]}"; do
    if [ -x "$bin/$c" ] && [ "$(cat "$bin/.$c.version" 2>/dev/null)" = "$K8S_VERSION" ]; then continue; fi
    echo "k8s build: $c $K8S_VERSION (the first build of kube-apiserver takes ~5 min)" >&2
    (cd "$here/build" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin/$c.tmp" "k8s.io/kubernetes/cmd/$c")
    mv -f "$bin/$c.tmp" "$bin/$c"
    echo "$K8S_VERSION" > "$bin/.$c.version"
  done
  if [ "$(cat "$bin/.cni.version" 2>/dev/null)" != "$CNI_VERSION" ]; then
    echo "k8s build: CNI plugins $CNI_VERSION" >&2
    mkdir -p "$tools/cni"
    for p in main/bridge main/loopback ipam/host-local meta/portmap; do
      CGO_ENABLED=0 GOBIN="$tools/cni" go install -trimpath -ldflags "-s -w" "github.com/containernetworking/plugins/plugins/$p@$CNI_VERSION"
    done
    echo "$CNI_VERSION" > "$bin/.cni.version"
  fi
  if [ "$(cat "$bin/.metrics-server.version" 2>/dev/null)" != "$METRICS_SERVER_VERSION" ]; then
    echo "k8s build: metrics-server $METRICS_SERVER_VERSION" >&2
    CGO_ENABLED=0 GOBIN="$bin" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION"
    echo "$METRICS_SERVER_VERSION" > "$bin/.metrics-server.version"
  fi
  k8s_images "$here"
}

# docker-archive image: one layer (the rootfs folder), its config, and manifest.json.
image_tar() {
  local name="$1" rootfs="$2" out="$3" entry="$4"
  local work
  work="$(mktemp -d)"
  tar -C "$rootfs" --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00:00' --sort=name -cf "$work/layer.tar" .
  local diff
  diff="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Entrypoint":$entry,"Env":["PATH=/usr/local/bin:/usr/bin:/bin"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["$diff"]}}
JSON
  local cfg
  cfg="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$work/$cfg.json"
  echo "[{\"Config\":\"$cfg.json\",\"RepoTags\":[\"$name\"],\"Layers\":[\"layer.tar\"]}]" > "$work/manifest.json"
  tar -C "$work" -cf "$out.tmp" manifest.json "$cfg.json" layer.tar
  mv -f "$out.tmp" "$out"
  rm -rf "$work"
}

k8s_images() {
  local here="$1" img="$K8S_TOOLS/images" root
  root="$(cd "$here/../.." && pwd)"
  local stamp
  stamp="$(cat "$here"/pause/*.go "$here"/target/*.go "$here/build.sh" | sha256sum | cut -d' ' -f1)"
  [ "$(cat "$img/.stamp" 2>/dev/null)" = "$stamp" ] && [ -f "$img/k6.tar" ] && return 0
  echo "k8s build: images (pause, target, k6 runner)" >&2
  bash "$root/scripts/install-k6.sh"
  local k6="${LOADCTL_TOOLS_DIR:-$root/.tools}/bin/k6" fs
  fs="$(mktemp -d)"
  mkdir -p "$fs/pause" "$fs/target" "$fs/k6/usr/bin" "$fs/k6/tmp"
  chmod 1777 "$fs/k6/tmp"
  (cd "$here/pause" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$fs/pause/pause" .)
  (cd "$here/target" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$fs/target/target" .)
  cp "$k6" "$fs/k6/usr/bin/k6"
  image_tar "$PAUSE_IMAGE" "$fs/pause" "$img/pause.tar" '["/pause"]'
  image_tar "$TARGET_IMAGE" "$fs/target" "$img/target.tar" '["/target"]'
  image_tar "$RUNNER_IMAGE" "$fs/k6" "$img/k6.tar" '["k6"]'
  rm -rf "$fs"
  echo "$stamp" > "$img/.stamp"
}
