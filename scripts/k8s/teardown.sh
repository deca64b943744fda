# `down`: takes the test cluster away and leaves the host as `up` found it. Sourced by
# k8s-test-cluster.sh (uses S, BIN, BRIDGE, RANGES, SERVICE_CIDR, GUARD, HOST_DIRS, say, kc, alive).

stop_pid() { # name: SIGTERM, then SIGKILL after 10 s
  local f="$S/pids/$1" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# The pods' processes: everything in the kubepods cgroups kubelet made (cgroupfs driver).
kill_pods() {
  local procs
  for _ in 1 2 3; do
    procs="$(find /sys/fs/cgroup/*/kubepods* -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u || true)"
    [ -z "$procs" ] && break
    # shellcheck disable=SC2086
    kill -KILL $procs 2>/dev/null || true
    sleep 0.5
  done
  # The runc shims of our containerd (found by the socket address they were given).
  local shims
  shims="$(pgrep -f "containerd-shim-runc-v2 .*-address $S/containerd/containerd.sock" || true)"
  # shellcheck disable=SC2086
  [ -n "$shims" ] && kill -KILL $shims 2>/dev/null || true
  find /sys/fs/cgroup/*/kubepods* -depth -type d -exec rmdir {} \; 2>/dev/null || true
}

unmount_under() {
  local m
  for root in "$@"; do
    { awk '{print $5}' /proc/self/mountinfo | grep -E "^$root(/|$)" || true; } | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
  done
}

# KUBE-*, CNI-* and our guard: rules in the built-in chains that jump to them, then the chains.
drop_chains() {
  local cmd="$1" t chain rule
  for t in filter nat mangle raw; do
    $cmd -t "$t" -S >/dev/null 2>&1 || continue
    { $cmd -t "$t" -S | grep -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j (KUBE-|CNI-|LOADCTL-)' || true; } |
      while read -r rule; do
        # shellcheck disable=SC2086
        eval "$cmd -t $t ${rule/-A/-D}" 2>/dev/null || true
      done
    for chain in $($cmd -t "$t" -S | awk '/^-N (KUBE-|CNI-|LOADCTL-)/ {print $2}'); do $cmd -t "$t" -F "$chain" 2>/dev/null || true; done
    for chain in $($cmd -t "$t" -S | awk '/^-N (KUBE-|CNI-|LOADCTL-)/ {print $2}'); do $cmd -t "$t" -X "$chain" 2>/dev/null || true; done
  done
}

k8s_down() {
  [ -d "$S" ] || { say "nothing to take down"; return 0; }
  local t0=$SECONDS
  # Pods first, through the API while it answers, so CNI takes each pod's network down itself.
  if alive kube-apiserver && alive kubelet; then
    kc delete namespace "$NAMESPACE" --wait=false >/dev/null 2>&1 || true
    kc delete pods --all -A --grace-period=0 --force --wait=false >/dev/null 2>&1 || true
    for _ in $(seq 1 40); do ls /run/netns/cni-* >/dev/null 2>&1 || break; sleep 0.5; done
  fi
  for p in metrics-server kube-proxy kubelet; do stop_pid "$p"; done
  kill_pods
  stop_pid containerd
  for p in kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$p"; done
  unmount_under /var/lib/kubelet /run/containerd "$S" /run/netns
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do ip netns delete "$ns" 2>/dev/null || true; done
  rm -f /run/netns/cni-* 2>/dev/null || true
  ip link delete "$BRIDGE" 2>/dev/null || true
  for v in $(ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^veth' || true); do
    [ "$(cat "/sys/class/net/$v/master/ifindex" 2>/dev/null)" = "" ] && ip link delete "$v" 2>/dev/null || true
  done
  ip route del unreachable "$RANGES" 2>/dev/null || true
  ip route del "$SERVICE_CIDR" 2>/dev/null || true
  drop_chains iptables
  drop_chains ip6tables
  if [ -f "$S/sysctls-before" ]; then
    while IFS='=' read -r k v; do sysctl -qw "$k=$v" 2>/dev/null || true; done <"$S/sysctls-before"
  fi
  if [ -f "$S/dirs-made" ]; then
    while read -r d; do [ -n "$d" ] && rm -rf "$d"; done <"$S/dirs-made"
  fi
  rm -rf "$S"
  say "down in $((SECONDS - t0))s"
}
