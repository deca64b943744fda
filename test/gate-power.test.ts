// The sequential gate's stated sensitivity (judge/gate-power.ts) against the gate itself: simulated
// gates (judge/sequential.ts, seeded) at the change it names are detected about 80 % of the time.
import { describe, expect, it } from 'vitest';
import type { BaselineRun, RunValues } from '../src/baselines/types.js';
import { gatePower, gatePowerAt, type GateDesign } from '../src/judge/gate-power.js';
import { sequentialLook } from '../src/judge/sequential.js';
import { gateSensitivity } from '../src/judge/sensitivity.js';
import { seededRandom } from '../src/util/random.js';
import { asRun, simulatedRun } from './helpers/simulated-runs.js';

const run = (rand: () => number, shift: number, between: number, within: number): RunValues => simulatedRun(rand, { p50: shift, p95: 1, p99: 1 }, between, within);

const K = 9;
const opts = { alpha: 0.01, tolerances: { latencyPct: 5 } };

/** One simulated gate; did it fail on p50, and with which family size did it judge? */
function gate(rand: () => number, shift: number, between: number, within: number): { p50Failed: boolean; family: number; refs: RunValues[]; cands: RunValues[] } {
  const refs: BaselineRun[] = [];
  const cands: RunValues[] = [];
  for (let k = 1; k <= K; k++) {
    refs.push(asRun(run(rand, 1, between, within), k));
    cands.push(run(rand, shift, between, within));
    const look = sequentialLook(refs, cands, k, K, opts);
    if (look.outcome === 'continue') continue;
    const p50 = look.checks.find((c) => c.metric === 'p50' && c.scope === 'overall')!;
    const family = look.checks.filter((c) => c.baseline?.pValue !== null && c.baseline?.pValue !== undefined).length;
    return { p50Failed: p50.status === 'fail', family, refs: refs.map((r) => r.values), cands };
  }
  throw new Error('unreachable');
}

describe('sequential gate power (simulated look by look)', () => {
  const design = (sigma: number, within: number, checks: number): GateDesign => ({ pairs: K, level: 0.01, beta: 0.1, checks, tolerancePct: 5, minPool: 3, sigma, withinSe: within, withinDf: 9, ratio: 1.5 });

  it('is monotone in the change, α-small with no change and near 1 for a large one', () => {
    const d = design(0.03, 0.025, 4);
    const ps = [0, 3, 6, 9, 12, 20].map((pct) => gatePowerAt(pct, d));
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThanOrEqual(ps[i - 1]!);
    expect(ps[0]!).toBeLessThan(0.01);
    expect(ps[5]!).toBeGreaterThan(0.99);
    const at = gatePower(d)!.detectablePct;
    expect(gatePowerAt(at, d)).toBeGreaterThanOrEqual(0.8);
    expect(gatePowerAt(at * 0.95, d)).toBeLessThan(0.8);
  });

  it('names a change the real gate procedure detects 70–90 % of the time (seeded gates)', () => {
    const rand = seededRandom(150);
    const between = 0.03;
    const within = 0.025;
    // The family the judge uses here (overall p50, p95, p99, rps: those with a test).
    const family = gate(rand, 1, between, within).family;
    const stated = gatePower(design(between, within, family))!.detectablePct;
    const trials = 600;
    let detected = 0;
    for (let t = 0; t < trials; t++) if (gate(rand, 1 + stated / 100, between, within).p50Failed) detected++;
    console.log(`stated p50 sensitivity ${stated.toFixed(1)}% (family ${family}); the gate detected it in ${((detected / trials) * 100).toFixed(1)}%`);
    expect(detected / trials).toBeGreaterThanOrEqual(0.7);
    expect(detected / trials).toBeLessThanOrEqual(0.9);
  });

  it('states a figure from a gate’s own runs, wider when the runs are noisier', () => {
    const rand = seededRandom(151);
    const quiet = gate(rand, 1, 0.01, 0.008);
    const noisy = gate(rand, 1, 0.08, 0.06);
    const input = (g: typeof quiet) => ({ refs: g.refs, cands: g.cands, pairs: K, tolerancePct: 5, alpha: 0.01, beta: 0.1, checks: 4, minPool: 3 });
    const q = gateSensitivity('p50', input(quiet))!;
    const n = gateSensitivity('p50', input(noisy))!;
    expect(q.method).toBe('sequential');
    expect(q.detectablePct).toBeGreaterThan(5); // never below the tolerance it must exceed
    expect(n.detectablePct).toBeGreaterThan(q.detectablePct);
    expect(n.belowTolerance).toBe(true);
    expect(q.belowTolerance).toBe(false);
  });
});
