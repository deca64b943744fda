import { describe, expect, it } from 'vitest';
import { pooledTest, satterthwaite, tCdf, tQuantile, tSf, zCdf, zQuantile } from '../src/judge/baseline/stats.js';

// Textbook values: Student's t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2) and the standard
// normal table.
describe('distribution functions (stdlib)', () => {
  it.each([
    [0.975, 1, 12.706],
    [0.975, 5, 2.571],
    [0.975, 10, 2.228],
    [0.95, 20, 1.725],
    [0.99, 9, 2.821],
    [0.995, 30, 2.75],
  ])('t quantile %d with df %d is %d', (p, df, t) => {
    expect(tQuantile(p, df)).toBeCloseTo(t, 3);
    expect(tCdf(t, df)).toBeCloseTo(p, 3);
  });
  it('keeps tiny upper tails precise', () => {
    // P(T > 40) with df 30: ~1e-27; computed as 1 - cdf it would round to 0.
    const p = tSf(40, 30);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-20);
  });
  it('normal CDF and quantile', () => {
    expect(zCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(zQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(zQuantile(0.99)).toBeCloseTo(2.326348, 5);
  });
});

describe('pooledTest', () => {
  it('one candidate is the prediction-interval test', () => {
    const pool = [1, 2, 3, 4, 5];
    const r = pooledTest(pool, [7])!;
    // s = √2.5, t = (7 − 3) / (s·√(1 + 1/5))
    expect(r.t).toBeCloseTo(4 / (Math.sqrt(2.5) * Math.sqrt(1.2)), 10);
    expect(r.df).toBe(4);
  });
  it('two candidates keep the pool’s degrees of freedom', () => {
    const r = pooledTest([0, 0.01, -0.01, 0.005, -0.005], [0.22, 0.23])!;
    expect(r.df).toBe(5);
    expect(r.pGreater).toBeLessThan(1e-6);
  });
  it('a floor variance takes over from a pool that agrees by chance', () => {
    const plain = pooledTest([0, 0.0001, -0.0001], [0.05])!;
    const floored = pooledTest([0, 0.0001, -0.0001], [0.05], 0.03 ** 2)!;
    expect(floored.pGreater).toBeGreaterThan(plain.pGreater);
    expect(floored.method).toMatch(/floored/);
  });
  it('Satterthwaite df of equal terms adds the df', () => {
    expect(satterthwaite([{ v: 1, df: 9 }, { v: 1, df: 9 }])).toBeCloseTo(18, 10);
  });
});
