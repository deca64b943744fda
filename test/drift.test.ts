import { describe, expect, it } from 'vitest';
import { driftChecks, driftEnabled, judgeDrift, type DriftInput } from '../src/judge/analyses/drift.js';
import { histogramBlocks } from '../src/judge/analyses/drift-blocks.js';
import { blockMedians, mannKendall, normalSf, theilSen, varianceFactor } from '../src/judge/analyses/trend-stats.js';
import { validateProfile } from '../src/config/validate.js';
import { encodeHistogram, newHistogram, percentilesMs, toMicros } from '../src/results/histograms.js';
import type { SeriesPoint } from '../src/results/series-types.js';
import { gaussian, seededRandom, type Random } from '../src/util/random.js';

const BUCKET = 1000;

/** AR(1) noise: each value keeps `phi` of the last one, as bucket series of a real run do. */
function ar1(rand: Random, n: number, phi: number, sd: number): number[] {
  const out: number[] = [];
  let e = 0;
  const innovation = sd * Math.sqrt(1 - phi * phi); // keeps the marginal sd at `sd`
  for (let i = 0; i < n; i++) out.push((e = phi * e + innovation * gaussian(rand)));
  return out;
}

/**
 * A synthetic run: `n` one-second buckets, p95 = 80 ms × (1 + growth · t/T) with multiplicative
 * AR(1) noise, rps = 200 / that factor (a closed model slows down when latency grows).
 */
function run(rand: Random, o: { n?: number; growth?: number; phi?: number; sd?: number; warmup?: number; errorTo?: number } = {}): DriftInput {
  const n = o.n ?? 600;
  const noise = ar1(rand, n, o.phi ?? 0.6, o.sd ?? 0.08);
  const warmup = o.warmup ?? 0;
  const series: SeriesPoint[] = noise.map((e, i) => {
    const f = (1 + (o.growth ?? 0) * (i / n)) * Math.exp(e);
    const requests = 200;
    const errorRate = o.errorTo ? (o.errorTo * i) / n : 0;
    return { tMs: i * BUCKET, rps: 200 / f, errorRate, p50: 40 * f, p95: 80 * f, p99: 160 * f, vus: 20, requests, failed: Math.round(errorRate * requests) };
  });
  return { series, bucketMs: BUCKET, phases: warmup ? [{ name: 'warm-up', startMs: 0, endMs: warmup * BUCKET }, { name: 'steady', startMs: warmup * BUCKET, endMs: n * BUCKET }] : [] };
}

const failed = (input: DriftInput, metric = 'p95') => judgeDrift(input).find((c) => c.metric === metric)!.status === 'fail';

describe('trend statistics', () => {
  it('Theil–Sen recovers a line through outliers that least squares would follow', () => {
    const x = Array.from({ length: 40 }, (_, i) => i);
    const y = x.map((v) => 3 + 0.5 * v);
    y[5] = 500;
    y[30] = -400;
    const line = theilSen(x, y);
    expect(line.slope).toBeCloseTo(0.5, 6);
    expect(line.intercept).toBeCloseTo(3, 6);
  });

  it('Mann–Kendall S counts concordant minus discordant pairs, and ties shrink its variance', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(mannKendall(x, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).s).toBe(45);
    expect(mannKendall(x, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]).s).toBe(-45);
    // y = [1, 2, 2, 3, 4]: S = 9, Var(S) = (5·4·15 − 2·1·9)/18 = 15.667 with one tied pair (vs 16.667
    // without), so z = (9 − 1)/√15.667 = 2.0211 before the autocorrelation factor.
    const tied = mannKendall([0, 1, 2, 3, 4], [1, 2, 2, 3, 4]);
    expect(tied.s).toBe(9);
    expect(tied.z * Math.sqrt(tied.varianceFactor)).toBeCloseTo(8 / Math.sqrt(282 / 18), 6);
    // A constant series has no variance at all: no trend, not a division by zero.
    expect(mannKendall(x, x.map(() => 0))).toMatchObject({ z: 0, pValue: 1 });
  });

  it('the normal tail matches known values', () => {
    expect(normalSf(0)).toBeCloseTo(0.5, 6);
    expect(normalSf(1.959964)).toBeCloseTo(0.025, 5);
    expect(normalSf(-2.326348)).toBeCloseTo(0.99, 5);
  });

  it('the autocorrelation correction keeps the false-alarm rate near alpha on AR(1) healthy series; plain Mann–Kendall does not', () => {
    const rand = seededRandom(7);
    const trials = 300;
    let corrected = 0;
    let plain = 0;
    for (let t = 0; t < trials; t++) {
      const y = ar1(rand, 120, 0.6, 1);
      const x = y.map((_, i) => i);
      const r = mannKendall(x, y);
      if (r.pValue < 0.05) corrected++;
      // Without the correction: the same S on the uncorrected variance.
      if (2 * normalSf(Math.abs(r.z) * Math.sqrt(r.varianceFactor)) < 0.05) plain++;
    }
    expect(plain / trials).toBeGreaterThan(0.2);
    expect(corrected / trials).toBeLessThan(0.08);
  });

  it('barely corrects independent noise, and keeps most of the power on a real trend', () => {
    const rand = seededRandom(11);
    const x = Array.from({ length: 100 }, (_, i) => i);
    const factors = Array.from({ length: 50 }, () => varianceFactor(x, x.map(() => gaussian(rand)))).sort((a, b) => a - b);
    expect(factors[25]).toBeLessThan(1.1);
    let found = 0;
    for (let t = 0; t < 100; t++) {
      const y = ar1(rand, 100, 0.3, 1).map((v, i) => v + (1.5 * i) / 100);
      if (mannKendall(x, y).pValue < 0.05) found++;
    }
    expect(found).toBeGreaterThan(80);
  });

  it('block medians bound the points and skip empty buckets', () => {
    const x = Array.from({ length: 1000 }, (_, i) => i);
    const y = x.map((v) => (v % 10 === 0 ? null : v));
    const b = blockMedians(x, y, 120);
    expect(b.x.length).toBeLessThanOrEqual(120);
    expect(b.y.every((v) => Number.isFinite(v))).toBe(true);
    expect(theilSen(b.x, b.y).slope).toBeCloseTo(1, 1);
  });
});

describe('judgeDrift', () => {
  it('passes autocorrelated healthy runs (false-alarm rate) and fails leaking ones (detection rate)', () => {
    const rand = seededRandom(2026);
    const trials = 200;
    let falseAlarms = 0;
    let detected = 0;
    for (let t = 0; t < trials; t++) {
      if (judgeDrift(run(rand)).some((c) => c.status === 'fail')) falseAlarms++;
      if (failed(run(rand, { growth: 0.4 }))) detected++;
    }
    expect(falseAlarms / trials).toBeLessThanOrEqual(0.02);
    expect(detected / trials).toBeGreaterThanOrEqual(0.95);
  });

  it('takes p95 per block from the merged bucket histograms when the run has them', () => {
    // 150 requests a second: 95.5 % fast (~10 ms, leaking +40 % over the run), 4.5 % slow (250 ms).
    // A bucket's own p95 flips between the two groups with the count of slow requests in it.
    const rand = seededRandom(13);
    const trials = 10;
    let withHist = 0;
    for (let t = 0; t < trials; t++) {
      const n = 300;
      const series: SeriesPoint[] = [];
      const buckets: string[] = [];
      for (let i = 0; i < n; i++) {
        const h = newHistogram(64, 3);
        const leak = 1 + (0.4 * i) / n;
        for (let k = 0; k < 150; k++) h.recordValue(toMicros(rand() < 0.045 ? 250 : 10 * leak * Math.exp(0.1 * gaussian(rand))));
        const [p50, p95, p99] = percentilesMs(h, [0.5, 0.95, 0.99]) as number[];
        series.push({ tMs: i * BUCKET, rps: 150, errorRate: 0, p50: p50!, p95: p95!, p99: p99!, vus: 10, requests: 150, failed: 0 });
        buckets.push(encodeHistogram(h));
      }
      // The series' own p95 is made flat: only the histograms still carry the leak.
      const flat = series.map((p) => ({ ...p, p95: 10 }));
      const input: DriftInput = { series: flat, bucketMs: BUCKET, phases: [], histograms: { buckets } };
      if (failed(input)) withHist++;
      expect(failed({ ...input, histograms: undefined })).toBe(false);
    }
    expect(withHist).toBeGreaterThanOrEqual(9);
  });

  it('cuts a short run into the minimum number of blocks, not one fewer', () => {
    const buckets = Array.from({ length: 18 }, (_, i) => {
      const h = newHistogram(64, 3);
      for (let k = 0; k < 100; k++) h.recordValue(toMicros(10 + i));
      return { tMs: i * BUCKET, requests: 100, histogram: encodeHistogram(h) };
    });
    const b = histogramBlocks(buckets, 0.99, 10, 120);
    expect(b.y).toHaveLength(10);
    expect(b.x[0]).toBeCloseTo(0, 6);
    expect(b.y[9]!).toBeCloseTo(27, 0);
  });

  it('passes a significant trend smaller than the tolerance, and an improving one', () => {
    const rand = seededRandom(3);
    const small = judgeDrift(run(rand, { growth: 0.1, sd: 0.02 })).find((c) => c.metric === 'p95')!;
    expect(small.drift?.direction).toBe('rising');
    expect(small.status).toBe('pass');
    const better = judgeDrift(run(rand, { growth: -0.4 })).find((c) => c.metric === 'p95')!;
    expect(better.drift?.direction).toBe('falling');
    expect(better.status).toBe('pass');
  });

  it('judges throughput falling and error rate rising as the bad directions', () => {
    const rand = seededRandom(4);
    const leaking = judgeDrift(run(rand, { growth: 0.6 }));
    expect(leaking.find((c) => c.metric === 'rps')).toMatchObject({ status: 'fail', kind: 'drift' });
    const errors = judgeDrift(run(rand, { errorTo: 0.05 })).find((c) => c.metric === 'errorRate')!;
    expect(errors.status).toBe('fail');
    expect(errors.measured).toBeGreaterThan(0.04);
  });

  it('returns the fitted line: from/to at the window edges, close to the true growth', () => {
    const rand = seededRandom(5);
    const c = judgeDrift(run(rand, { growth: 0.5, n: 900, warmup: 60 })).find((x) => x.metric === 'p95')!;
    const trend = c.drift!;
    expect(trend.startMs).toBeGreaterThanOrEqual(60 * BUCKET);
    expect(trend.endMs).toBeGreaterThan(800 * BUCKET);
    // The true line: 80·(1 + 0.5·t/900 s); fitted within 10 %.
    const truth = (ms: number) => 80 * (1 + 0.5 * (ms / BUCKET / 900));
    expect(trend.from / truth(trend.startMs)).toBeGreaterThan(0.9);
    expect(trend.from / truth(trend.startMs)).toBeLessThan(1.1);
    expect(trend.to / truth(trend.endMs)).toBeGreaterThan(0.9);
    expect(trend.to / truth(trend.endMs)).toBeLessThan(1.1);
    expect(trend.slopePerMin).toBeCloseTo((80 * 0.5 * 60) / 900, 0);
  });

  it('leaves the warm-up out: a slow cold start does not hide a leak after it', () => {
    const rand = seededRandom(6);
    const input = run(rand, { n: 360, warmup: 60, growth: 0.4, sd: 0.03 });
    // Cold caches: the warm-up starts 3× slower and settles to the steady level.
    input.series = input.series.map((p, i) => (i < 60 ? { ...p, p95: (p.p95 ?? 0) * (3 - (2 * i) / 60) } : p));
    const judged = judgeDrift(input).find((c) => c.metric === 'p95')!;
    expect(judged).toMatchObject({ status: 'fail', drift: { direction: 'rising' } });
    expect(judged.drift!.startMs).toBeGreaterThanOrEqual(60 * BUCKET);
    const whole = judgeDrift(input, { warmupSeconds: 0 }).find((c) => c.metric === 'p95')!;
    expect(whole.drift!.startMs).toBeLessThan(5 * BUCKET);
    expect(whole.status).toBe('pass');
  });

  it('watches probe series (memory) and says inconclusive when the run is too short', () => {
    const rand = seededRandom(8);
    const input = run(rand, { n: 300 });
    input.probes = [{ name: 'memory', points: input.series.map((p, i) => ({ atMs: p.tMs, value: 64e6 * (1 + i / 300) })) }];
    expect(judgeDrift(input).find((c) => c.metric === 'memory')).toMatchObject({ status: 'fail', scope: 'probe' });
    const short = judgeDrift(run(rand, { n: 8 }));
    expect(short.every((c) => c.status === 'inconclusive')).toBe(true);
  });

  it('is on by default for soak only, and sla.drift is validated', () => {
    expect(driftEnabled(undefined, 'soak')).toBe(true);
    expect(driftEnabled(undefined, 'sustained')).toBe(false);
    expect(driftEnabled({ enabled: true }, 'spike')).toBe(true);
    expect(driftEnabled({ enabled: false }, 'soak')).toBe(false);
    const input = run(seededRandom(12), { n: 120 });
    expect(driftChecks(undefined, 'sustained', input)).toEqual([]);
    expect(driftChecks({ metrics: ['p95'] }, 'soak', input).map((c) => c.metric)).toEqual(['p95']);
    const ok = validateProfile({ baseUrl: 'http://127.0.0.1:1', workload: { requests: [{ name: 'a', path: '/' }] }, sla: { drift: { tolerancePct: 10, metrics: ['p95'] } } }, 'profiles/x.yaml');
    expect(ok.sla?.drift?.tolerancePct).toBe(10);
    expect(() => validateProfile({ baseUrl: 'http://127.0.0.1:1', workload: { requests: [{ name: 'a', path: '/' }] }, sla: { drift: { tolerancePct: 'big' } } }, 'profiles/x.yaml')).toThrow(/profiles\/x\.yaml: \/sla\/drift\/tolerancePct: must be number \(got "big"\)/);
    expect(() => validateProfile({ baseUrl: 'http://127.0.0.1:1', workload: { requests: [{ name: 'a', path: '/' }] }, sla: { drift: { metrics: ['p96'] } } }, 'profiles/x.yaml')).toThrow(/\/sla\/drift\/metrics\/0/);
    expect(() => validateProfile({ baseUrl: 'http://127.0.0.1:1', workload: { requests: [{ name: 'a', path: '/' }] }, sla: { drift: { tolerance: 5 } } }, 'profiles/x.yaml')).toThrow(/unknown key "tolerance"/);
  });
});
