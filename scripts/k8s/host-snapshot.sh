#!/usr/bin/env bash
# What the test cluster could leave behind on the host, as a sorted listing a test compares before
# `up` and after `down`: its processes, mounts, network namespaces, links, iptables chains and
# rule counts, routes, the sysctls kubelet, kube-proxy and the bridge change, kubepods cgroups and
# the host directories kubelet and containerd write.
set -uo pipefail
echo "# processes"
ps -eo comm= | grep -E '^(etcd|kube-|kubelet|containerd|runc|metrics-server|pause|target)' | sort | uniq -c
echo "# mounts"
awk '{print $5}' /proc/self/mountinfo | grep -E '^/(var/lib/kubelet|run/containerd|run/netns|var/lib/cni)|k8s/state' | sort
echo "# netns"
ls /run/netns 2>/dev/null | sort
echo "# links"
ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort
echo "# iptables"
for cmd in iptables ip6tables; do
  for t in filter nat mangle raw; do
    $cmd -t "$t" -S 2>/dev/null | awk -v c="$cmd" -v t="$t" '/^-N/ {print c, t, "chain", $2} /^-A/ {n[$2]++} END {for (k in n) print c, t, "rules", k, n[k]}'
  done
done | sort
echo "# routes"
ip -4 route show table all 2>/dev/null | grep -v -E '^(local|broadcast) ' | sort
echo "# sysctls"
for k in net.ipv4.ip_forward net.ipv4.conf.all.route_localnet kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_tcp_timeout_established net.netfilter.nf_conntrack_tcp_timeout_close_wait; do
  echo "$k=$(sysctl -n "$k" 2>/dev/null || echo absent)"
done
echo "# cgroups"
find /sys/fs/cgroup -maxdepth 2 -name 'kubepods*' 2>/dev/null | sort
echo "# dirs"
for d in /var/lib/kubelet /var/log/pods /var/log/containers /var/lib/cni /run/containerd /run/netns /etc/kubernetes; do if [ -e "$d" ]; then echo "$d"; fi; done
