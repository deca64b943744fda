import { describe, expect, it } from 'vitest';
import { batchMeans, batchSlices, withinRunEvidence } from '../src/judge/baseline/within-run.js';
import { tQuantile } from '../src/judge/baseline/stats.js';
import { encodeHistogram, newHistogram, percentilesMs } from '../src/results/histograms.js';
import type { SeriesPoint } from '../src/results/series-types.js';
import { gaussian, seededRandom } from '../src/util/random.js';

/** An AR(1) series x_t = φ·x_{t−1} + e_t (stationary start), mean 0. */
function ar1(rand: () => number, n: number, phi: number): number[] {
  const out: number[] = [];
  let x = gaussian(rand) / Math.sqrt(1 - phi * phi);
  for (let i = 0; i < n; i++) {
    out.push(x);
    x = phi * x + gaussian(rand);
  }
  return out;
}

describe('batch means', () => {
  it('cuts n items into contiguous batches whose sizes differ by at most one', () => {
    const sizes = batchSlices(23, 10).map(([a, b]) => b - a);
    expect(sizes.reduce((s, x) => s + x, 0)).toBe(23);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBe(1);
    expect(batchSlices(23, 10)[0]![0]).toBe(0);
    expect(batchSlices(23, 10)[9]![1]).toBe(23);
    expect(batchSlices(3, 10)).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  it('95 % intervals cover the true mean of autocorrelated AR(1) series 92–98 % of the time', () => {
    const rand = seededRandom(15);
    const trials = 2000;
    const crit = tQuantile(0.975, 9);
    let covered = 0;
    let naive = 0;
    for (let i = 0; i < trials; i++) {
      const xs = ar1(rand, 2000, 0.6);
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      const bm = batchMeans(xs, 10)!;
      expect(bm.df).toBe(9);
      if (Math.abs(m) <= crit * bm.se) covered++;
      // The i.i.d. standard error ignores the autocorrelation: its interval is far too narrow.
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
      if (Math.abs(m) <= 1.96 * (sd / Math.sqrt(xs.length))) naive++;
    }
    console.log(`AR(1) φ = 0.6: batch-means coverage ${((covered / trials) * 100).toFixed(1)}%, i.i.d. coverage ${((naive / trials) * 100).toFixed(1)}%`);
    expect(covered / trials).toBeGreaterThanOrEqual(0.92);
    expect(covered / trials).toBeLessThanOrEqual(0.98);
    expect(naive / trials).toBeLessThan(0.8);
  });
});

/** A simulated run: `buckets` seconds, `perBucket` requests each, log-normal latencies around `medianMs`. */
function simulatedRun(rand: () => number, buckets: number, perBucket: number, medianMs: number, failRate = 0): { series: SeriesPoint[]; hists: string[]; p50: number } {
  const whole = newHistogram(64, 3);
  const series: SeriesPoint[] = [];
  const hists: string[] = [];
  for (let b = 0; b < buckets; b++) {
    const h = newHistogram(32, 2);
    let failed = 0;
    for (let i = 0; i < perBucket; i++) {
      const us = Math.round(medianMs * 1000 * Math.exp(0.3 * gaussian(rand)));
      h.recordValue(us);
      if (b > 0 && b < buckets - 1) whole.recordValue(us);
      if (rand() < failRate) failed++;
    }
    hists.push(encodeHistogram(h));
    series.push({ tMs: b * 1000, rps: perBucket, errorRate: failed / perBucket, p50: null, p95: null, p99: null, vus: 10, requests: perBucket, failed });
  }
  return { series, hists, p50: percentilesMs(whole, [0.5])[0]! };
}

describe('withinRunEvidence', () => {
  it('estimates the run-to-run spread of log p50 of independent requests (ratio ≈ 1)', () => {
    const rand = seededRandom(7);
    const runs = Array.from({ length: 150 }, () => simulatedRun(rand, 22, 150, 40, 0.02));
    const logs = runs.map((r) => Math.log(r.p50));
    const m = logs.reduce((s, x) => s + x, 0) / logs.length;
    const actual = Math.sqrt(logs.reduce((s, x) => s + (x - m) ** 2, 0) / (logs.length - 1));
    const ev = runs.map((r) => withinRunEvidence(r.series, r.hists)!);
    expect(ev[0]!.batches).toBe(10);
    const rms = Math.sqrt(ev.reduce((s, e) => s + e.p50!.se ** 2, 0) / ev.length);
    console.log(`log p50: spread across runs ${actual.toFixed(4)}, within-run se (rms) ${rms.toFixed(4)}`);
    expect(rms / actual).toBeGreaterThan(0.75);
    expect(rms / actual).toBeLessThan(1.35);
    expect(ev[0]!.errorRate!.se).toBeGreaterThan(0);
    expect(ev[0]!.p99!.df).toBe(9);
  });

  it('is undefined for a run too short for four batches, and skips a statistic some batch lacks', () => {
    const rand = seededRandom(3);
    const short = simulatedRun(rand, 5, 50, 10);
    expect(withinRunEvidence(short.series, short.hists)).toBeUndefined();
    const run = simulatedRun(rand, 12, 50, 10);
    const ev = withinRunEvidence(run.series, undefined)!;
    expect(ev.p50).toBeUndefined();
    expect(ev.rps).toBeUndefined(); // constant rate: no spread, nothing to claim
  });

  it('a quiet run whose batches all land on one histogram step still has latency evidence: the step’s rounding', () => {
    // Every bucket records the same 40 ms requests: every batch's p50 is the same histogram value.
    const series: SeriesPoint[] = [];
    const hists: string[] = [];
    for (let b = 0; b < 8; b++) {
      const h = newHistogram(32, 2);
      for (let i = 0; i < 100; i++) h.recordValue(40_000);
      hists.push(encodeHistogram(h));
      series.push({ tMs: b * 1000, rps: 100 + b, errorRate: 0, p50: null, p95: null, p99: null, vus: 10, requests: 100, failed: 0 });
    }
    const ev = withinRunEvidence(series, hists)!;
    // se = (step / √12) / √batches, step = log(1 + 2⁻¹⁰)
    expect(ev.p50!.se).toBeCloseTo(Math.log1p(2 ** -10) / Math.sqrt(12) / Math.sqrt(6), 10);
    expect(ev.p50!.df).toBe(5);
    expect(ev.errorRate).toBeUndefined(); // no failures at all: nothing to say about their spread
  });
});
