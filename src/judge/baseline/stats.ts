// Small-sample statistics for the regression judge. Pure. The distribution functions come from
// stdlib's modular packages (maintained, tested against reference values); the tests built on
// them are ours.
import { createRequire } from 'node:module';

// Required (CommonJS) on first use, not imported: loading the four packages costs ~50 ms, and
// every run loads this module (drift and within-run numbers use its means) before k6 starts,
// while the distributions are needed only to judge, after the run.
const require = createRequire(import.meta.url);
type Dist2 = (x: number, df: number) => number;
type Dist3 = (x: number, mu: number, sigma: number) => number;
let dists: { studentCdf: Dist2; studentQuantile: Dist2; normalCdf: Dist3; normalQuantile: Dist3 } | undefined;
const load = () =>
  (dists ??= {
    studentCdf: require('@stdlib/stats-base-dists-t-cdf') as Dist2,
    studentQuantile: require('@stdlib/stats-base-dists-t-quantile') as Dist2,
    normalCdf: require('@stdlib/stats-base-dists-normal-cdf') as Dist3,
    normalQuantile: require('@stdlib/stats-base-dists-normal-quantile') as Dist3,
  });

/** P(T <= t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom. */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  return load().studentCdf(t, df);
}

/** P(T > t), computed as the lower tail at -t so tiny upper-tail probabilities keep their precision. */
export function tSf(t: number, df: number): number {
  return tCdf(-t, df);
}

/** The t value with P(T <= t) = p. */
export function tQuantile(p: number, df: number): number {
  return load().studentQuantile(p, df);
}

/** Standard normal CDF and quantile. */
export function zCdf(z: number): number {
  return load().normalCdf(z, 0, 1);
}

export function zQuantile(p: number): number {
  return load().normalQuantile(p, 0, 1);
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample variance (n - 1 denominator); 0 for fewer than two values. */
export function variance(xs: readonly number[]): number {
  // Identical values have no spread; the mean's rounding would otherwise leave ~1e-32 of it, and a
  // test against that calls any difference "clear of noise" (p ≈ 1e-29).
  if (xs.length < 2 || xs.every((x) => x === xs[0])) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - 1);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface TestResult {
  t: number;
  df: number;
  pGreater: number; // one-sided p for "candidate is greater than the pool"
  method: string;
  diff: number; // the estimated difference (candidate − pool)
  se: number; // its standard error, on df
}

/**
 * Is mean(ys) greater than mean(xs)? Student's two-sample t-test with one variance pooled over both
 * groups (df n + m − 2): under the null hypothesis the candidate runs come from the same process as
 * the pool, so they share its spread, and the pool's degrees of freedom stay in the test (Welch's
 * test would let two quiet candidates collapse its df towards 1 and its tail to a Cauchy's). With
 * one candidate this is the prediction-interval test, t = (y − x̄) / (s·√(1 + 1/n)), df = n − 1.
 * `floorVariance` is a lower bound on one run's variance known from elsewhere (its within-run
 * evidence): a pool that agrees closely by chance cannot make noise look like a change.
 * Null when there is no spread at all to judge against.
 */
export function pooledTest(xs: readonly number[], ys: readonly number[], floorVariance = 0): TestResult | null {
  const n = xs.length;
  const m = ys.length;
  if (n < 1 || m < 1 || n + m < 3) return null;
  const df = n + m - 2;
  const pooled = pooledVariance(xs, ys);
  const v = Math.max(pooled, floorVariance);
  if (!(v > 0)) return null;
  const diff = mean(ys) - mean(xs);
  const se = Math.sqrt(v * (1 / n + 1 / m));
  const t = diff / se;
  const floored = floorVariance > pooled;
  const method = m === 1 ? 't prediction interval on log values' : 'pooled two-sample t-test on log values';
  return { t, df, pGreater: tSf(t, df), method: floored ? `${method} (spread floored at the runs' own within-run spread)` : method, diff, se };
}

/** The variance two groups share, each about its own mean (df n + m − 2; needs n + m ≥ 3). */
export function pooledVariance(xs: readonly number[], ys: readonly number[]): number {
  return (variance(xs) * Math.max(0, xs.length - 1) + variance(ys) * Math.max(0, ys.length - 1)) / (xs.length + ys.length - 2);
}

/**
 * A difference with a standard error known from elsewhere (each run's within-run evidence), on
 * `df` degrees of freedom: one-sided test of difference > 0.
 */
export function seTest(difference: number, se: number, df: number, method: string): TestResult | null {
  if (!(se > 0) || !(df > 0)) return null;
  const t = difference / se;
  return { t, df, pGreater: tSf(t, df), method, diff: difference, se };
}

/** Welch–Satterthwaite degrees of freedom of a sum of variance terms v_i, each estimated on df_i. */
export function satterthwaite(terms: readonly { v: number; df: number }[]): number {
  const num = terms.reduce((s, x) => s + x.v, 0) ** 2;
  const den = terms.reduce((s, x) => s + (x.df > 0 ? (x.v * x.v) / x.df : 0), 0);
  return den > 0 ? num / den : Math.min(...terms.map((x) => x.df));
}

/**
 * Holm's step-down adjustment (Holm 1979): adjusted p-values such that rejecting every p_adj < α
 * keeps the chance of any false alarm across the whole family at most α. Nulls stay null.
 */
export function holmAdjust(ps: readonly (number | null)[]): (number | null)[] {
  const idx = ps.flatMap((p, i) => (p === null ? [] : [i])).sort((a, b) => ps[a]! - ps[b]!);
  const m = idx.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * ps[i]!));
    out[i] = running;
  });
  return out;
}
