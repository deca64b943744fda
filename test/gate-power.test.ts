// The sequential gate's stated sensitivity (judge/gate-power.ts) against the gate itself: simulated
// gates (judge/sequential.ts, seeded) whose target slows by the change it names fail about 80 % of
// the time. The runs have overall and per-request latency checks whose noise is correlated (a
// shared component, as a busy machine gives), so the family is what is tested, not one check.
import { describe, expect, it } from 'vitest';
import type { BaselineRun, MetricValues, RunValues } from '../src/baselines/types.js';
import { gatePower, gatePowerAt, simulateGate, type CheckDesign, type GateDesign } from '../src/judge/baseline/gate-power.js';
import { latencyFamily } from '../src/judge/baseline/sensitivity-notes.js';
import { sequentialLook } from '../src/judge/baseline/sequential.js';
import { gateSensitivity } from '../src/judge/baseline/sensitivity.js';
import { gaussian, seededRandom } from '../src/util/random.js';
import { asRun } from './helpers/simulated-runs.js';

const K = 9;
const opts = { alpha: 0.01, tolerances: { latencyPct: 5 } };

// The run model. Shared standard normals per run and percentile: g0 (the machine), gA and gB (each
// request's own sampling noise). Overall = 0.6 g0 + 0.8 (gA + gB)/√2, request X = 0.5 g0 + √0.75 gX, both with
// unit variance; each percentile scales them by its own spread, the requests' by 1.3 more.
const SIGMA = { p50: 0.01, p95: 0.012, p99: 0.03 };
const LOADINGS = { overall: [0.6, 0.8 / Math.SQRT2, 0.8 / Math.SQRT2], a: [0.5, Math.sqrt(0.75), 0], b: [0.5, 0, Math.sqrt(0.75)] };
const NAME_SCALE = 1.3;
const WITHIN = 1 / 1.2; // within-run se as a share of the overall spread

// The levels of p50, p95 and p99 (ms), overall and per request alike.
const LEVEL = { p50: 40, p95: 52, p99: 64 };
type Scale = Record<keyof typeof LEVEL, number>;
const alike = (f: number): Scale => ({ p50: f, p95: f, p99: f });
/** `pct` % of the p50 added to every request: each percentile moves by that time over its level. */
const added = (pct: number): Scale => ({ p50: 1 + pct / 100, p95: 1 + ((pct / 100) * LEVEL.p50) / LEVEL.p95, p99: 1 + ((pct / 100) * LEVEL.p50) / LEVEL.p99 });

function run(rand: () => number, scale: Scale, spread = 1): RunValues {
  // Each percentile has draws of its own: p50 and p95 of one run are not the same noise.
  const g = { p50: [0, 1, 2].map(() => gaussian(rand)), p95: [0, 1, 2].map(() => gaussian(rand)), p99: [0, 1, 2].map(() => gaussian(rand)) };
  const dot = (l: number[], key: keyof typeof LEVEL) => l.reduce((s, v, i) => s + v * g[key][i]!, 0);
  const values = (l: number[], k: number, requests: number, rps: number): MetricValues => ({
    p50: LEVEL.p50 * scale.p50 * Math.exp(spread * SIGMA.p50 * k * dot(l, 'p50')),
    p95: LEVEL.p95 * scale.p95 * Math.exp(spread * SIGMA.p95 * k * dot(l, 'p95')),
    p99: LEVEL.p99 * scale.p99 * Math.exp(spread * SIGMA.p99 * k * dot(l, 'p99')),
    errorRate: 0,
    rps,
    requests,
  });
  const est = (sigma: number) => {
    let chi = 0;
    for (let i = 0; i < 9; i++) chi += gaussian(rand) ** 2;
    return { se: spread * sigma * WITHIN * Math.sqrt(chi / 9), df: 9 };
  };
  return {
    overall: values(LOADINGS.overall, 1, 3000, 300 * Math.exp(0.01 * gaussian(rand))),
    // 1000 requests each: p50 and p95 are judged per request, p99 is not (too few beyond it).
    byName: { a: values(LOADINGS.a, NAME_SCALE, 1000, 100), b: values(LOADINGS.b, NAME_SCALE, 1000, 200) },
    within: { batches: 10, p50: est(SIGMA.p50), p95: est(SIGMA.p95), p99: est(SIGMA.p99), rps: est(0.01) },
  };
}

interface Gate {
  failed: boolean; // on a latency check
  refs: RunValues[];
  cands: RunValues[];
}

function gate(rand: () => number, scale: Scale, spread = 1): Gate {
  const refs: BaselineRun[] = [];
  const cands: RunValues[] = [];
  for (let k = 1; k <= K; k++) {
    refs.push(asRun(run(rand, alike(1), spread), k));
    cands.push(run(rand, scale, spread));
    const look = sequentialLook(refs, cands, k, K, opts);
    if (look.outcome === 'continue') continue;
    const failed = look.checks.some((c) => c.status === 'fail' && c.unit === 'ms');
    return { failed, refs: refs.map((r) => r.values), cands };
  }
  throw new Error('unreachable');
}

/** The design of these gates from the run model's true spreads and correlation. */
function trueDesign(): { design: GateDesign; keys: string[] } {
  const rand = seededRandom(7);
  const three = () => [0, 1, 2].map(() => run(rand, alike(1)));
  const family = latencyFamily(three(), three());
  const checks: CheckDesign[] = family.members.map((m) => {
    const overall = m.scope === 'overall';
    const sigma = SIGMA[m.key] * (overall ? 1 : NAME_SCALE);
    // Each percentile's three draws sit at their own offset among nine.
    const offset = 3 * ['p50', 'p95', 'p99'].indexOf(m.key);
    const loadings = Array.from({ length: 9 }, (_, i) => (i >= offset && i < offset + 3 ? LOADINGS[m.scope as keyof typeof LOADINGS][i - offset]! : 0));
    return { sigma, overall, within: overall ? { se: SIGMA[m.key] * WITHIN, df: 9, ratio: { p50: 1.5, p95: 3, p99: 4 }[m.key] } : null, loadings };
  });
  return { design: { pairs: K, level: 0.01, beta: 0.1, before: family.before, after: family.after, tolerancePct: 5, minPool: 3, checks }, keys: family.members.map((m) => `${m.scope} ${m.key}`) };
}

describe('sequential gate power (the latency family, simulated look by look)', () => {
  const { design, keys } = trueDesign();
  const all = design.checks.map(() => 1);
  // The same time added to every request: each check moves by the p50's level over its own.
  const addedWeights = keys.map((k) => LEVEL.p50 / LEVEL[k.split(' ')[1] as keyof typeof LEVEL]);

  it('judges the family the judge does: overall p50/p95/p99 and p50/p95 per request', () => {
    expect(keys).toEqual(['overall p50', 'overall p95', 'overall p99', 'a p50', 'a p95', 'b p50', 'b p95']);
    expect(design.before).toBe(4); // overall p50, p95, p99 and throughput have within-run evidence
    expect(design.after).toBe(4 + 4 + 0); // + the per-request latencies; all-zero error rates have no spread
  });

  it('is monotone in the change, α-small with no change and near 1 for a large one', () => {
    const sim = simulateGate(design);
    const ps = [0, 3, 6, 9, 12, 20].map((pct) => gatePowerAt(pct, sim, all));
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThanOrEqual(ps[i - 1]!);
    expect(ps[0]!).toBeLessThan(0.01);
    expect(ps[5]!).toBeGreaterThan(0.99);
    const at = gatePower(sim, all)!.detectablePct;
    expect(gatePowerAt(at, sim, all)).toBeGreaterThanOrEqual(0.8);
    expect(gatePowerAt(at * 0.97, sim, all)).toBeLessThan(0.8);
  });

  it('needs a larger change when fewer checks move, or when they move together', () => {
    const sim = simulateGate(design);
    const every = gatePower(sim, all)!.detectablePct;
    const addedTime = gatePower(sim, addedWeights)!.detectablePct;
    const p50 = gatePower(sim, keys.map((k) => (k.endsWith('p50') ? 1 : 0)))!.detectablePct;
    const overallP50 = gatePower(sim, keys.map((_, j) => (j === 0 ? 1 : 0)))!.detectablePct;
    expect(every).toBeLessThan(addedTime); // p95 and p99 move less when time is added
    expect(addedTime).toBeLessThanOrEqual(p50); // p95 and p99 are noisier: p50 fails first
    expect(p50).toBeLessThan(overallP50);
    const lockstep = simulateGate({ ...design, checks: design.checks.map((c) => ({ ...c, loadings: [1] })) });
    expect(gatePower(lockstep, all)!.detectablePct).toBeGreaterThan(every);
  });

  // The real gate (sequentialLook) on seeded runs, at the change the simulation names.
  const detection = (weights: number[], scale: (pct: number) => Scale, seed: number) => {
    const stated = gatePower(simulateGate(design), weights)!.detectablePct;
    const rand = seededRandom(seed);
    const trials = 600;
    let detected = 0;
    for (let t = 0; t < trials; t++) if (gate(rand, scale(stated)).failed) detected++;
    return { stated, rate: detected / trials };
  };

  it('names a change the real gate procedure detects 70–90 % of the time: the same time added to every request', () => {
    const { stated, rate } = detection(addedWeights, added, 150);
    console.log(`stated: +${stated.toFixed(2)}% of the p50 added to every request (7 checks); the gate detected it in ${(rate * 100).toFixed(1)}%`);
    expect(rate).toBeGreaterThanOrEqual(0.7);
    expect(rate).toBeLessThanOrEqual(0.9);
  });

  it('… and every latency check slower alike', () => {
    const { stated, rate } = detection(all, (pct) => alike(1 + pct / 100), 153);
    console.log(`stated: every latency +${stated.toFixed(2)}%; the gate detected it in ${(rate * 100).toFixed(1)}%`);
    expect(rate).toBeGreaterThanOrEqual(0.7);
    expect(rate).toBeLessThanOrEqual(0.9);
  });

  it('states from a gate’s own runs what the true design gives, and more when the runs are noisier', () => {
    const rand = seededRandom(151);
    const input = (g: Gate) => ({ family: latencyFamily(g.refs, g.cands), pairs: K, tolerancePct: 5, alpha: 0.01, beta: 0.1, minPool: 3 });
    // At the tolerance the gate uses its whole budget: 9 runs a side to estimate from.
    const stated = [0, 1, 2, 3, 4].map(() => gateSensitivity(input(gate(rand, added(5)))));
    const truth = gatePower(simulateGate(design), addedWeights)!.detectablePct;
    const figures = stated.map((s) => s.find((x) => x.metric === 'latency')!.detectablePct).sort((a, b) => a - b);
    console.log(`true design ${truth.toFixed(2)}%; stated from the gates' runs ${figures.map((f) => f.toFixed(2)).join(', ')}%`);
    expect(Math.abs(figures[2]! - 5 - (truth - 5))).toBeLessThan(0.35 * (truth - 5));
    for (const s of stated) expect(s.map((x) => x.metric)).toEqual(['latency', 'p50', 'p95', 'p99']);
    const noisy = gateSensitivity(input(gate(seededRandom(152), alike(1), 8)));
    const quiet = stated[0]!;
    expect(noisy[0]!.detectablePct).toBeGreaterThan(quiet[0]!.detectablePct);
    expect(noisy[0]!.belowTolerance).toBe(true);
    expect(quiet[0]!.belowTolerance).toBe(false);
    expect(quiet[0]!.detectablePct).toBeGreaterThan(5); // never below the tolerance it must exceed
  });
});
