// Capacity: from a scaling run's steps (offered arrival rate per phase) and its time series, a
// per-step table, the capacity (highest offered rate fully sustained: the SLA held over the step
// and the rate was kept) and the knee (the highest rate before latency starts to climb). Pure.
//
// A step that breaks the SLA is a finding here, not a failure: the run's checks are about the
// capacity (sla.minCapacity, and the baseline judge's `capacity` key).
import type { Sla } from '../config/types.js';
import type { PlannedStage } from '../plan/types.js';
import { decodeHistogram, newHistogram, percentilesMs } from '../results/histograms.js';
import type { SeriesPoint } from '../results/series-types.js';
import type { CapacityAnalysis, StepMeasure, StepRow } from './types.js';
import type { Check } from '../results/types.js';
import { formatValue } from '../util/format.js';

export type { CapacityAnalysis, StepMeasure, StepRow, StepVerdict } from './types.js';

/** One load step: its offered arrival rate (iterations/s) and the window it is judged over. */
export interface OfferedStep {
  name: string;
  offered: number;
  startMs: number; // ms from the run's start (the series' tMs)
  endMs: number;
  judgeFromMs: number; // after the ramp into the step
  /** The rate at judgeFromMs when the judged window is a ramp (k6 ramps linearly from it to `offered`). */
  rampFrom?: number;
}

export interface CapacityOptions {
  sla: Sla;
  requestsPerIteration?: number; // default: measured on the first step with requests
  minAchieved?: number; // achieved / offered below this = rate not kept (default 0.95)
  maxDropped?: number; // dropped / offered iterations above this = rate not kept (default 0.05)
}

const DEFAULT_ERROR_RATE = 0.01; // judged even when the profile sets no error limit
/** Less of a step than this (or than two time buckets) is too little to judge a rate or an SLA by. */
const MIN_JUDGED_MS = 2000;

/** The plan's stages grouped into steps: a phase's last stage is its hold, earlier ones its ramp. */
export function stepsFromStages(stages: readonly PlannedStage[]): OfferedStep[] {
  const steps: OfferedStep[] = [];
  let t = 0;
  let from = 0; // the rate the previous stage ended at: k6 ramps linearly from it
  for (const s of stages) {
    const last = steps.at(-1);
    const ramp = from !== s.target ? { rampFrom: from } : {};
    if (last && last.name === s.phase) {
      last.judgeFromMs = t;
      last.endMs = t + s.durationMs;
      last.offered = s.target;
      delete last.rampFrom;
      Object.assign(last, ramp);
    } else steps.push({ name: s.phase, offered: s.target, startMs: t, endMs: t + s.durationMs, judgeFromMs: t, ...ramp });
    t += s.durationMs;
    from = s.target;
  }
  return steps;
}

/**
 * Sums the buckets inside [from, to); latency from the buckets' merged histograms when given. A
 * bucket past `dataEndMs` (the last sample: the run's end cut it) holds only part of its time and
 * is left out.
 */
export function measureWindow(series: readonly SeriesPoint[], bucketMs: number, from: number, to: number, hists?: readonly (string | null)[], dataEndMs = Infinity): StepMeasure {
  const end = Math.min(to, Math.max(dataEndMs, bucketMs));
  let idx = series.map((_, i) => i).filter((i) => series[i]!.tMs >= from && series[i]!.tMs + bucketMs <= end);
  if (idx.length === 0) idx = series.map((_, i) => i).filter((i) => series[i]!.tMs < to && series[i]!.tMs + bucketMs > from);
  const pts = idx.map((i) => series[i]!);
  const requests = pts.reduce((a, p) => a + p.requests, 0);
  const failed = pts.reduce((a, p) => a + p.failed, 0);
  // k6's own counters per bucket (SeriesPoint.metrics): the iterations completed and dropped, so
  // the rate kept is read in iterations, not through an estimated number of requests per iteration.
  const counted = pts.length > 0 && pts.every((p) => p.metrics !== undefined);
  const sum = (name: string) => pts.reduce((a, p) => a + (p.metrics?.[name] ?? 0), 0);
  const dropped = counted ? sum('dropped_iterations') : null;
  const span: [number, number] | undefined = pts.length > 0 ? [pts[0]!.tMs, pts.at(-1)!.tMs + bucketMs] : undefined;
  const base = { seconds: (pts.length * bucketMs) / 1000, requests, failed, dropped, ...(counted ? { iterations: sum('iterations') } : {}), ...(span ? { spanMs: span } : {}) };
  if (requests === 0) return { ...base, latency: null };
  if (hists && idx.every((i) => hists[i] !== undefined)) {
    const h = newHistogram(64, 3);
    for (const i of idx) if (hists[i]) h.add(decodeHistogram(hists[i]!));
    const [p50, p90, p95, p99] = percentilesMs(h, [0.5, 0.9, 0.95, 0.99]) as [number, number, number, number];
    return { ...base, latency: { p50, p90, p95, p99 } };
  }
  // Without histograms: request-weighted bucket percentiles, an approximation (and no p90).
  const w = (k: 'p50' | 'p95' | 'p99') => pts.reduce((a, p) => a + (p[k] ?? 0) * p.requests, 0) / requests;
  return { ...base, latency: { p50: w('p50'), p90: null, p95: w('p95'), p99: w('p99') }, approximate: true };
}

/** Judges each step and finds the capacity and the knee. */
export function analyseCapacity(steps: readonly (OfferedStep & { measure: StepMeasure })[], o: CapacityOptions): CapacityAnalysis {
  const first = steps.find((s) => s.measure.requests > 0 && s.offered > 0);
  const rpi = o.requestsPerIteration ?? (first ? first.measure.requests / (offeredOver(first, first.measure.spanMs) * first.measure.seconds) : 1);
  const rows = steps.map((s) => judgeStep(s, s.measure, rpi, o));
  const sustained = rows.filter((r) => r.verdict === 'sustained');
  const best = sustained.reduce<StepRow | null>((b, r) => (b === null || r.offered > b.offered ? r : b), null);
  // Only a step that ran out is evidence of a limit: one too short to judge above the best says nothing.
  const ranOut = rows.filter((r) => best !== null && r.offered > best.offered && r.verdict !== 'too-short');
  const rates = [...new Set(rows.map((r) => r.offered))].sort((a, b) => a - b);
  const at = best ? rates.indexOf(best.offered) : -1;
  const resolution = at < 0 ? null : at + 1 < rates.length ? rates[at + 1]! - best!.offered : at > 0 ? best!.offered - rates[at - 1]! : null;
  return {
    unit: 'iterations/s',
    steps: rows,
    capacity: best?.offered ?? null,
    capacityRps: best?.achievedRps ?? null,
    atCeiling: best !== null && ranOut.length === 0,
    knee: kneeOf(rows),
    resolution,
    requestsPerIteration: rpi,
  };
}

function judgeStep(step: OfferedStep, m: StepMeasure, rpi: number, o: CapacityOptions): StepRow {
  const errorRate = m.requests > 0 ? m.failed / m.requests : 0;
  const achievedRps = m.seconds > 0 ? (m.requests - m.failed) / m.seconds : 0;
  const row = { ...m, name: step.name, offered: step.offered, achievedRps, errorRate };
  if (m.seconds * 1000 < MIN_JUDGED_MS) {
    return { ...row, verdict: 'too-short', reason: `${m.seconds.toFixed(0)} s of the step could be judged (it needs ${MIN_JUDGED_MS / 1000} s): no evidence of a limit` };
  }
  if (m.requests === 0 || m.latency === null) return { ...row, verdict: 'no-data', reason: 'no requests in the step' };
  const broken: string[] = [];
  for (const key of ['p50', 'p90', 'p95', 'p99'] as const) {
    const limit = o.sla[key];
    const v = m.latency[key];
    if (limit !== undefined && v !== null && v > limit) broken.push(`${key} ${formatValue(v, 'ms')} > ${formatValue(limit, 'ms')}`);
  }
  const maxErrors = o.sla.errorRate ?? DEFAULT_ERROR_RATE;
  if (errorRate > maxErrors) broken.push(`errors ${formatValue(errorRate, 'ratio')} > ${formatValue(maxErrors, 'ratio')}`);
  if (broken.length > 0) return { ...row, verdict: 'sla-broken', reason: broken.join(', ') };
  const offered = offeredOver(step, m.spanMs);
  const wanted = offered * rpi;
  const kept = m.iterations !== undefined ? m.iterations / m.seconds : achievedRps;
  const ratio = wanted > 0 ? kept / (m.iterations !== undefined ? offered : wanted) : 1;
  if (ratio < (o.minAchieved ?? 0.95)) {
    const what = m.iterations !== undefined ? `${kept.toFixed(1)} iterations/s` : formatValue(achievedRps, 'req/s');
    return { ...row, verdict: 'rate-not-kept', reason: `achieved ${what}, ${(ratio * 100).toFixed(0)}% of the rate offered` };
  }
  const droppedShare = m.dropped !== null && offered > 0 ? m.dropped / (offered * m.seconds) : 0;
  if (droppedShare > (o.maxDropped ?? 0.05)) {
    return { ...row, verdict: 'rate-not-kept', reason: `k6 dropped ${(droppedShare * 100).toFixed(1)}% of the iterations (not enough VUs)` };
  }
  return { ...row, verdict: 'sustained' };
}

/**
 * The mean rate the plan offered over the buckets measured: on a ramp (k6 ramps linearly) that is
 * the rate at their midpoint, below the step's top; on a hold, the step's rate.
 */
function offeredOver(step: OfferedStep, span: readonly [number, number] | undefined): number {
  if (step.rampFrom === undefined || span === undefined || step.endMs <= step.judgeFromMs) return step.offered;
  const at = Math.min(1, Math.max(0, ((span[0] + span[1]) / 2 - step.judgeFromMs) / (step.endMs - step.judgeFromMs)));
  return step.rampFrom + (step.offered - step.rampFrom) * at;
}

// Latency "climbs" once a step's p95 is both 1.5× and 5 ms above the reference (the median of the
// first three steps): relative for fast services, absolute so a 2 ms → 3.1 ms wobble is not a knee.
// The knee is the last step before latency climbs for good: a single slow step on a busy machine,
// followed by fast ones again, is noise, not the knee.
function kneeOf(rows: readonly StepRow[]): number | null {
  const measured = rows.filter((r) => r.latency !== null);
  const first = measured.slice(0, 3).map((r) => r.latency!.p95).sort((a, b) => a - b);
  if (first.length === 0) return null;
  const ref = first[Math.floor((first.length - 1) / 2)]!;
  const climbed = (r: StepRow) => r.latency!.p95 > Math.max(ref * 1.5, ref + 5);
  let k = measured.length;
  while (k > 0 && climbed(measured[k - 1]!)) k--;
  if (k === measured.length || k === 0) return null; // never climbs for good, or from the start
  return measured[k - 1]!.offered;
}

/** sla.minCapacity → a check. */
export function judgeCapacity(a: CapacityAnalysis, sla: Sla): Check[] {
  if (sla.minCapacity === undefined) return [];
  const limitValue = sla.minCapacity;
  const base = { name: 'capacity (overall)', kind: 'sla' as const, scope: 'overall', metric: 'capacity', unit: 'req/s' as const, limit: `>= ${formatValue(limitValue, 'req/s')}`, limitValue };
  if (a.steps.every((s) => s.verdict === 'no-data')) return [{ ...base, status: 'inconclusive', measured: null, reason: 'no step had requests' }];
  if (a.capacity === null) return [{ ...base, status: 'fail', measured: 0, reason: `no step was sustained (lowest offered ${formatValue(Math.min(...a.steps.map((s) => s.offered)), 'req/s')})` }];
  if (a.capacity >= limitValue) return [{ ...base, status: 'pass', measured: a.capacity }];
  return [{ ...base, status: 'fail', measured: a.capacity, reason: `capacity ${formatValue(a.capacity, 'req/s')} is under the limit ${formatValue(limitValue, 'req/s')}` }];
}
