// Drift within a run → checks. A soak that only reports whole-run numbers hides a slow leak until
// it pages someone: p95 creeping from 80 to 140 ms still passes a 300 ms limit. This judges the
// trend over the time buckets after warm-up, per metric: it fails only when the trend is both
// statistically clear (Mann–Kendall, corrected for ties and autocorrelation; see trend.ts) and
// practically large (the fitted Theil–Sen line moves past a tolerance from start to end). Pure.

import { DRIFT_METRICS, type DriftMetric, type DriftSettings } from '../../config/types.js';
import type { EncodedHistograms, SeriesPoint } from '../../results/series-types.js';
import type { Check, DriftTrend, Phase } from '../../results/types.js';
import { formatValue } from '../../util/format.js';
import { histogramBlocks } from './drift-blocks.js';
import { blockMedians, mannKendall, theilSen } from './trend-stats.js';

/** A series sampled beside the run (probes: the target's memory, queue depth, …). */
export interface ProbeSeries {
  name: string;
  points: { atMs: number; value: number | null }[]; // atMs from the run's first sample, like tMs
}

export interface DriftInput {
  series: readonly SeriesPoint[];
  phases: readonly Phase[];
  bucketMs: number;
  /** Per-bucket latency histograms, same index as series: p95/p99 are then taken per block of buckets. */
  histograms?: Pick<EncodedHistograms, 'buckets'>;
  probes?: readonly ProbeSeries[];
}

export const DRIFT_DEFAULTS = { tolerancePct: 20, errorRateIncrease: 0.01, alpha: 0.01 } as const;
const MAX_POINTS = 120; // blocks: bounds the O(n²) tests and damps short-range correlation
const MIN_POINTS = 10;
const METHOD = 'Theil–Sen line; Mann–Kendall test corrected for ties and autocorrelation (Hamed–Rao with an AR(1) floor)';

/** Whether drift is judged: `sla.drift.enabled` when set, else on for the soak scenario only. */
export function driftEnabled(settings: DriftSettings | undefined, scenario: string): boolean {
  return settings?.enabled ?? scenario === 'soak';
}

/** Where the judged window starts: after the `warm-up` phase, an explicit warm-up, or 10 % in. */
export function driftWindowStart(input: DriftInput, settings: DriftSettings = {}): number {
  if (settings.warmupSeconds !== undefined) return settings.warmupSeconds * 1000;
  const warm = input.phases.find((p) => p.name === 'warm-up');
  if (warm) return warm.endMs;
  const last = input.series[input.series.length - 1];
  return last ? 0.1 * (last.tMs + input.bucketMs) : 0;
}

/** The drift checks of a run, none when drift is off for it: what the pipeline's judge stage calls. */
export function driftChecks(settings: DriftSettings | undefined, scenario: string, input: DriftInput): Check[] {
  return driftEnabled(settings, scenario) ? judgeDrift(input, settings) : [];
}

interface MetricSpec {
  metric: string;
  label: string;
  scope: string;
  bad: 'up' | 'down';
  absolute: boolean; // judged as an absolute change (error rate: a rise from 0 has no ratio)
  unit: Check['unit'];
  data: () => { x: number[]; y: number[] };
}

export function judgeDrift(input: DriftInput, settings: DriftSettings = {}): Check[] {
  const start = driftWindowStart(input, settings);
  const hist = input.histograms?.buckets;
  const usable = hist !== undefined && hist.length === input.series.length;
  // The last bucket is partial (the run ends inside it), so its rates would read as a drop.
  const points = input.series.slice(0, -1).flatMap((p, i) => (p.tMs >= start ? [{ ...p, histogram: usable ? (hist[i] ?? null) : null }] : []));
  const x = points.map((p) => p.tMs);
  const chosen: readonly DriftMetric[] = settings.metrics ?? DRIFT_METRICS;
  const specs: MetricSpec[] = chosen.map((m) => ({
    metric: m,
    label: m === 'errorRate' ? 'error rate' : m === 'rps' ? 'throughput' : `${m} latency`,
    scope: 'overall',
    bad: m === 'rps' ? 'down' : 'up',
    absolute: m === 'errorRate',
    unit: 'ratio',
    data: () =>
      (m === 'p95' || m === 'p99') && usable
        ? histogramBlocks(points, m === 'p95' ? 0.95 : 0.99, MIN_POINTS, MAX_POINTS)
        : blockMedians(x, points.map((p) => (m === 'errorRate' ? (p.requests > 0 ? p.errorRate : null) : p[m])), MAX_POINTS),
  }));
  for (const probe of input.probes ?? []) {
    const kept = probe.points.filter((p) => p.atMs >= start);
    specs.push({ metric: probe.name, label: probe.name, scope: 'probe', bad: 'up', absolute: false, unit: 'ratio', data: () => blockMedians(kept.map((p) => p.atMs), kept.map((p) => p.value), MAX_POINTS) });
  }
  return specs.map((s) => judgeOne(s, settings));
}

function judgeOne(spec: MetricSpec, settings: DriftSettings): Check {
  const alpha = settings.alpha ?? DRIFT_DEFAULTS.alpha;
  const tolerance = spec.absolute
    ? (settings.errorRateIncrease ?? DRIFT_DEFAULTS.errorRateIncrease)
    : (settings.tolerancePct ?? DRIFT_DEFAULTS.tolerancePct) / 100;
  const sign = spec.bad === 'up' ? '+' : '-';
  const limit = `${spec.bad === 'up' ? '<=' : '>='} ${sign}${formatValue(tolerance, 'ratio')}${spec.absolute ? ' (absolute)' : ''}`;
  const base = { name: `${spec.label} drift (${spec.scope})`, kind: 'drift' as const, scope: spec.scope, metric: spec.metric, unit: spec.unit, limit, limitValue: spec.bad === 'up' ? tolerance : -tolerance };
  const data = spec.data();
  if (data.y.length < MIN_POINTS) {
    return { ...base, status: 'inconclusive', measured: null, reason: `too few points after warm-up to judge a trend (${data.y.length}, need ${MIN_POINTS})` };
  }
  const line = theilSen(data.x, data.y);
  const test = mannKendall(data.x, data.y);
  const startMs = data.x[0]!;
  const endMs = data.x[data.x.length - 1]!;
  const from = line.intercept + line.slope * startMs;
  const to = line.intercept + line.slope * endMs;
  const significant = test.pValue < alpha;
  const trend: DriftTrend = {
    startMs,
    endMs,
    from,
    to,
    slopePerMin: line.slope * 60_000,
    points: test.n,
    pValue: test.pValue,
    varianceFactor: test.varianceFactor,
    direction: !significant || test.z === 0 ? 'flat' : test.z > 0 ? 'rising' : 'falling',
    method: METHOD,
  };
  let change: number;
  if (spec.absolute) change = to - from;
  else if (from > 0) change = to / from - 1;
  else return { ...base, status: 'inconclusive', measured: null, drift: trend, reason: 'the fitted line starts at or below zero, so a relative change means nothing' };
  const worse = spec.bad === 'up' ? change > tolerance : change < -tolerance;
  const wrongWay = spec.bad === 'up' ? trend.direction === 'rising' : trend.direction === 'falling';
  const shown = `${change >= 0 ? '+' : ''}${formatValue(change, 'ratio')}`;
  if (worse && wrongWay) {
    return { ...base, status: 'fail', measured: change, drift: trend, reason: `${spec.label} ${trend.direction} ${shown} over the run (p = ${test.pValue.toPrecision(2)}), beyond ${sign}${formatValue(tolerance, 'ratio')}` };
  }
  const why = !wrongWay ? (trend.direction === 'flat' ? 'no significant trend' : `${trend.direction}, which is not a degradation`) : `a significant but small trend (${shown})`;
  return { ...base, status: 'pass', measured: change, drift: trend, reason: why };
}
