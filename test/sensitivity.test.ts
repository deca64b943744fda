// The stated sensitivity must agree with how often the judge really detects the change it names.
import { describe, expect, it } from 'vitest';
import type { BaselineRun, MetricValues, RunValues } from '../src/baselines/types.js';
import { judgeRegression } from '../src/judge/baseline/regression.js';
import { sensitivityNotes } from '../src/judge/baseline/sensitivity-notes.js';
import { sensitivity } from '../src/judge/baseline/sensitivity.js';
import { gaussian, seededRandom } from '../src/util/random.js';

function run(rand: () => number, shift: number, sigma: number): RunValues {
  const noise = () => Math.exp(sigma * gaussian(rand));
  const m = (): MetricValues => ({ p50: 40 * shift * noise(), p95: 60 * shift * noise(), p99: 80 * shift * noise(), errorRate: 0, rps: 300 * noise(), requests: 3000 });
  return { overall: m(), byName: {}, within: { batches: 10, p95: { se: sigma / 2, df: 9 }, p50: { se: sigma / 2, df: 9 }, p99: { se: sigma / 2, df: 9 }, rps: { se: sigma / 2, df: 9 } } };
}
const asRun = (values: RunValues, i: number): BaselineRun => ({ runId: `r${i}`, startedAt: '2026-01-01T00:00:00Z', status: 'pass', fingerprint: { planHash: 'a', k6Version: '2.2.0', machine: 'm' }, values, histograms: { overall: '', byName: {} } });

describe('stated sensitivity', () => {
  it('the change named as detectable with 80 % power is detected 70–90 % of the time', () => {
    const rand = seededRandom(80);
    const sigma = 0.05;
    const opts = { tolerances: { latencyPct: 5 } };
    // The stated figure for a typical pool of 6 with 2 candidates.
    const pool0 = Array.from({ length: 6 }, (_, i) => asRun(run(rand, 1, sigma), i));
    const checks0 = judgeRegression(pool0, [run(rand, 1, sigma), run(rand, 1, sigma)], opts);
    const family = checks0.filter((c) => c.baseline?.pValue !== null && c.baseline?.pValue !== undefined).length;
    const trials = 600;
    let detected = 0;
    let statedSum = 0;
    for (let t = 0; t < trials; t++) {
      const pool = Array.from({ length: 6 }, (_, i) => asRun(run(rand, 1, sigma), i));
      // What the judge states for this pool, then a change of exactly that size.
      const s = sensitivity('p95', { pool: pool.map((r) => r.values), candidates: 2, tolerancePct: 5, alpha: 0.01, checks: family, minPool: 3 })!;
      statedSum += s.detectablePct;
      const shift = 1 + s.detectablePct / 100;
      const checks = judgeRegression(pool, [run(rand, shift, sigma), run(rand, shift, sigma)], opts);
      if (checks.find((c) => c.metric === 'p95' && c.scope === 'overall')!.status === 'fail') detected++;
    }
    console.log(`stated p95 sensitivity (mean) ${(statedSum / trials).toFixed(1)}%, detected ${((detected / trials) * 100).toFixed(1)}%`);
    expect(detected / trials).toBeGreaterThanOrEqual(0.7);
    expect(detected / trials).toBeLessThanOrEqual(0.9);
  });

  it('flags a tolerance below what the judgement can see, and says when it has no evidence to state one', () => {
    const rand = seededRandom(81);
    const noisy = Array.from({ length: 3 }, (_, i) => asRun(run(rand, 1, 0.2), i));
    const lines = sensitivityNotes(noisy, 1, { tolerances: { latencyPct: 5 } }, 5);
    expect(lines[0]).toMatch(/^this judgement detects p95 changes >= \d+\.\d% with 80% power \(tolerance 5%\)/);
    expect(lines[1]).toMatch(/^warning: the 5% latency tolerance is below/);
    const bare = noisy.map((r) => ({ ...r, values: { overall: r.values.overall, byName: {} } }));
    expect(sensitivityNotes(bare.slice(0, 1), 1, {}, 5)).toEqual(['this judgement cannot state the smallest p95 change it detects: 1 baseline run (a spread needs 3) and no within-run p95 evidence (too few requests per time batch)']);
  });
});
