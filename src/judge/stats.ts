// Small-sample statistics for the regression judge. Pure, dependency-free.
//
// Student's t CDF through the regularized incomplete beta function:
//   P(T <= t) = 1 - ½·I_x(ν/2, ½) for t > 0, with x = ν / (ν + t²)
// (Abramowitz & Stegun 26.7.1 / 26.5; NIST DLMF 8.17). I_x is evaluated with its continued fraction
// (DLMF 8.17.22) by the modified Lentz method, using the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) so the
// fraction is always used where it converges fast (x < (a+1)/(a+b+2)).

// ln Γ(z) by the Lanczos approximation (g = 7, n = 9; ~15 significant digits for z > 0).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const x = z - 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    // even step
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    c = 1 + num / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    // odd step
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    c = 1 + num / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return f;
}

/** The regularized incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** P(T <= t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom. */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** P(T > t), computed directly so tiny upper-tail probabilities keep their precision. */
export function tSf(t: number, df: number): number {
  return tCdf(-t, df);
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
}

/**
 * One candidate against a pool: is y an unusually high draw from the pool's distribution? Uses the
 * prediction interval for one new observation, t = (y - x̄) / (s·√(1 + 1/n)), df = n - 1.
 * Null when the pool has no spread (nothing to judge against).
 */
export function predictionTest(pool: readonly number[], y: number): TestResult | null {
  const n = pool.length;
  const s = Math.sqrt(variance(pool));
  if (n < 2 || !(s > 0)) return null;
  const t = (y - mean(pool)) / (s * Math.sqrt(1 + 1 / n));
  return { t, df: n - 1, pGreater: tSf(t, n - 1), method: 't prediction interval on log values' };
}

/** Welch's unequal-variance t-test of mean(ys) > mean(xs), Welch–Satterthwaite df. */
export function welchTest(xs: readonly number[], ys: readonly number[]): TestResult | null {
  const n = xs.length;
  const m = ys.length;
  if (n < 2 || m < 2) return null;
  const a = variance(xs) / n;
  const b = variance(ys) / m;
  if (!(a + b > 0)) return null;
  const t = (mean(ys) - mean(xs)) / Math.sqrt(a + b);
  const df = (a + b) ** 2 / ((a * a) / (n - 1) + (b * b) / (m - 1));
  return { t, df, pGreater: tSf(t, df), method: "Welch's t-test on log values" };
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
