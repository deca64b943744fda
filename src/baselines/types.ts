// A baseline: several accepted runs of one profile + scenario, so the judge can see the run-to-run
// noise, not just one number. Stored as baselines/<profile>/<scenario>.json, reviewed like code.
// The JSON Schema in baselines/schema.ts mirrors these types.
import type { RunStatus } from '../results/types.js';

/** The run-level numbers the regression judge compares (latencies in ms). */
export interface MetricValues {
  p50: number;
  p95: number;
  p99: number;
  errorRate: number; // 0..1
  rps: number;
  requests: number;
}

export interface RunValues {
  overall: MetricValues;
  byName: Record<string, MetricValues>;
  capacity?: number; // highest sustainable rate, when the scenario measured one (req/s)
  capacityResolution?: number; // the step between rates tried there: capacity is known to within it
  /** The run's own uncertainty of its overall numbers (batch means over its time buckets). */
  within?: WithinRun;
  /** Custom k6 metrics and checks (baselines/k6-values.ts): "<metric>:<p50|p95|p99|rate|n>" → value. */
  k6?: Record<string, number>;
  /** Which custom trends hold times (ms), so a comparison shows them in ms. */
  k6Time?: string[];
}

/** What must match for two runs to be comparable at all. */
export interface Fingerprint {
  planHash: string;
  k6Version: string;
  machine: string;
}

export interface BaselineRun {
  runId: string;
  startedAt: string; // ISO 8601
  status: RunStatus;
  fingerprint: Fingerprint;
  values: RunValues;
  /** HDR histograms (compressed base64, µs), kept so pools can be re-analysed or merged later. */
  histograms: { overall: string; byName: Record<string, string> };
}

export type HistoryAction = 'add' | 'remove' | 'force-add';

export interface HistoryEntry {
  at: string; // ISO 8601
  action: HistoryAction;
  runId: string;
  note?: string;
}

export const BASELINE_SCHEMA_VERSION = 1;
export const DEFAULT_POOL_SIZE = 10;

export interface BaselineFile {
  schemaVersion: 1;
  profile: string;
  scenario: string;
  poolSize: number;
  runs: BaselineRun[]; // oldest first
  history: HistoryEntry[]; // oldest first
}

/**
 * The format an earlier loadctl wrote: one accepted run, no pool, no history. schemaVersion may be
 * 0 or absent. Read and migrated to v1 in memory; the next write stores v1.
 */
export interface LegacyBaselineV0 {
  schemaVersion?: 0;
  profile?: string;
  scenario?: string;
  run: BaselineRun;
}

// How precisely one run measured itself (judge/baseline/within-run.ts computes it).
/** A standard error and the degrees of freedom it was estimated on. */
export interface Spread {
  se: number;
  df: number;
}

export type WithinKey = 'p50' | 'p95' | 'p99' | 'errorRate' | 'rps';

export interface WithinRun {
  batches: number;
  p50?: Spread;
  p95?: Spread;
  p99?: Spread;
  errorRate?: Spread;
  rps?: Spread;
}
