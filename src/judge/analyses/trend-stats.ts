// Trend statistics for drift within a run. Pure, dependency-free.
//
// - Theil–Sen slope (Sen 1968): the median of all pairwise slopes; robust to outliers (a GC pause,
//   one slow bucket) where least squares is not.
// - Mann–Kendall trend test (Kendall 1975) with the variance corrected for ties.
// - A correction for autocorrelation: time buckets of one run are serially correlated (queues and
//   caches carry state from one second to the next), which makes the plain Mann–Kendall test see
//   trends in healthy series far too often. Var(S) is inflated by n/n*, estimated from the rank
//   autocorrelations of the Sen-detrended series (Hamed–Rao 1998, with an AR(1) floor: see
//   varianceFactor). The factor is never below 1: the correction only ever makes the test stricter.
// - Block medians bound the cost (Theil–Sen and Mann–Kendall are O(n²)) for a 24-hour run's
//   thousands of buckets, and damp short-range correlation further.
import { median } from '../baseline/stats.js';

export interface TrendTest {
  n: number; // points tested (after block aggregation)
  s: number; // Mann–Kendall S
  z: number; // standardised S (continuity-corrected), 0 when the series has no spread
  pValue: number; // two-sided, on the corrected variance
  varianceFactor: number; // n/n* applied to Var(S) for autocorrelation (>= 1)
}

export interface Line {
  slope: number; // per unit of x
  intercept: number; // y at x = 0
}

/** Upper tail of the standard normal, P(Z > z), via erfc (W. J. Cody's rational bounds, |ε| < 1.2e-7). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  // Chebyshev fit of Numerical Recipes (erfcc), accurate to 1.2e-7 everywhere.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** z with P(Z > z) = p, by bisection on normalSf: plenty for the few calls a judge makes. */
export function normalQuantile(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalSf(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Theil–Sen line through (x, y); intercept = median of y − slope·x (Conover's variant). */
export function theilSen(x: readonly number[], y: readonly number[]): Line {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      if (x[j] !== x[i]) slopes.push((y[j]! - y[i]!) / (x[j]! - x[i]!));
    }
  }
  const slope = slopes.length ? median(slopes) : 0;
  const intercept = x.length ? median(x.map((xi, i) => y[i]! - slope * xi)) : 0;
  return { slope, intercept };
}

/** Ranks 1..n, ties sharing their mean rank. */
function ranks(y: readonly number[]): number[] {
  const order = y.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(y.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Ranks of the Sen-detrended series, centred: what both autocorrelation corrections read. */
function detrendedRanks(x: readonly number[], y: readonly number[]): { r: number[]; den: number } {
  const line = theilSen(x, y);
  const m = (y.length + 1) / 2;
  const r = ranks(y.map((v, i) => v - line.slope * x[i]!)).map((v) => v - m);
  let den = 0;
  for (const v of r) den += v * v;
  return { r, den };
}

function lagCorrelation(r: readonly number[], den: number, k: number): number {
  let num = 0;
  for (let i = 0; i + k < r.length; i++) num += r[i]! * r[i + k]!;
  return num / den;
}

/** 1 + 2/(n(n−1)(n−2)) Σ (n−k)(n−k−1)(n−k−2)·ρ_k: Var(S) inflation for autocorrelations ρ_k. */
function inflation(n: number, rho: (k: number) => number): number {
  let sum = 0;
  for (let k = 1; k < n - 2; k++) sum += (n - k) * (n - k - 1) * (n - k - 2) * rho(k);
  return 1 + (2 * sum) / (n * (n - 1) * (n - 2));
}

/**
 * The Var(S) inflation factor n/n*, the larger of two estimates, never below 1:
 * - Hamed–Rao (1998): every lag whose rank autocorrelation is significant at `alpha`;
 * - an AR(1) floor: ρ_k = r₁ᵏ with r₁ bias-corrected as (n·r₁ + 1)/(n − 4) (Yue et al. 2002).
 * Hamed–Rao alone stays liberal on short, strongly correlated series (seeded AR(1), φ = 0.6,
 * n = 120: 16 % false alarms at α = 0.05, because short-series autocorrelations are biased low and
 * the filter drops the weaker lags); with the floor it is 5 % (test/drift.test.ts).
 */
export function varianceFactor(x: readonly number[], y: readonly number[], alpha = 0.05): number {
  const n = y.length;
  if (n < 5) return 1;
  const { r, den } = detrendedRanks(x, y);
  if (!(den > 0)) return 1;
  const bound = normalQuantile(alpha / 2) / Math.sqrt(n);
  const acf = Array.from({ length: n - 2 }, (_, k) => (k === 0 ? 1 : lagCorrelation(r, den, k)));
  const hamedRao = inflation(n, (k) => (Math.abs(acf[k]!) > bound ? acf[k]! : 0));
  // The bias correction divides by n − 4: on the few long blocks of a short run it would turn
  // noise into a large factor, so below 20 points the raw estimate is used.
  const r1 = Math.min(0.95, n >= 20 ? (n * acf[1]! + 1) / (n - 4) : acf[1]!);
  const ar1 = r1 > 0 ? inflation(n, (k) => r1 ** k) : 1;
  return Math.max(1, hamedRao, ar1);
}

/** Mann–Kendall on (x, y) in x order, ties corrected, Var(S) inflated for autocorrelation. */
export function mannKendall(x: readonly number[], y: readonly number[]): TrendTest {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(y[j]! - y[i]!);
  let tieTerm = 0;
  const counts = new Map<number, number>();
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const t of counts.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const base = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const factor = varianceFactor(x, y);
  const v = base * factor;
  if (!(v > 0)) return { n, s, z: 0, pValue: 1, varianceFactor: factor };
  const z = s === 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(v);
  return { n, s, z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))), varianceFactor: factor };
}

/**
 * At most `max` points: consecutive runs of points collapsed to (mean x, median y). Points with
 * y = null (a bucket without requests) are left out first.
 */
export function blockMedians(x: readonly number[], y: readonly (number | null)[], max: number): { x: number[]; y: number[] } {
  const px: number[] = [];
  const py: number[] = [];
  y.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      px.push(x[i]!);
      py.push(v);
    }
  });
  if (px.length <= max) return { x: px, y: py };
  const size = Math.ceil(px.length / max);
  const bx: number[] = [];
  const by: number[] = [];
  for (let i = 0; i < px.length; i += size) {
    const xs = px.slice(i, i + size);
    bx.push(xs.reduce((a, b) => a + b, 0) / xs.length);
    by.push(median(py.slice(i, i + size)));
  }
  return { x: bx, y: by };
}
