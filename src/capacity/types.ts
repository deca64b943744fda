// The shapes a capacity-finding run and probes add to the RunResult (result.json): the per-step
// table, capacity and knee (judge/capacity.ts), autoscaler reactions (judge/scaling.ts), the
// probed series (probes/runner.ts). Types only.

/** What was measured over one step's judged window. */
export interface StepMeasure {
  seconds: number;
  requests: number;
  failed: number;
  dropped: number | null; // dropped iterations, null when not known per step
  iterations?: number; // completed iterations, when known (k6's counter per bucket, or a one-step run): the rate kept is read from them
  latency: { p50: number; p90: number | null; p95: number; p99: number } | null; // ms; null without requests
  approximate?: boolean; // latency from bucket percentiles, not merged histograms
  spanMs?: [number, number]; // the buckets measured, in series time: [first start, last end)
}

/** too-short: too little of the step could be judged (a short step, or one the run's end cut): no evidence either way. */
export type StepVerdict = 'sustained' | 'sla-broken' | 'rate-not-kept' | 'no-data' | 'too-short';

export interface StepRow extends StepMeasure {
  name: string;
  offered: number; // iterations/s
  achievedRps: number; // successful requests/s
  errorRate: number;
  verdict: StepVerdict;
  reason?: string;
}

export interface CapacityAnalysis {
  unit: 'iterations/s';
  steps: StepRow[];
  capacity: number | null; // highest sustained offered rate; null when no step was
  capacityRps: number | null; // successful requests/s achieved at that step
  atCeiling: boolean; // no step above the capacity ran out (the top was sustained, or those above were too short to judge): it is at least this
  knee: number | null; // highest offered rate before p95 climbs; null when it never does (or at once)
  resolution: number | null; // gap to the next rate tried above the capacity (the step size): its precision
  requestsPerIteration: number;
}

export interface ProbePoint {
  atMs: number; // epoch ms when the sample was taken
  value: number | null; // null: a gap
  error?: string; // why there is a gap
}

export interface ProbeSeries {
  name: string;
  type: 'command' | 'http-json' | 'prometheus' | 'promql' | 'kubernetes';
  intervalMs: number;
  points: ProbePoint[];
}

export interface Reaction {
  step: string;
  stepAtMs: number; // epoch ms
  replicasBefore: number | null; // last sample at or before the step (first after it if none)
  replicasAfter: number | null; // the first higher count seen
  risenAtMs: number | null; // sample time of that count; null when it did not rise during the step
  reactionMs: number | null;
  overloaded?: boolean; // the step was not sustained (capacity analysis), so scaling was needed
  effectiveAtMs?: number | null; // overloaded steps: the first bucket after the rise within the SLA again
  effectMs?: number | null; // from the step's start to then: when the added capacity took effect
}

/** RunResult.scaling: what a capacity-finding run found. */
export interface ScalingResult {
  analysis: CapacityAnalysis;
  reactions?: Reaction[]; // when a replica probe was configured (sla.scaling.probe)
}
