// The fault model: what a fault is, where it sits on the run's clock, and what a run records about
// it. Pure types, shared by the plan, the providers, the timeline task, the judge and the reports.

/** Client-side kinds (Toxiproxy, in front of the target) and Kubernetes kinds (Chaos Mesh). */
export const FAULT_KINDS = [
  'latency', // added latency on responses, with optional jitter
  'bandwidth', // responses throttled to rateKBps
  'reset', // connections reset by peer (TCP RST)
  'timeout', // data stops; connections closed after timeoutMs, or held open (blackhole) with 0
  'down', // the target refuses connections
  'pod-kill',
  'network-delay',
  'network-loss',
  'network-partition',
  'cpu-stress',
  'memory-stress',
  'scale', // a Deployment scaled to `replicas` and back
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const PROVIDER_NAMES = ['toxiproxy', 'chaos-mesh', 'command', 'kubernetes'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Parameters, normalised (durations in ms). Which ones a kind reads: see chaos/kinds.ts. */
export interface FaultParams {
  latencyMs?: number;
  jitterMs?: number;
  rateKBps?: number;
  timeoutMs?: number;
  lossPercent?: number;
  workers?: number;
  loadPercent?: number;
  size?: string; // memory per worker, e.g. "256MB"
  direction?: 'to' | 'from' | 'both';
  replicas?: number; // scale
}

/** One fault on the run's clock: offsets in ms from the moment k6 was started. */
export interface PlannedFault {
  id: string; // "f1-latency": unique in the run; names the toxic / the Chaos Mesh resource
  kind: FaultKind;
  params: FaultParams;
  at: string; // as written: "60s", "fault", "fault+10s"
  startMs: number;
  endMs: number;
  source: string; // where it was written: "profiles/x.yaml: /chaos/faults/0" or "--fault …"
}

export interface ToxiproxySettings {
  url?: string; // an existing Toxiproxy API; without it loadctl starts its own on loopback
  proxy?: string; // the proxy (on that Toxiproxy) that carries the target's traffic
}

export interface ChaosMeshSettings {
  context?: string; // kubectl context; default: kubectl's current one
  namespace: string; // where the chaos resources are created
  selector: { namespaces?: string[]; labelSelectors: Record<string, string> };
  mode?: 'one' | 'all' | 'fixed' | 'fixed-percent' | 'random-max-percent'; // default all
  value?: string; // with fixed / fixed-percent / random-max-percent
  injectTimeoutMs?: number; // how long to wait for AllInjected, default 60000
}

/** Faults through the cluster's own API (kubectl): no Chaos Mesh needed. */
export interface KubernetesSettings {
  context?: string; // kubectl context; default: kubectl's current one
  namespace: string; // of the pods and the Deployment
  /** pod-kill: the pods one is picked from (label selector, e.g. { app: api }). */
  selector?: { labelSelectors: Record<string, string> };
  /** scale: the Deployment scaled (its name). */
  deployment?: string;
  mode?: 'one' | 'all'; // pod-kill: one pod (default) or every selected pod
}

export interface CommandSettings {
  inject: string; // shell commands; the fault arrives as LOADCTL_FAULT_* environment variables
  revert: string;
  status?: string; // exit 0 = the fault is active
  timeoutMs?: number; // per command, default 30000
}

/** The chaos part of a Plan: serialisable, free of secrets. */
export interface ChaosPlan {
  provider: ProviderName;
  faults: PlannedFault[];
  toxiproxy?: ToxiproxySettings;
  chaosMesh?: ChaosMeshSettings;
  command?: CommandSettings;
  kubernetes?: KubernetesSettings;
}

/** What happened to one fault in a run (RunResult.faults). Times are epoch ms. */
export interface FaultRecord {
  id: string;
  kind: FaultKind;
  params: FaultParams;
  provider: ProviderName;
  plannedStartMs: number; // offsets from k6 start, as planned
  plannedEndMs: number;
  injectedAt: number | null; // epoch ms once the provider confirmed the fault; null if never
  revertedAt: number | null; // epoch ms once the provider confirmed the revert; null if never
  status: FaultStatus;
  /** schedule: reverted at its planned end · stop: cut short because the run ended first. */
  endedBy?: 'schedule' | 'stop';
  error?: string;
  pods?: string[]; // pod-kill: the pods deleted
  podsReadyAgainMs?: number | null; // pod-kill: from the kill until the selection was Ready again
}

/**
 * reverted: injected and reverted · skipped: the run ended before its start · inject-failed: the
 * provider refused (reverted anyway, in case half of it landed) · revert-failed: still active
 * after the run; the journal keeps it for `loadctl chaos revert`.
 */
export type FaultStatus = 'reverted' | 'skipped' | 'inject-failed' | 'revert-failed';

// What the judge makes of a fault (judge/chaos.ts): RunResult.faults holds one per planned fault.
export interface WindowStats {
  buckets: number;
  requests: number;
  failed: number;
  errorRate: number;
  rps: number; // mean over the buckets
  p95: number | null; // median of the buckets' p95
  p95Peak: number | null; // highest bucket p95
}

export interface FaultAnalysis extends FaultRecord {
  /** Offsets (ms) on the series clock; null when the fault was never injected. */
  window: { startMs: number; endMs: number } | null;
  baseline: WindowStats | null; // steady buckets just before the fault
  during: WindowStats | null;
  /** The limits a bucket must meet to count as healthy (SLA or pre-fault band, the looser). */
  healthy: { p95: number | null; errorRate: number | null };
  timeToImpactMs: number | null; // null: no bucket left the healthy band
  recovery: { status: 'recovered' | 'not-recovered' | 'unknown'; timeToRecoverMs: number | null; recoveredAtMs: number | null; reason?: string };
  /** Failures beyond the baseline's rate, from inject until recovery (or the end of the series). */
  errorBudget: { failed: number; excessFailed: number; budget: number | null; spent: number | null };
}
