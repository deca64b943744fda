// Chaos analysis: from the time buckets and the recorded inject/revert times, per fault the steady
// baseline before it, the degradation during it, time to impact and time to recover. Pure: the
// series' epoch origin (AggregateResult.startMs) is passed in.
import type { Sla } from '../../config/types.js';
import type { SeriesPoint } from '../../results/series-types.js';
import type { FaultAnalysis, FaultRecord, WindowStats } from '../../chaos/types.js';

export type { FaultAnalysis, WindowStats };

/** Buckets in a row that must be healthy before a fault counts as recovered. */
export const STAY_BUCKETS = 3;
const BASELINE_LOOKBACK_MS = 30_000;

export interface ChaosAnalysisInput {
  series: SeriesPoint[];
  originMs: number; // epoch ms of tMs 0
  bucketMs: number;
  faults: FaultRecord[];
  sla: Sla;
}

export function analyzeFaults(input: ChaosAnalysisInput): FaultAnalysis[] {
  const { series, originMs, bucketMs } = input;
  const windows = input.faults.map((f) => windowOf(f, originMs, series, bucketMs));
  const totalRequests = series.reduce((s, b) => s + b.requests, 0);
  return input.faults.map((f, i) => {
    const window = windows[i]!;
    const blank: FaultAnalysis = { ...f, window, baseline: null, during: null, healthy: { p95: null, errorRate: null }, timeToImpactMs: null, recovery: { status: 'unknown', timeToRecoverMs: null, recoveredAtMs: null }, errorBudget: { failed: 0, excessFailed: 0, budget: null, spent: null } };
    if (!window) return blank;
    const earlier = windows.filter((w, j) => w && j !== i && w.startMs < window.startMs) as { startMs: number; endMs: number }[];
    const baseBuckets = series.filter((b) => b.requests > 0 && b.tMs + bucketMs <= window.startMs && b.tMs >= window.startMs - BASELINE_LOOKBACK_MS && !earlier.some((w) => overlaps(b, bucketMs, w)));
    const baseline = baseBuckets.length ? stats(baseBuckets, bucketMs) : null;
    const inside = series.filter((b) => overlaps(b, bucketMs, window));
    const fullyInside = inside.filter((b) => b.tMs >= window.startMs && b.tMs + bucketMs <= window.endMs);
    const during = inside.length ? stats(fullyInside.length ? fullyInside : inside, bucketMs) : null;
    const healthy = healthyLimits(input.sla, baseBuckets);
    const ok = (b: SeriesPoint) => isHealthy(b, healthy);
    const impact = inside.find((b) => !ok(b));
    const timeToImpactMs = impact ? Math.max(0, impact.tMs - window.startMs) : null;
    const next = windows.filter((w) => w && w.startMs > window.startMs).map((w) => w!.startMs);
    const recovery = recoveryOf(f, series, bucketMs, window, Math.min(Infinity, ...next), ok, healthy);
    const spanEnd = recovery.recoveredAtMs ?? Infinity;
    const span = series.filter((b) => b.tMs + bucketMs > window.startMs && b.tMs < spanEnd);
    const failed = span.reduce((s, b) => s + b.failed, 0);
    const expected = (baseline?.errorRate ?? 0) * span.reduce((s, b) => s + b.requests, 0);
    const excessFailed = Math.max(0, Math.round(failed - expected));
    const budget = input.sla.errorRate ? input.sla.errorRate * totalRequests : null;
    return { ...blank, baseline, during, healthy, timeToImpactMs, recovery, errorBudget: { failed, excessFailed, budget, spent: budget ? excessFailed / budget : null } };
  });
}

/**
 * The buckets the ordinary SLA leaves out: from each fault's inject until it recovered (the end of
 * the run when it never did). The fault and its recovery have their own checks.
 */
export function bucketsToExclude(series: readonly SeriesPoint[], bucketMs: number, faults: readonly FaultAnalysis[]): boolean[] {
  const spans = faults.filter((f) => f.window).map((f) => ({ from: f.window!.startMs, to: f.recovery.recoveredAtMs ?? Infinity }));
  return series.map((b) => spans.some((s) => b.tMs < s.to && b.tMs + bucketMs > s.from));
}

function windowOf(f: FaultRecord, originMs: number, series: SeriesPoint[], bucketMs: number): { startMs: number; endMs: number } | null {
  if (f.injectedAt === null) return null;
  const seriesEnd = series.length ? series[series.length - 1]!.tMs + bucketMs : 0;
  const endMs = f.revertedAt === null ? Math.max(seriesEnd, f.injectedAt - originMs) : f.revertedAt - originMs;
  return { startMs: f.injectedAt - originMs, endMs };
}

function overlaps(b: SeriesPoint, bucketMs: number, w: { startMs: number; endMs: number }): boolean {
  return b.tMs < w.endMs && b.tMs + bucketMs > w.startMs;
}

function stats(buckets: SeriesPoint[], bucketMs: number): WindowStats {
  const requests = buckets.reduce((s, b) => s + b.requests, 0);
  const failed = buckets.reduce((s, b) => s + b.failed, 0);
  const p95s = buckets.map((b) => b.p95).filter((p): p is number => p !== null).sort((a, b) => a - b);
  return {
    buckets: buckets.length,
    requests,
    failed,
    errorRate: requests ? failed / requests : 0,
    rps: requests / ((buckets.length * bucketMs) / 1000),
    p95: p95s.length ? p95s[Math.floor((p95s.length - 1) / 2)]! : null,
    p95Peak: p95s.length ? p95s[p95s.length - 1]! : null,
  };
}

// The pre-fault band: the highest baseline bucket plus room for noise. A bucket is healthy when it
// is within the SLA or within that band, whichever is looser (a target already over its SLA before
// the fault has recovered when it is back to how it was).
function healthyLimits(sla: Sla, base: SeriesPoint[]): FaultAnalysis['healthy'] {
  const p95s = base.map((b) => b.p95).filter((p): p is number => p !== null);
  const bandP95 = p95s.length ? Math.max(...p95s) * 1.2 + 2 : null;
  const bandErr = base.length ? Math.max(...base.map((b) => b.errorRate)) + 0.01 : null;
  const looser = (a: number | undefined, b: number | null) => (a === undefined ? b : b === null ? a : Math.max(a, b));
  return { p95: looser(sla.p95, bandP95), errorRate: looser(sla.errorRate, bandErr) };
}

function isHealthy(b: SeriesPoint, h: FaultAnalysis['healthy']): boolean {
  if (b.requests === 0) return false; // no answers is no evidence of health
  if (h.p95 !== null && (b.p95 === null || b.p95 > h.p95)) return false;
  return h.errorRate === null || b.errorRate <= h.errorRate;
}

function recoveryOf(f: FaultRecord, series: SeriesPoint[], bucketMs: number, w: { startMs: number; endMs: number }, nextStartMs: number, ok: (b: SeriesPoint) => boolean, h: FaultAnalysis['healthy']): FaultAnalysis['recovery'] {
  if (h.p95 === null && h.errorRate === null) return { status: 'unknown', timeToRecoverMs: null, recoveredAtMs: null, reason: 'no steady baseline before the fault and no SLA to recover to' };
  if (f.revertedAt === null || f.endedBy === 'stop') return { status: 'not-recovered', timeToRecoverMs: null, recoveredAtMs: null, reason: 'the fault was still active when the run ended' };
  const after = series.filter((b) => b.tMs + bucketMs > w.endMs && b.tMs < nextStartMs);
  if (after.length < STAY_BUCKETS && nextStartMs === Infinity) {
    return { status: 'unknown', timeToRecoverMs: null, recoveredAtMs: null, reason: `the run ended ${((after.length * bucketMs) / 1000).toFixed(0)} s after the revert, too soon to see ${STAY_BUCKETS} healthy buckets` };
  }
  for (let i = 0; i + STAY_BUCKETS <= after.length; i++) {
    if (after.slice(i, i + STAY_BUCKETS).every(ok)) {
      const at = Math.max(w.endMs, after[i]!.tMs);
      return { status: 'recovered', timeToRecoverMs: at - w.endMs, recoveredAtMs: at };
    }
  }
  const last = after[after.length - 1];
  const where = nextStartMs < Infinity ? 'before the next fault' : 'by the end of the run';
  const detail = last ? ` (last bucket: p95 ${last.p95 === null ? 'none' : `${Math.round(last.p95)} ms`}, errors ${(last.errorRate * 100).toFixed(1)}%)` : '';
  return { status: 'not-recovered', timeToRecoverMs: null, recoveredAtMs: null, reason: `not back within limits for ${STAY_BUCKETS} buckets ${where}${detail}` };
}
