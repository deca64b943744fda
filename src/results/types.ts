import type { Unit } from '../util/format.js';
import type { FaultAnalysis } from '../chaos/types.js';
import type { K6Metrics } from './k6-metric-types.js';
import type { BaselinePolicy } from '../config/types.js';
import type { ProbeSeries, ScalingResult } from '../capacity/types.js';

// RunResult: the normalised record of one run. Everything downstream (judge, reports, baselines)
// reads this, never raw k6 output. Versioned; its JSON Schema is schemas/result.schema.json.

export type RunStatus = 'pass' | 'fail' | 'inconclusive' | 'error' | 'interrupted';
export type CheckStatus = 'pass' | 'fail' | 'inconclusive';

export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface HttpStats {
  requests: number;
  failed: number; // http_req_failed = 1
  rps: number; // requests / active seconds
  errorRate: number; // failed / requests (0 when no requests)
  latencyMs: LatencySummary; // http_req_duration
}

export interface HttpMetrics extends HttpStats {
  byName: Record<string, HttpStats>; // by k6 `name` tag (the request name)
}

export interface Metrics {
  http: HttpMetrics;
  iterations: number;
  droppedIterations: number;
  checks: { passes: number; fails: number };
  vusMax: number;
  dataSentBytes: number;
  dataReceivedBytes: number;
  k6?: K6Metrics; // every k6 metric (built-in and custom) per series of tracked tags; absent in older results
}

/** What the judge decided about a run: its status, why (one line), and every check. */
export interface Verdict {
  status: RunStatus;
  reason?: string;
  checks: Check[];
}

export interface Check {
  name: string; // e.g. "p95 latency (overall)"
  kind: 'sla' | 'baseline' | 'safety' | 'chaos' | 'drift';
  scope: string; // "overall" or a request name
  metric: string; // p50 | p90 | p95 | p99 | max | errorRate | rps
  status: CheckStatus;
  limit: string; // human form, e.g. "<= 200 ms"
  limitValue: number;
  measured: number | null;
  unit: Unit;
  reason?: string;
  baseline?: BaselineComparison; // kind 'baseline' only
  drift?: DriftTrend; // kind 'drift' only
}

/**
 * The trend behind a drift check, and the fitted line for charts: from (startMs, from) to
 * (endMs, to), times in ms from the first sample like SeriesPoint.tMs, values in the metric's unit.
 */
export interface DriftTrend {
  startMs: number;
  endMs: number;
  from: number;
  to: number;
  slopePerMin: number; // fitted change per minute, in the metric's unit
  points: number; // points tested (time buckets, in blocks of several for long runs)
  pValue: number; // two-sided Mann–Kendall, corrected for ties and autocorrelation
  varianceFactor: number; // n/n* applied to Var(S) for autocorrelation (1 = none found)
  direction: 'rising' | 'falling' | 'flat'; // flat: not significant at alpha
  method: string;
}

/** How a candidate compares with the baseline pool, for one metric. */
export interface BaselineComparison {
  runs: number; // runs in the pool
  candidates: number; // candidate runs judged
  median: number; // pool median
  spread: [number, number]; // pool min..max (or the band the judge used)
  candidate: number; // candidate value (median of candidate runs)
  changePct: number; // (candidate / median - 1) * 100, signed
  tolerancePct: number;
  pValue: number | null; // one-sided, null when it could not be computed
  confidence: number | null; // 1 - pValue
  direction: 'regressed' | 'improved' | 'unchanged';
  method: string; // e.g. "t prediction interval on log values"
}

export interface Phase {
  name: string;
  startMs: number; // from test start
  endMs: number;
}

export interface RunMeta {
  loadctlVersion: string;
  k6Version: string;
  node: string;
  planHash: string;
  gitSha?: string;
  host?: string;
}

/**
 * How k6 hands loadctl its samples: `loadctl` is loadctl's own k6 output (k6/output), aggregated in
 * k6 and written once a second; `csv` and `json` are k6's built-in per-sample outputs, used with a
 * k6 built without it.
 */
export const SAMPLE_FORMATS = ['loadctl', 'csv', 'json'] as const;
export type SampleFormat = (typeof SAMPLE_FORMATS)[number];

export interface SampleCounts {
  parsed: number; // k6 samples read (with `loadctl`: folded into the records read)
  malformed: number; // lines that could not be read
  format?: SampleFormat;
}

export interface RunResult {
  schemaVersion: 1;
  runId: string;
  status: RunStatus;
  reason?: string; // why, in one line, when not pass
  scenario: string;
  target: string;
  baseUrl: string;
  startedAt: string; // ISO 8601
  durationMs: number;
  meta: RunMeta;
  phases: Phase[];
  checks: Check[];
  metrics: Metrics;
  samples: SampleCounts;
  k6: { exitCode: number | null; signal?: string };
  bucketMs: number;
  series: SeriesPoint[]; // one point per time bucket, tMs from the first sample
  histograms: EncodedHistograms; // whole run, per request name, per bucket
  baselinePolicy?: BaselinePolicy; // how the baseline checks were judged (so compare agrees)
  faults?: FaultAnalysis[]; // the fault timeline as it happened and what it did (runs with chaos only)
  capacity?: number; // highest sustained arrival rate (iterations/s) of a capacity-finding run; the baseline judge compares it
  scaling?: ScalingResult; // per-step table, knee, autoscaler reactions
  probes?: ProbeSeries[]; // probed series of the system under test (epoch ms)
  instances?: InstanceRow[]; // per k6 instance, when several shared the load (--instances, --executor k8s)
}

/** One k6 instance of a distributed run: its slice of the load and how it ended. */
export interface InstanceRow {
  index: number; // 0-based
  segment: string; // its --execution-segment
  requests: number;
  failed: number;
  rps: number; // its requests over the time it sent them
  samples: number; // k6 samples it contributed to the merged result
  exitCode: number | null;
  signal?: string;
}

/** One time bucket. Percentiles in ms, null when the bucket saw no request. */
export interface SeriesPoint {
  tMs: number; // bucket start, from the run's first sample
  rps: number; // requests / bucket seconds
  errorRate: number; // failed / requests (0 without requests)
  p50: number | null;
  p95: number | null;
  p99: number | null;
  vus: number; // highest `vus` seen in the bucket, else the last known value
  requests: number;
  failed: number;
  /** Other k6 metrics in this bucket: a trend's p95, a rate's ratio, a counter's total, a gauge's last value. */
  metrics?: Record<string, number>;
}

/**
 * HDR histograms of latencies in integer microseconds, each as hdr-histogram-js's compressed
 * base64 (the HdrHistogram V2 format, so other HdrHistogram ports read it too).
 */
export interface EncodedHistograms {
  unit: 'us';
  overall: string; // http_req_duration
  byName: Record<string, string>;
  waiting: string; // http_req_waiting
  connecting: string; // http_req_connecting
  buckets?: (string | null)[]; // http_req_duration per series point, same index; null = empty
  /** Per request name, index-aligned with the series (chaos runs): latency and failures per bucket. */
  bucketsByName?: Record<string, { hists: (string | null)[]; failed: number[] }>;
}
