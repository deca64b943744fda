#!/usr/bin/env bash
# The seeds' Kubernetes validation end to end: load that makes the target's HorizontalPodAutoscaler
# scale it (the scaling scenario's staircase), one target pod killed mid-run (a kubernetes fault),
# and the verdict with the autoscaler's reaction time and the recovery times. Exits as loadctl
# does (0 pass, 1 an SLA breach); its last line is the path of the run's result.json.
#
#   eval "$(scripts/k8s-test-cluster.sh up)"     # or point KUBECONFIG and the variables at your cluster
#   examples/k8s/autoscale-and-kill.sh
#
# Reads LOADCTL_K8S_TARGET (a URL the load reaches the service at) and LOADCTL_K8S_NAMESPACE; the
# profile (autoscale.yaml beside this script) names the Deployment, the label and the limits.
# EXECUTOR=k8s sends the load from runner pods instead of from this machine.
set -euo pipefail
: "${LOADCTL_K8S_TARGET:?set LOADCTL_K8S_TARGET to the URL of the service (scripts/k8s-test-cluster.sh up prints it)}"
: "${LOADCTL_K8S_NAMESPACE:?set LOADCTL_K8S_NAMESPACE to the namespace of its Deployment}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
loadctl=(node "$here/../../bin/loadctl.js")
out="${OUT:-reports/autoscale-and-kill-$(date -u +%Y%m%dT%H%M%SZ)}"
extra=()
[ "${EXECUTOR:-local}" = k8s ] && extra=(--executor k8s --parallelism "${PARALLELISM:-2}")

# Start from the autoscaler's minimum, so the run sees it scale out (an earlier run may have left more).
deployment="${DEPLOYMENT:-target}"
min="$(kubectl -n "$LOADCTL_K8S_NAMESPACE" get hpa "$deployment" -o jsonpath='{.spec.minReplicas}' 2>/dev/null || echo 1)"
for _ in $(seq 1 120); do
  now="$(kubectl -n "$LOADCTL_K8S_NAMESPACE" get deployment "$deployment" -o jsonpath='{.status.readyReplicas}/{.spec.replicas}')"
  [ "$now" = "$min/$min" ] && break
  [ "${waited:-}" ] || { echo "autoscale-and-kill: waiting for deployment/$deployment to settle at $min replica(s) (now ${now#*/})" >&2; waited=1; }
  sleep 2
done

code=0
"${loadctl[@]}" run scaling -t "$here/autoscale.yaml" --out "$out" "${extra[@]}" || code=$?
result="$out/result.json"
[ -f "$result" ] || { echo "autoscale-and-kill: no result (loadctl exited $code)" >&2; exit "$code"; }
node - "$result" <<'JS'
const r = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const s = (ms) => (ms == null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
const probe = r.probes?.find((p) => p.name === 'replicas');
const seen = probe ? probe.points.filter((p) => p.value !== null).map((p) => p.value) : [];
console.log(`verdict: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
console.log(`replicas: ${seen.length ? `${Math.min(...seen)} → ${Math.max(...seen)}` : 'not probed'}`);
for (const x of r.scaling?.reactions ?? []) if (x.reactionMs !== null) console.log(`autoscaler reaction: ${s(x.reactionMs)} after step ${x.step} (${x.replicasBefore} → ${x.replicasAfter} replicas)`);
for (const f of r.faults ?? []) {
  console.log(`${f.id}: killed ${(f.pods ?? []).join(', ') || '—'}; replacement Ready after ${s(f.podsReadyAgainMs)}; service recovered ${f.recovery.status === 'recovered' ? `after ${s(f.recovery.timeToRecoverMs)}` : f.recovery.status}`);
}
for (const c of r.checks.filter((c) => c.status === 'fail')) console.log(`failed: ${c.name}: ${c.measured ?? 'n/a'} (limit ${c.limit})`);
JS
echo "$result"
exit "$code"
