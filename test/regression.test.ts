import { describe, expect, it } from 'vitest';
import type { BaselineRun, MetricValues, RunValues } from '../src/baselines/types.js';
import { fingerprintMismatch } from '../src/judge/baseline/fingerprint.js';
import { judgeRegression } from '../src/judge/baseline/regression.js';
import { holmAdjust, tCdf } from '../src/judge/baseline/stats.js';
import { fromChecks } from '../src/judge/sla/verdict.js';
import { gaussian, seededRandom } from '../src/util/random.js';

// Seeded, so the simulations are reproducible.
const prng = seededRandom;
const gauss = gaussian;

function metrics(scale: number, rpsScale: number, noise: () => number, errorRate = 0): MetricValues {
  return { p50: 8 * scale * noise(), p95: 17 * scale * noise(), p99: 40 * scale * noise(), errorRate, rps: 170 * rpsScale * noise(), requests: 1400 };
}
/** One synthetic run: latencies × `shift`, every metric with lognormal noise of sd `sigma`. */
function values(rand: () => number, shift = 1, sigma = 0.03, errorRate = 0): RunValues {
  const noise = () => Math.exp(sigma * gauss(rand));
  return {
    overall: metrics(shift, 1, noise, errorRate),
    byName: { 'read-item': metrics(shift, 0.4, noise, errorRate), health: metrics(shift * 0.1, 0.1, noise, errorRate) },
  };
}
function asRun(v: RunValues, i: number): BaselineRun {
  return {
    runId: `run-${i}`,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    status: 'pass',
    fingerprint: { planHash: 'abc', k6Version: '2.2.0', machine: 'ci-1' },
    values: v,
    histograms: { overall: '', byName: {} },
  };
}
const pool = (rand: () => number, n: number, sigma = 0.03) => Array.from({ length: n }, (_, i) => asRun(values(rand, 1, sigma), i));

/** Share of trials whose verdict is `fail` (any baseline check failed). */
function failRate(trials: number, seed: number, shift: number, candidates = 1, poolSize = 10, sigma = 0.03): { fail: number; inconclusive: number; p50Fail: number } {
  const rand = prng(seed);
  let fail = 0;
  let inconclusive = 0;
  let p50Fail = 0;
  for (let i = 0; i < trials; i++) {
    const cands = Array.from({ length: candidates }, () => values(rand, shift, sigma));
    const checks = judgeRegression(pool(rand, poolSize, sigma), cands);
    const v = fromChecks(checks).status;
    if (v === 'fail') fail++;
    if (v === 'inconclusive') inconclusive++;
    if (checks.some((c) => c.metric === 'p50' && c.scope === 'overall' && c.status === 'fail')) p50Fail++;
  }
  return { fail: fail / trials, inconclusive: inconclusive / trials, p50Fail: p50Fail / trials };
}

describe('Student t CDF', () => {
  // Upper critical values from standard t tables: P(T <= t) = q.
  const table: [number, number, number][] = [
    [6.314, 1, 0.95], [12.706, 1, 0.975], [2.92, 2, 0.95], [4.303, 2, 0.975], [2.228, 10, 0.975],
    [2.821, 9, 0.99], [3.25, 9, 0.995], [1.697, 30, 0.95], [2.75, 30, 0.995], [1.96, 1e6, 0.975], [3.1693, 10, 0.995],
  ];
  it.each(table)('t = %f, df = %f → %f', (t, df, q) => {
    expect(tCdf(t, df)).toBeCloseTo(q, 3);
    expect(tCdf(-t, df)).toBeCloseTo(1 - q, 3);
  });
  it('matches closed forms for df = 1 (Cauchy) and df = 2', () => {
    for (const t of [-5, -1, -0.3, 0, 0.7, 2, 30]) {
      expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 10);
      expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 10);
    }
  });
  it('handles fractional df monotonically, and the infinities', () => {
    expect(tCdf(2, 4.5)).toBeGreaterThan(tCdf(2, 4));
    expect(tCdf(2, 4.5)).toBeLessThan(tCdf(2, 5));
    expect(tCdf(Infinity, 3)).toBe(1);
    expect(tCdf(-Infinity, 3)).toBe(0);
    expect(Number.isNaN(tCdf(1, 0))).toBe(true);
  });
  it('Holm adjusts step-down and keeps nulls', () => {
    expect(holmAdjust([0.01, null, 0.04, 0.03])).toEqual([0.03, null, 0.06, 0.06]);
  });
});

describe('judgeRegression: detection power and false alarms (1000 simulated trials each, 3 % lognormal noise)', () => {
  it('A/A: no change → false-alarm rate <= 5 %', () => {
    const one = failRate(1000, 1, 1);
    const three = failRate(1000, 2, 1, 3);
    console.log(`A/A false alarms: 1 candidate ${(one.fail * 100).toFixed(1)}% (inconclusive ${(one.inconclusive * 100).toFixed(1)}%), 3 candidates ${(three.fail * 100).toFixed(1)}% (inconclusive ${(three.inconclusive * 100).toFixed(1)}%)`);
    expect(one.fail).toBeLessThanOrEqual(0.05);
    expect(three.fail).toBeLessThanOrEqual(0.05);
  });
  it('A/A with noisier runs (10 % and 30 %, pools of 5) still stays under 5 % false alarms', () => {
    const ten = failRate(1000, 11, 1, 1, 5, 0.1);
    const thirty = failRate(1000, 12, 1, 2, 5, 0.3);
    console.log(`A/A false alarms: 10% noise ${(ten.fail * 100).toFixed(1)}% (inconclusive ${(ten.inconclusive * 100).toFixed(1)}%), 30% noise ${(thirty.fail * 100).toFixed(1)}% (inconclusive ${(thirty.inconclusive * 100).toFixed(1)}%)`);
    expect(ten.fail).toBeLessThanOrEqual(0.05);
    expect(thirty.fail).toBeLessThanOrEqual(0.05);
  });
  it('+25 % latency → detected >= 90 %', () => {
    const one = failRate(1000, 3, 1.25);
    const three = failRate(1000, 4, 1.25, 3);
    console.log(`+25% detected: 1 candidate ${(one.fail * 100).toFixed(1)}%, 3 candidates ${(three.fail * 100).toFixed(1)}%`);
    expect(one.fail).toBeGreaterThanOrEqual(0.9);
    expect(three.fail).toBeGreaterThanOrEqual(0.9);
  });
  it('+10 % latency, exactly the tolerance: caught sometimes, never reliably (the boundary is not a regression by itself)', () => {
    const ten = failRate(1000, 5, 1.1);
    const tenThree = failRate(1000, 6, 1.1, 3);
    console.log(`+10% detected: 1 candidate ${(ten.fail * 100).toFixed(1)}%, 3 candidates ${(tenThree.fail * 100).toFixed(1)}%`);
    // Above the A/A false-alarm ceiling (the change is real) ...
    expect(ten.fail).toBeGreaterThan(0.05);
    expect(tenThree.fail).toBeGreaterThan(0.05);
    // ... but short of the near-certain detection of +25 %: a change no larger than the tolerance
    // must not fail every gate on one metric. (The gate as a whole may: it sees p50, p95 and p99,
    // each shifted by the tolerance, and any one of them above it is a real change beyond it.)
    expect(ten.p50Fail).toBeLessThan(0.7);
    expect(tenThree.p50Fail).toBeLessThan(0.7);
  });
});

describe('judgeRegression: cases', () => {
  const rand = prng(42);
  it('is inconclusive, with the reason, when the pool is too small', () => {
    const checks = judgeRegression(pool(rand, 2), [values(rand, 1.5)]);
    const p95 = checks.find((c) => c.name === 'p95 latency vs baseline (overall)')!;
    expect(p95.status).toBe('inconclusive');
    expect(p95.reason).toMatch(/2 runs.*need 3/);
    expect(p95.baseline?.pValue).toBeNull();
    expect(judgeRegression([], [values(rand)])[0]).toMatchObject({ status: 'inconclusive', reason: expect.stringMatching(/no runs/) });
  });
  it('tolerance mode passes a small change and flags a large one as inconclusive', () => {
    const checks = judgeRegression(pool(rand, 1), [values(rand, 1.5)], { smallPool: 'tolerance' });
    expect(checks.find((c) => c.metric === 'p95' && c.scope === 'overall')!.status).toBe('inconclusive');
    expect(checks.find((c) => c.metric === 'rps')!.status).toBe('pass');
  });
  it('reports an improvement as a pass', () => {
    const checks = judgeRegression(pool(rand, 10), [values(rand, 0.6)]);
    const p95 = checks.find((c) => c.name === 'p95 latency vs baseline (overall)')!;
    expect(p95).toMatchObject({ status: 'pass', kind: 'baseline', limit: '<= +10%, p < 0.01' });
    expect(p95.baseline).toMatchObject({ direction: 'improved', runs: 10, candidates: 1, tolerancePct: 10 });
    expect(p95.baseline!.changePct).toBeLessThan(-30);
  });
  it('fails a clear regression with the numbers filled in', () => {
    const checks = judgeRegression(pool(rand, 10), [values(rand, 1.4), values(rand, 1.4)]);
    const p95 = checks.find((c) => c.name === 'p95 latency vs baseline (overall)')!;
    expect(p95.status).toBe('fail');
    expect(p95.baseline).toMatchObject({ direction: 'regressed', method: expect.stringMatching(/pooled two-sample t-test/) });
    expect(p95.baseline!.pValue!).toBeLessThan(0.01);
    expect(p95.measured).toBe(p95.baseline!.candidate);
  });
  it('a big change hidden in noise is inconclusive, not pass or fail', () => {
    const noisy = pool(prng(7), 5, 0.3);
    const checks = judgeRegression(noisy, [values(prng(8), 1.2, 0)]);
    expect(checks.find((c) => c.name === 'p95 latency vs baseline (overall)')!.status).toBe('inconclusive');
  });
  it('error rate: the absolute rule fails a jump even when the pool never had errors', () => {
    const zeros = pool(rand, 10);
    const big = judgeRegression(zeros, [values(rand, 1, 0.03, 0.05)]).find((c) => c.name === 'error rate vs baseline (overall)')!;
    expect(big).toMatchObject({ status: 'fail', unit: 'ratio', baseline: { direction: 'regressed' } });
    expect(big.reason).toMatch(/\+1\.0 pp/);
    const small = judgeRegression(zeros, [values(rand, 1, 0.03, 0.0005)]).find((c) => c.name === 'error rate vs baseline (overall)')!;
    expect(small.status).toBe('pass');
    const none = judgeRegression(zeros, [values(rand)]).find((c) => c.metric === 'errorRate')!;
    expect(none).toMatchObject({ status: 'pass', baseline: { changePct: 0 } });
    // with too few runs the absolute rule still applies
    expect(judgeRegression(pool(rand, 1), [values(rand, 1, 0.03, 0.2)]).find((c) => c.metric === 'errorRate')!.status).toBe('fail');
  });
  it('judges per request name present in both, and capacity when present', () => {
    const p = pool(rand, 5).map((r, i) => ({ ...r, values: { ...r.values, capacity: 500 + i } }));
    const cand = { ...values(rand), capacity: 300 };
    cand.byName = { 'read-item': cand.byName['read-item']!, brandnew: cand.byName['health']! };
    const checks = judgeRegression(p, [cand]);
    expect(checks.some((c) => c.scope === 'read-item')).toBe(true);
    expect(checks.some((c) => c.scope === 'brandnew' || c.scope === 'health')).toBe(false);
    expect(checks.find((c) => c.metric === 'capacity')).toMatchObject({ status: 'fail', name: 'capacity vs baseline (overall)', limit: '>= -10%, p < 0.01' });
  });
  it('a capacity pool that agrees to the step: a drop of more than a step fails, one step is noise', () => {
    // A staircase in steps of 40/s found 290/s three times (as bench/capacity.mjs did at a 300/s limit).
    const p = pool(rand, 3).map((r) => ({ ...r, values: { ...r.values, capacity: 290, capacityResolution: 40 } }));
    const judge = (capacity: number) => judgeRegression(p, [{ ...values(rand), capacity, capacityResolution: 40 }]).find((c) => c.metric === 'capacity')!;
    // The limit lowered by 30 %: the staircase then finds 210/s, two steps down.
    expect(judge(210)).toMatchObject({ status: 'fail', reason: expect.stringContaining('more than one step (40.0 req/s) below every baseline run') });
    // One step down is within what the staircase's resolution can explain.
    expect(judge(250)).toMatchObject({ status: 'inconclusive', reason: expect.stringContaining('no spread') });
    expect(judge(290)).toMatchObject({ status: 'pass' });
    // Without a known resolution there is no rule to lean on.
    const bare = p.map((r) => ({ ...r, values: { ...r.values, capacityResolution: undefined } }));
    expect(judgeRegression(bare, [{ ...values(rand), capacity: 210 }]).find((c) => c.metric === 'capacity')!.status).toBe('inconclusive');
  });

  it('fingerprintMismatch lists what differs', () => {
    const p = pool(rand, 3);
    expect(fingerprintMismatch(p, { planHash: 'abc', k6Version: '2.2.0', machine: 'ci-1' })).toEqual([]);
    const diff = fingerprintMismatch(p, { planHash: 'zzz', k6Version: '2.2.0', machine: 'laptop' });
    expect(diff).toHaveLength(2);
    expect(diff[0]).toMatch(/plan hash zzz differs from 3 of 3/);
    expect(diff[1]).toMatch(/machine laptop/);
  });
});
