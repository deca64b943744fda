// Within-run evidence: how precisely one run measured its own p50/p95/p99, error rate and
// throughput, from its per-bucket histograms. Pure.
//
// Batch means: the run's time buckets are cut into a few contiguous batches, each batch's statistic
// is computed from the merged histograms of its buckets, and the spread of the batch statistics
// gives the standard error of the whole run's: se = sd(batch stats) / √B, on B − 1 degrees of
// freedom. Batches a few seconds long are nearly independent even when latency is autocorrelated
// from second to second, which a per-request standard error would ignore. Latency and throughput
// are on the log scale (as the judge compares them), error rate as a fraction.
import { decodeHistogram, newHistogram, percentilesMs } from '../../results/histograms.js';
import type { SeriesPoint } from '../../results/series-types.js';
import type { Spread, WithinKey, WithinRun } from '../../baselines/types.js';
import { mean, variance } from './stats.js';

export type { Spread, WithinKey, WithinRun } from '../../baselines/types.js';

/**
 * Between-run spread over within-run spread, per metric, measured on this machine with
 * bench/within-ratio.mjs (6 × 20 s runs of `sustained` on the demo target; README "Within-run
 * evidence"). Runs differ by more than their own batches say (warm-up, the machine's other load, GC),
 * so with fewer baseline runs than it takes to see that spread directly, one run's uncertainty is
 * taken as its within-run standard error times this ratio: a conservative floor, rounded up.
 */
export const BETWEEN_WITHIN_RATIO: Record<WithinKey, number> = { p50: 1.5, p95: 3, p99: 4, errorRate: 2, rps: 2.5 };

/** The runs' typical within-run spread of a metric (rms standard error, mean batch df); null unless every run has it. */
export function typicalSpread(runs: readonly { within?: WithinRun }[], metric: WithinKey): Spread | null {
  const spreads = runs.map((r) => r.within?.[metric]);
  if (runs.length === 0 || spreads.some((s) => s === undefined)) return null;
  return { se: Math.sqrt(mean(spreads.map((s) => s!.se ** 2))), df: mean(spreads.map((s) => s!.df)) };
}

export const DEFAULT_BATCHES = 10;
const MIN_BATCHES = 4;

/** Batch-means standard error of the mean of `values` cut into `batches` contiguous batches. */
export function batchMeans(values: readonly number[], batches = DEFAULT_BATCHES): Spread | null {
  const slices = batchSlices(values.length, batches);
  if (slices.length < 2) return null;
  const means = slices.map(([a, b]) => mean(values.slice(a, b)));
  return { se: Math.sqrt(variance(means) / means.length), df: means.length - 1 };
}

/** [start, end) index ranges of `want` contiguous batches over n items, sizes differing by at most 1. */
export function batchSlices(n: number, want: number): [number, number][] {
  const b = Math.min(want, n);
  const out: [number, number][] = [];
  for (let i = 0; i < b; i++) out.push([Math.floor((i * n) / b), Math.floor(((i + 1) * n) / b)]);
  return out;
}

/**
 * A run's within-run evidence from its series and per-bucket histograms (index-aligned). The first
 * and last buckets are partial (the run starts and stops mid-bucket) and are left out. Undefined
 * when the run is too short for MIN_BATCHES batches.
 */
export function withinRunEvidence(series: readonly SeriesPoint[], hists: readonly (string | null)[] | undefined, batches = DEFAULT_BATCHES): WithinRun | undefined {
  const idx = series.map((_, i) => i).slice(1, -1);
  const slices = batchSlices(idx.length, batches);
  if (slices.length < MIN_BATCHES) return undefined;
  const stats = slices.map(([a, b]) => batchStats(idx.slice(a, b), series, hists));
  const out: WithinRun = { batches: slices.length };
  const keys: WithinKey[] = ['p50', 'p95', 'p99', 'errorRate', 'rps'];
  for (const key of keys) {
    const xs = stats.map((s) => s[key]).filter((x): x is number => x !== undefined);
    // Every batch must have the statistic: a batch without requests says nothing about latency.
    if (xs.length !== stats.length) continue;
    const s = spreadOf(xs, key === 'p50' || key === 'p95' || key === 'p99' ? HISTOGRAM_STEP : 0);
    if (s) out[key] = s;
  }
  return out;
}

// The histograms keep 3 significant digits: a percentile is known to within one of their steps,
// at most 2⁻¹⁰ of its value (≈ 0.001 on the log scale). On a quiet target every batch can land on
// the same step, and a spread of exactly 0 would leave a run with no evidence at all; the step's
// rounding noise (a uniform error, variance step² / 12) floors each batch's variance instead.
const HISTOGRAM_STEP = Math.log1p(2 ** -10);

function spreadOf(xs: number[], step: number): Spread | null {
  const v = Math.max(variance(xs), (step * step) / 12);
  return v > 0 ? { se: Math.sqrt(v / xs.length), df: xs.length - 1 } : null;
}

function batchStats(buckets: number[], series: readonly SeriesPoint[], hists: readonly (string | null)[] | undefined): Partial<Record<WithinKey, number>> {
  let requests = 0;
  let failed = 0;
  let rps = 0;
  for (const i of buckets) {
    requests += series[i]!.requests;
    failed += series[i]!.failed;
    rps += series[i]!.rps;
  }
  const out: Partial<Record<WithinKey, number>> = {};
  if (rps > 0) out.rps = Math.log(rps / buckets.length);
  if (requests === 0) return out;
  out.errorRate = failed / requests;
  const encoded = hists ? buckets.map((i) => hists[i]).filter((h): h is string => typeof h === 'string') : [];
  if (encoded.length === 0) return out;
  const h = newHistogram(64, 3);
  for (const e of encoded) h.add(decodeHistogram(e));
  const [p50, p95, p99] = percentilesMs(h, [0.5, 0.95, 0.99]) as [number, number, number];
  if (p50 > 0) out.p50 = Math.log(p50);
  if (p95 > 0) out.p95 = Math.log(p95);
  if (p99 > 0) out.p99 = Math.log(p99);
  return out;
}
