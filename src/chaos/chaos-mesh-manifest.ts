// Chaos Mesh resources (chaos-mesh.org/v1alpha1) for a fault. Pure. The fields each kind fills are
// those the published CRDs require (chaos-mesh config/crd/bases; checked in
// test/chaos-mesh.test.ts against test/fixtures/chaos-mesh-crd-required.json).
import type { ChaosMeshSettings, FaultKind, FaultParams, PlannedFault } from './types.js';

export type ChaosMeshKind = 'NetworkChaos' | 'PodChaos' | 'StressChaos';

export interface ChaosManifest {
  apiVersion: 'chaos-mesh.org/v1alpha1';
  kind: ChaosMeshKind;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

type Body = { kind: ChaosMeshKind; spec: Record<string, unknown>; oneShot?: boolean } | null;

const delay = (p: FaultParams): Body => ({
  kind: 'NetworkChaos',
  spec: { action: 'delay', direction: p.direction ?? 'to', delay: { latency: `${p.latencyMs ?? 0}ms`, ...(p.jitterMs ? { jitter: `${p.jitterMs}ms` } : {}) } },
});

const BODIES: Record<FaultKind, (p: FaultParams) => Body> = {
  latency: delay,
  'network-delay': delay,
  // limit/buffer: required by the CRD; generous queues so the rate, not drops, shapes traffic.
  bandwidth: (p) => ({ kind: 'NetworkChaos', spec: { action: 'bandwidth', direction: 'to', bandwidth: { rate: `${p.rateKBps ?? 0}kbps`, limit: 20_971_520, buffer: 10_000 } } }),
  'network-loss': (p) => ({ kind: 'NetworkChaos', spec: { action: 'loss', direction: p.direction ?? 'to', loss: { loss: String(p.lossPercent ?? 0) } } }),
  'network-partition': (p) => ({ kind: 'NetworkChaos', spec: { action: 'partition', direction: p.direction ?? 'to' } }),
  down: () => ({ kind: 'PodChaos', spec: { action: 'pod-failure' } }),
  'pod-kill': () => ({ kind: 'PodChaos', spec: { action: 'pod-kill', gracePeriod: 0 }, oneShot: true }),
  'cpu-stress': (p) => ({ kind: 'StressChaos', spec: { stressors: { cpu: { workers: p.workers ?? 1, load: p.loadPercent ?? 100 } } } }),
  'memory-stress': (p) => ({ kind: 'StressChaos', spec: { stressors: { memory: { workers: p.workers ?? 1, size: p.size ?? '' } } } }),
  reset: () => null,
  timeout: () => null,
  scale: () => null,
};

export function canChaosMesh(kind: FaultKind): boolean {
  return BODIES[kind]({}) !== null;
}

/** DNS-1123 name, unique per run and fault, so a revert deletes exactly this run's resource. */
export function resourceName(runId: string, f: PlannedFault): string {
  return `loadctl-${runId}-${f.id}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}

export function chaosManifest(f: PlannedFault, s: ChaosMeshSettings, runId: string): ChaosManifest | null {
  const body = BODIES[f.kind](f.params);
  if (!body) return null;
  const spec: Record<string, unknown> = {
    mode: s.mode ?? 'all',
    ...(s.value !== undefined ? { value: s.value } : {}),
    selector: { namespaces: s.selector.namespaces ?? [s.namespace], labelSelectors: s.selector.labelSelectors },
    ...body.spec,
  };
  // Chaos Mesh ends the fault itself when this passes: a safety net should loadctl die mid-fault.
  if (!body.oneShot) spec.duration = `${Math.ceil((f.endMs - f.startMs) / 1000)}s`;
  return {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: body.kind,
    metadata: {
      name: resourceName(runId, f),
      namespace: s.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'loadctl', 'loadctl.dev/run': runId.toLowerCase().slice(0, 63), 'loadctl.dev/fault': f.id },
    },
    spec,
  };
}

/** kubectl's name for the resource: `networkchaos.chaos-mesh.org/<name>`. */
export function resourceRef(m: Pick<ChaosManifest, 'kind' | 'metadata'>): string {
  return `${m.kind.toLowerCase()}.chaos-mesh.org/${m.metadata.name}`;
}
