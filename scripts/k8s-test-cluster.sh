#!/usr/bin/env bash
# A real single-node Kubernetes on this machine, for loadctl's cluster tests and examples:
#   scripts/k8s-test-cluster.sh build    build what it runs, once (~10 min cold, seconds after)
#   scripts/k8s-test-cluster.sh up       start it; prints KUBECONFIG=, LOADCTL_K8S_TARGET=, LOADCTL_K8S_NAMESPACE=
#                                        (so `eval "$(scripts/k8s-test-cluster.sh up)"` works)
#   scripts/k8s-test-cluster.sh down     stop it and leave the host as it was
#   scripts/k8s-test-cluster.sh status   exit 0 and the same lines when up, exit 1 when down
#
# What runs: etcd (Debian), kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and
# kube-proxy v1.34.4 (built from the Go module proxy, scripts/k8s/build), containerd and runc
# (Debian), the CNI bridge plugin, metrics-server v0.8.0 (on the host, behind the API server's
# aggregation layer). Every control-plane port listens on 127.0.0.1 or on the cluster's bridge.
# Runs as root (it creates a bridge, network namespaces and iptables rules).
#
# Staying on this machine: pods live on 198.18.0.0/24 behind the bridge lctl0 (the node's own
# address is 198.18.0.1, on that bridge), Services on 198.19.0.0/16 — ranges reserved for network
# testing, checked free before `up`. A guard chain in mangle POSTROUTING drops anything from or to
# 198.18.0.0/15 that would leave by another interface than lctl0 or lo, and an unreachable route
# catches the rest of the ranges. The Service range is routed to the bridge so the host's own
# connections to a ClusterIP get as far as kube-proxy's DNAT.
#
# `down` stops every process by the pid `up` recorded (the containerd shims and the pods'
# processes by their cgroup), unmounts and deletes what the cluster created (network namespaces,
# the bridge and veths, KUBE-*/CNI-*/LOADCTL-* chains, routes, kubelet's and containerd's
# directories that did not exist before) and restores every sysctl recorded before `up`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
K8S_TOOLS="${LOADCTL_TOOLS_DIR:-$ROOT/.tools}/k8s"
S="${LOADCTL_K8S_STATE:-$K8S_TOOLS/state}"
BIN="$K8S_TOOLS/bin"
PAUSE_IMAGE=loadctl.local/pause:1
TARGET_IMAGE=loadctl.local/target:1
RUNNER_IMAGE=loadctl.local/k6:1.1.0
NAMESPACE=loadctl-test
BRIDGE=lctl0
NODE_IP=198.18.0.1
POD_CIDR=198.18.0.0/24
SERVICE_CIDR=198.19.0.0/16
RANGES=198.18.0.0/15
APISERVER_PORT=16443
ETCD_PORT=12379
GUARD=LOADCTL-K8S-GUARD
# What kubelet, kube-proxy and the bridge change; recorded before `up`, restored by `down`.
SYSCTLS=(net.ipv4.ip_forward net.ipv4.conf.all.route_localnet kernel.panic kernel.panic_on_oops
  vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys kernel.keys.root_maxbytes
  net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_tcp_timeout_established
  net.netfilter.nf_conntrack_tcp_timeout_close_wait)
# Host paths kubelet, containerd and CNI write whatever they are told; removed by `down` if `up` made them.
HOST_DIRS=(/var/lib/kubelet /var/log/pods /var/log/containers /var/lib/cni /run/containerd /run/netns /etc/kubernetes)
export PATH="$BIN:$PATH" K8S_TOOLS PAUSE_IMAGE TARGET_IMAGE RUNNER_IMAGE

# shellcheck source=k8s/build.sh
source "$ROOT/scripts/k8s/build.sh"
# shellcheck source=k8s/certs.sh
source "$ROOT/scripts/k8s/certs.sh"
# shellcheck source=k8s/teardown.sh
source "$ROOT/scripts/k8s/teardown.sh"

say() { echo "k8s-test-cluster: $*" >&2; }
kc() { kubectl --kubeconfig "$S/admin.kubeconfig" "$@"; }

alive() { [ -f "$S/pids/$1" ] && kill -0 "$(cat "$S/pids/$1")" 2>/dev/null; }

start() { # name, then the command; its log goes to $S/logs/name.log
  local name="$1"
  shift
  alive "$name" && return 0
  setsid "$@" >>"$S/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$S/pids/$name"
}

wait_for() { # what, seconds, command...
  local what="$1" secs="$2"
  shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $end ]; then
      say "$what did not come up within ${secs}s; logs in $S/logs"
      return 1
    fi
    sleep 0.5
  done
}

print_env() {
  local ip
  ip="$(kc -n "$NAMESPACE" get service target -o jsonpath='{.spec.clusterIP}')"
  echo "KUBECONFIG=$S/admin.kubeconfig"
  echo "LOADCTL_K8S_TARGET=http://$ip:80"
  echo "LOADCTL_K8S_NAMESPACE=$NAMESPACE"
  say "kubectl is $BIN/kubectl (export PATH=\"$BIN:\$PATH\"); runner image $RUNNER_IMAGE"
}

is_up() {
  for p in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy metrics-server; do alive "$p" || return 1; done
  kc get --raw /readyz >/dev/null 2>&1
}

check_ranges_free() {
  local owner
  owner="$(ip -4 -o addr show | awk '{print $2, $4}' | grep -E ' 198\.1[89]\.' | grep -v "^$BRIDGE " || true)"
  owner+="$(ip -4 route show | grep -E '^198\.1[89]\.' | grep -v -E "dev $BRIDGE|^unreachable $RANGES" || true)"
  if [ -n "$owner" ]; then
    say "198.18.0.0/15 is already in use on this machine ($owner); refusing to start"
    exit 1
  fi
}

network_up() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$NODE_IP/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  ip route replace "$SERVICE_CIDR" dev "$BRIDGE"
  ip route replace unreachable "$RANGES"
  sysctl -qw net.ipv4.ip_forward=1
  if ! iptables -t mangle -S "$GUARD" >/dev/null 2>&1; then
    iptables -t mangle -N "$GUARD"
    iptables -t mangle -A "$GUARD" -o "$BRIDGE" -j RETURN
    iptables -t mangle -A "$GUARD" -o lo -j RETURN
    iptables -t mangle -A "$GUARD" -d "$RANGES" -j DROP
    iptables -t mangle -A "$GUARD" -s "$RANGES" -j DROP
    iptables -t mangle -I POSTROUTING 1 -j "$GUARD"
  fi
  mkdir -p "$S/cni/net.d" "$S/cni/ipam"
  cat >"$S/cni/net.d/10-loadctl.conflist" <<JSON
{"cniVersion":"1.0.0","name":"loadctl-test","plugins":[
 {"type":"bridge","bridge":"$BRIDGE","isGateway":true,"ipMasq":false,"hairpinMode":true,
  "ipam":{"type":"host-local","dataDir":"$S/cni/ipam","ranges":[[{"subnet":"$POD_CIDR","rangeStart":"198.18.0.10","gateway":"$NODE_IP"}]],"routes":[{"dst":"0.0.0.0/0"}]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
JSON
}

record_host() {
  [ -f "$S/host-before" ] && return 0
  : >"$S/sysctls-before"
  for k in "${SYSCTLS[@]}"; do
    v="$(sysctl -n "$k" 2>/dev/null)" && printf '%s=%s\n' "$k" "$v" >>"$S/sysctls-before"
  done
  : >"$S/dirs-made"
  for d in "${HOST_DIRS[@]}"; do [ -e "$d" ] || echo "$d" >>"$S/dirs-made"; done
  date -u +%FT%TZ >"$S/host-before"
}

up() {
  if [ -d "$S" ] && is_up; then print_env; return 0; fi
  local t0=$SECONDS
  k8s_build
  check_ranges_free
  mkdir -p "$S/logs" "$S/pids"
  record_host
  k8s_certs "$S" "$NODE_IP" "$APISERVER_PORT"
  network_up
  say "starting etcd, the control plane, containerd, kubelet and kube-proxy"
  start etcd etcd --name loadctl --data-dir "$S/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls http://127.0.0.1:12380 \
    --initial-advertise-peer-urls http://127.0.0.1:12380 --initial-cluster loadctl=http://127.0.0.1:12380
  start kube-apiserver kube-apiserver --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --secure-port "$APISERVER_PORT" --advertise-address "$NODE_IP" \
    --service-cluster-ip-range "$SERVICE_CIDR" --authorization-mode RBAC --allow-privileged=true \
    --client-ca-file "$S/pki/ca.crt" --tls-cert-file "$S/pki/apiserver.crt" --tls-private-key-file "$S/pki/apiserver.key" \
    --kubelet-client-certificate "$S/pki/admin.crt" --kubelet-client-key "$S/pki/admin.key" \
    --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$S/pki/sa.pub" \
    --service-account-signing-key-file "$S/pki/sa.key" \
    --requestheader-client-ca-file "$S/pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$S/pki/front-proxy-client.crt" --proxy-client-key-file "$S/pki/front-proxy-client.key" \
    --enable-aggregator-routing=true --profiling=false
  wait_for "the API server" 90 kc get --raw /readyz
  # HPA settings a test can afford: look every 5 s (default 15 s), scale down after 30 s of calm
  # (default 5 min); metrics-server scrapes every 10 s, its shortest.
  start kube-controller-manager kube-controller-manager --kubeconfig "$S/admin.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials=false \
    --service-account-private-key-file "$S/pki/sa.key" --root-ca-file "$S/pki/ca.crt" \
    --cluster-signing-cert-file "$S/pki/ca.crt" --cluster-signing-key-file "$S/pki/ca.key" \
    --horizontal-pod-autoscaler-sync-period 5s --horizontal-pod-autoscaler-downscale-stabilization 30s \
    --controllers '*,-nodeipam,-service-lb-controller,-cloud-node-lifecycle' --profiling=false
  start kube-scheduler kube-scheduler --kubeconfig "$S/admin.kubeconfig" --bind-address 127.0.0.1 --leader-elect=false
  containerd_config
  start containerd containerd --config "$S/containerd/config.toml"
  wait_for containerd 30 ctr --address "$S/containerd/containerd.sock" version
  for i in pause target k6; do ctr --address "$S/containerd/containerd.sock" -n k8s.io images import --no-unpack=false "$K8S_TOOLS/images/$i.tar" >/dev/null; done
  kubelet_config
  start kubelet kubelet --config "$S/kubelet.yaml" --kubeconfig "$S/admin.kubeconfig" --node-ip "$NODE_IP" \
    --hostname-override loadctl-node --v 1
  start kube-proxy kube-proxy --kubeconfig "$S/admin.kubeconfig" --proxy-mode iptables --cluster-cidr "$POD_CIDR" \
    --hostname-override loadctl-node --bind-address "$NODE_IP" --metrics-bind-address 127.0.0.1:10249 \
    --healthz-bind-address 127.0.0.1:10256 --conntrack-max-per-core 0 --conntrack-tcp-timeout-established 0 \
    --conntrack-tcp-timeout-close-wait 0
  wait_for "the node" 120 node_ready
  start metrics-server metrics-server --kubeconfig "$S/admin.kubeconfig" --authentication-kubeconfig "$S/admin.kubeconfig" \
    --authorization-kubeconfig "$S/admin.kubeconfig" --secure-port 10443 --bind-address "$NODE_IP" --cert-dir "$S/metrics-server" \
    --kubelet-insecure-tls --kubelet-preferred-address-types InternalIP --metric-resolution 10s --kubelet-request-timeout 5s
  kc apply -f "$ROOT/scripts/k8s/manifests/metrics-server.yaml" >/dev/null
  kc apply -f "$ROOT/scripts/k8s/manifests/target.yaml" >/dev/null
  wait_for "the target" 120 target_answers
  wait_for metrics-server 90 kc get --raw /apis/metrics.k8s.io/v1beta1/nodes
  say "up in $((SECONDS - t0))s"
  print_env
}

node_ready() { kc get node loadctl-node -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -q True; }
target_answers() {
  local ip
  ip="$(kc -n "$NAMESPACE" get service target -o jsonpath='{.spec.clusterIP}')" && curl -fsS -m 2 "http://$ip/" >/dev/null
}

containerd_config() {
  mkdir -p "$S/containerd"
  cat >"$S/containerd/config.toml" <<TOML
version = 2
root = "$S/containerd/root"
state = "/run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.opt", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$S/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Root here lacks CAP_SYS_RESOURCE: runc may not lower a container's oom_score_adj.
  restrict_oom_score_adj = true
  enable_cdi = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$K8S_TOOLS/cni"
    conf_dir = "$S/cni/net.d"
TOML
}

kubelet_config() {
  cat >"$S/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: $S/pki/ca.crt } }
authorization: { mode: Webhook }
containerRuntimeEndpoint: unix://$S/containerd/containerd.sock
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
podCIDR: $POD_CIDR
resolvConf: /etc/resolv.conf
serializeImagePulls: false
# A runner writes ~4 KB of k6 samples per request to its log: rotation must not outrun the reader.
containerLogMaxSize: 1Gi
evictionHard: { memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1% }
imageGCHighThresholdPercent: 100
YAML
}

status() {
  if [ -d "$S/pids" ] && is_up; then
    print_env
    kc get nodes >&2
    return 0
  fi
  say "down"
  return 1
}

case "${1:-}" in
  build) k8s_build ;;
  up) up ;;
  down) k8s_down ;;
  status) status ;;
  *) echo "usage: $0 build|up|down|status" >&2; exit 2 ;;
esac
