// The sequential gate's power: how large a latency change `loadctl gate --budget` catches with
// 80 % power over its whole budget. Pure and seeded, so the same evidence always states the same
// figure.
//
// A fixed-sample formula (judge/sensitivity.ts) does not describe a sequential gate: the early
// looks spend almost none of α, the last look tests at what is left of it (a union bound, see
// judge/sequential.ts), and a gate may stop early with "no regression". Nor does one check: a
// change in the target's latency moves every latency check at once (p50, p95 and p99, overall and
// per request), and the gate fails when any of them fails. So the gate's own procedure is simulated
// instead, look by look, for the whole family of latency checks on the log scale:
//   - each simulated run is a vector over the checks, with the checks' own run-to-run spreads σⱼ
//     and the correlation their runs showed (the residuals' loadings, see `CheckDesign`);
//   - looks before minPool test each overall check against its within-run evidence × the
//     between/within ratio (per-request checks have none and wait), the later looks use the pooled
//     t-test floored at the within-run variance, as judge/regression.ts does;
//   - look k fails the gate when one check's p-value against the tolerance is below α_k / m_k
//     (Holm's first step over the m_k checks judged then: the gate fails when its smallest
//     p-value does); it stops with "no regression" when every check is judged and its upper
//     (1 − β_k) bound is below the tolerance.
// A change of x moves check j by x · wⱼ: all 1 for every check alike, or the p50's level over the
// check's own for the same time added to every request (a slower dependency: the p50 moves by x,
// the higher percentiles by less). The same standard-normal draws serve every candidate change
// (common random numbers), so the power is monotone in the change and a bisection finds the 80 %
// point exactly for those draws.
import { gaussian, seededRandom } from '../../util/random.js';
import { lookLevel } from './spending.js';
import { tQuantile } from './stats.js';

export interface CheckDesign {
  sigma: number; // run-to-run sd of the log value
  overall: boolean; // overall checks are judged from the first look; per-request ones from minPool
  within: { se: number; df: number; ratio: number } | null; // overall: one run's within-run evidence
  /** Unit vector: the check's noise is σ · Σₗ loadingsₗ gₗ for shared standard normals gₗ. */
  loadings: number[];
}

export interface GateDesign {
  pairs: number; // K: the pairs the budget pays for
  level: number; // family-wise α
  beta: number; // the "no regression" stop's budget
  before: number; // Holm family size at looks before minPool
  after: number; // … and from minPool on
  tolerancePct: number;
  minPool: number;
  checks: CheckDesign[];
}

// Per look, per check: is it judged, with what standard error (within-run looks), critical values.
interface LookCheck {
  tested: boolean;
  pooled: boolean;
  se: number;
  fail: number;
  bound: number;
  floor: number;
}

const PATHS = 4000;
const SEED = 0x5eed;
const WORK = 2e7; // cap on paths × runs × checks × loadings drawn

function looks(d: GateDesign): LookCheck[][] {
  const out: LookCheck[][] = [];
  for (let k = 1; k <= d.pairs; k++) {
    const pooled = k >= d.minPool;
    const alpha = lookLevel(k, d.pairs, d.level) / Math.max(1, pooled ? d.after : d.before);
    const beta = lookLevel(k, d.pairs, d.beta);
    out.push(
      d.checks.map((c) => {
        const tested = pooled || c.within !== null;
        // Within-run looks: 2k runs, each with variance (ratio·w)², averaged k per side;
        // Satterthwaite over 2k equal terms gives 2k × the batch df.
        const df = pooled ? 2 * k - 2 : 2 * k * (c.within?.df ?? 1);
        const se = c.within ? c.within.ratio * c.within.se * Math.sqrt(2 / k) : 0;
        return { tested, pooled, se, floor: c.within ? c.within.se ** 2 : 0, fail: tested ? tQuantile(1 - alpha, df) : 0, bound: tested && beta > 0 ? tQuantile(1 - beta, df) : Number.POSITIVE_INFINITY };
      }),
    );
  }
  return out;
}

/** Noise for every path, run (K references, then K candidates) and check, on shared draws. */
function noise(d: GateDesign, paths: number, seed: number): Float64Array {
  const K = d.pairs;
  const J = d.checks.length;
  const L = Math.max(...d.checks.map((c) => c.loadings.length));
  const rand = seededRandom(seed);
  const out = new Float64Array(paths * 2 * K * J);
  const g = new Float64Array(L);
  for (let r = 0; r < paths * 2 * K; r++) {
    for (let l = 0; l < L; l++) g[l] = gaussian(rand);
    for (let j = 0; j < J; j++) {
      const c = d.checks[j]!;
      let s = 0;
      for (let l = 0; l < c.loadings.length; l++) s += c.loadings[l]! * g[l]!;
      out[r * J + j] = c.sigma * s;
    }
  }
  return out;
}

// A change of x (relative: 0.1 = +10 %) moves check j by x · weights[j] (0: not at all).
function power(x: number, weights: readonly number[], d: GateDesign, ls: LookCheck[][], z: Float64Array, paths: number): number {
  const K = d.pairs;
  const J = d.checks.length;
  const delta = weights.map((w) => Math.log1p(x * w));
  const tol = Math.log(1 + d.tolerancePct / 100);
  const sx = new Float64Array(J);
  const sy = new Float64Array(J);
  const qx = new Float64Array(J);
  const qy = new Float64Array(J);
  let detected = 0;
  for (let p = 0; p < paths; p++) {
    sx.fill(0);
    sy.fill(0);
    qx.fill(0);
    qy.fill(0);
    const base = p * 2 * K * J;
    look: for (let k = 1; k <= K; k++) {
      const lc = ls[k - 1]!;
      let bounded = true;
      for (let j = 0; j < J; j++) {
        const x = z[base + (k - 1) * J + j]!;
        const y = delta[j]! + z[base + (K + k - 1) * J + j]!;
        sx[j] = sx[j]! + x;
        sy[j] = sy[j]! + y;
        qx[j] = qx[j]! + x * x;
        qy[j] = qy[j]! + y * y;
        const c = lc[j]!;
        if (!c.tested) {
          if (d.checks[j]!.overall) bounded = false; // judged, inconclusive: no early stop
          continue;
        }
        const diff = (sy[j]! - sx[j]!) / k;
        let se = c.se;
        if (c.pooled) {
          const ss = qx[j]! - (sx[j]! * sx[j]!) / k + (qy[j]! - (sy[j]! * sy[j]!) / k);
          se = Math.sqrt(Math.max(ss / (2 * k - 2), c.floor) * (2 / k));
        }
        if (diff - tol > c.fail * se) {
          detected++;
          break look;
        }
        if (!(diff <= tol && diff + c.bound * se < tol)) bounded = false;
      }
      if (bounded) break; // stopped: no regression
    }
  }
  return detected / paths;
}

export interface GatePower {
  detectablePct: number; // the change detected with the given power over the whole budget
  noiseBound: boolean; // the last look's critical change is beyond the tolerance for every moving check: noise, not the tolerance, sets the limit
}

/** A design's simulation: its looks and its draws, to ask the power of several changes. */
export interface GateSimulation {
  design: GateDesign;
  looks: LookCheck[][];
  draws: Float64Array;
  paths: number;
}

export function simulateGate(d: GateDesign, paths = PATHS, seed = SEED): GateSimulation {
  const L = Math.max(1, ...d.checks.map((c) => c.loadings.length));
  const n = Math.max(200, Math.min(paths, Math.floor(WORK / (2 * d.pairs * Math.max(1, d.checks.length) * L))));
  return { design: d, looks: looks(d), draws: noise(d, n, seed), paths: n };
}

/**
 * The change detected with the given power, when a change of x moves check j by x · weights[j]
 * (all 1: every check alike; the p50's level over each check's: the same time added to every
 * request); null when even a tenfold change would not be (no usable spread).
 */
export function gatePower(sim: GateSimulation, weights: readonly number[], target = 0.8): GatePower | null {
  const d = sim.design;
  if (d.pairs < 1 || !weights.some((w, j) => w > 0 && d.checks[j]!.sigma > 0)) return null;
  const at = (x: number) => power(x, weights, d, sim.looks, sim.draws, sim.paths);
  let lo = 0;
  let hi = 9;
  if (at(hi) < target) return null;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid) >= target) hi = mid;
    else lo = mid;
  }
  const tol = Math.log(1 + d.tolerancePct / 100);
  const last = sim.looks[d.pairs - 1]!;
  const noiseBound = d.checks.every((c, j) => {
    if (!(weights[j]! > 0) || !last[j]!.tested) return true;
    const se = last[j]!.pooled ? Math.sqrt(Math.max(c.sigma ** 2, last[j]!.floor) * (2 / d.pairs)) : last[j]!.se;
    return last[j]!.fail * se > tol;
  });
  return { detectablePct: hi * 100, noiseBound };
}

/** The power of the gate against a change of `pct` % moving the checks by `weights` (for tests and benches). */
export function gatePowerAt(pct: number, sim: GateSimulation, weights: readonly number[]): number {
  return power(pct / 100, weights, sim.design, sim.looks, sim.draws, sim.paths);
}
