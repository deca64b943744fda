// The sequential gate's error rates over many seeded simulated gates (issue 15).
import { describe, expect, it } from 'vitest';
import type { BaselineRun, RunValues } from '../src/baselines/types.js';
import { sequentialLook, type Outcome } from '../src/judge/baseline/sequential.js';
import { lookLevel, obfSpent } from '../src/judge/baseline/spending.js';
import { seededRandom } from '../src/util/random.js';
import { asRun, simulatedRun, uniform } from './helpers/simulated-runs.js';

describe('O’Brien–Fleming-type alpha spending (Lan–DeMets)', () => {
  it('spends almost nothing early and exactly α by the end', () => {
    // Textbook values for α = 0.05: α(0.5) = 2 − 2Φ(1.96/√0.5) ≈ 0.00557; α(1) = 0.05.
    expect(obfSpent(0.5, 0.05)).toBeCloseTo(0.00557, 4);
    expect(obfSpent(1, 0.05)).toBe(0.05);
    expect(obfSpent(0, 0.05)).toBe(0);
    const K = 6;
    const levels = Array.from({ length: K }, (_, i) => lookLevel(i + 1, K, 0.01));
    expect(levels.reduce((s, x) => s + x, 0)).toBeCloseTo(0.01, 12);
    for (let i = 1; i < K; i++) expect(levels[i]!).toBeGreaterThan(levels[i - 1]!);
  });
});

function gate(rand: () => number, shift: number, K: number, alpha: number): { outcome: Outcome; status: string; pairs: number } {
  const refs: BaselineRun[] = [];
  const cands: RunValues[] = [];
  for (let k = 1; k <= K; k++) {
    // Between-run spread 1.2 × the within-run standard error: inside the judge's floors.
    refs.push(asRun(simulatedRun(rand, uniform(1), 0.03, 0.025), k));
    cands.push(simulatedRun(rand, uniform(shift), 0.03, 0.025));
    const look = sequentialLook(refs, cands, k, K, { alpha, tolerances: { latencyPct: 5 } });
    const status = look.checks.some((c) => c.status === 'fail') ? 'fail' : look.checks.some((c) => c.status === 'inconclusive') ? 'inconclusive' : 'pass';
    if (look.outcome !== 'continue') return { outcome: look.outcome, status, pairs: k };
  }
  throw new Error('unreachable');
}

function tally(seed: number, shift: number, trials: number, K = 8, alpha = 0.05) {
  const rand = seededRandom(seed);
  const out = { fail: 0, noRegression: 0, budget: 0, pairs: [] as number[] };
  for (let t = 0; t < trials; t++) {
    const g = gate(rand, shift, K, alpha);
    if (g.status === 'fail') out.fail++;
    if (g.outcome === 'no-regression') out.noRegression++;
    if (g.outcome === 'budget') out.budget++;
    out.pairs.push(g.pairs);
  }
  const sorted = [...out.pairs].sort((a, b) => a - b);
  return { fail: out.fail / trials, noRegression: out.noRegression / trials, budget: out.budget / trials, medianPairs: sorted[Math.floor(trials / 2)]! };
}

describe('sequential gate (simulated: 8 pairs at most, between-run sd 3 %, tolerance 5 %, α = 0.05)', () => {
  it('A/A: false alarms stay under α over all looks, and most gates stop early with "no regression"', () => {
    const aa = tally(1, 1, 1500);
    console.log(`A/A: fail ${(aa.fail * 100).toFixed(1)}%, no-regression ${(aa.noRegression * 100).toFixed(1)}%, budget ${(aa.budget * 100).toFixed(1)}%, median pairs ${aa.medianPairs}`);
    expect(aa.fail).toBeLessThanOrEqual(0.05);
    expect(aa.noRegression).toBeGreaterThan(0.5);
  });
  // A regression must be clearly beyond the 5 % tolerance, not just clear of zero: with runs 3 %
  // apart, +25 % takes a third pair.
  it('+25 %: detected nearly always, after a median of at most 3 pairs', () => {
    const up = tally(2, 1.25, 600);
    console.log(`+25%: fail ${(up.fail * 100).toFixed(1)}%, median pairs ${up.medianPairs}`);
    expect(up.fail).toBeGreaterThanOrEqual(0.98);
    expect(up.medianPairs).toBeLessThanOrEqual(3);
  });
  it('a change right at the 5 % tolerance is called a regression at most α of the time (it is not beyond it)', () => {
    const edge = tally(4, 1.05, 1000);
    console.log(`+5%: fail ${(edge.fail * 100).toFixed(1)}%, budget ${(edge.budget * 100).toFixed(1)}%`);
    expect(edge.fail).toBeLessThanOrEqual(0.05);
    expect(edge.budget).toBeGreaterThan(0.5); // a close call uses the budget
  });
  it('+15 % (3 × the tolerance): rarely stopped with "no regression" (≤ β = 10 %)', () => {
    const mid = tally(3, 1.15, 600);
    console.log(`+15%: fail ${(mid.fail * 100).toFixed(1)}%, no-regression ${(mid.noRegression * 100).toFixed(1)}%, median pairs ${mid.medianPairs}`);
    expect(mid.noRegression).toBeLessThanOrEqual(0.1);
    expect(mid.fail).toBeGreaterThanOrEqual(0.8);
  });
});
