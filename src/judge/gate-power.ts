// The sequential gate's power: how large a change in one metric `loadctl gate --budget` catches
// with 80 % power over its whole budget. Pure and seeded, so the same evidence always states the
// same figure.
//
// A fixed-sample formula (judge/sensitivity.ts) does not describe a sequential gate: the early
// looks spend almost none of α, the last look tests at what is left of it (a union bound, see
// judge/sequential.ts), and a gate may stop early with "no regression". So the gate's own
// procedure is simulated instead, look by look, for one metric on the log scale:
//   - runs vary between runs with sd σ (the judge's own estimate: the pooled spread floored at the
//     runs' within-run spread once there are minPool pairs, the within-run spread × the
//     between/within ratio before);
//   - looks 1 … minPool − 1 test the difference against the within-run evidence × ratio, the later
//     ones with the pooled t-test, as judge/regression.ts does;
//   - look k fails the metric when the change is clearly beyond the tolerance: its p-value against
//     the tolerance, Holm-adjusted as the smallest of `checks` (the metric that moves most is judged
//     first), is below α_k; it stops with "no regression" when the upper (1 − β_k) bound is below
//     the tolerance.
// The same standard-normal draws serve every candidate change (common random numbers), so the
// power is monotone in the change and a bisection finds the 80 % point exactly for those draws.
import { gaussian, seededRandom } from '../util/random.js';
import { lookLevel } from './sequential.js';
import { tQuantile } from './stats.js';

export interface GateDesign {
  pairs: number; // K: the pairs the budget pays for
  level: number; // family-wise α
  beta: number; // the "no regression" stop's budget
  checks: number; // Holm family size
  tolerancePct: number;
  minPool: number; // looks before this many pairs use the within-run evidence
  sigma: number; // run-to-run sd of the log metric once pooled (floored at withinSe)
  withinSe: number; // one run's within-run standard error (log scale)
  withinDf: number; // the degrees of freedom it was estimated on (batches − 1)
  ratio: number; // between/within ratio the judge applies before minPool pairs
}

interface Look {
  pooled: boolean;
  se: number; // within-run looks: the standard error of the difference
  fail: number; // critical t
  bound: number; // t quantile for the "no regression" upper bound
}

const PATHS = 4000;
const SEED = 0x5eed;

function looks(d: GateDesign): Look[] {
  const out: Look[] = [];
  for (let k = 1; k <= d.pairs; k++) {
    const pooled = k >= d.minPool;
    // Within-run looks: 2k runs, each with variance (ratio·w)², averaged k per side; Satterthwaite
    // over 2k equal terms gives 2k × the batch df.
    const df = pooled ? 2 * k - 2 : 2 * k * d.withinDf;
    const alpha = lookLevel(k, d.pairs, d.level) / Math.max(1, d.checks);
    const beta = lookLevel(k, d.pairs, d.beta);
    out.push({ pooled, se: d.ratio * d.withinSe * Math.sqrt(2 / k), fail: tQuantile(1 - alpha, df), bound: beta > 0 ? tQuantile(1 - beta, df) : Number.POSITIVE_INFINITY });
  }
  return out;
}

/** Draws: for each path, K reference and K candidate standard-normal deviates. The last set is
 *  kept: a gate states p50, p95 and p99 from the same design size and seed. */
let drawn: { key: string; z: Float64Array } | undefined;
function draws(K: number, paths: number, seed: number): Float64Array {
  const key = `${K}:${paths}:${seed}`;
  if (drawn?.key !== key) {
    const rand = seededRandom(seed);
    const z = new Float64Array(paths * 2 * K);
    for (let i = 0; i < z.length; i++) z[i] = gaussian(rand);
    drawn = { key, z };
  }
  return drawn.z;
}

function power(delta: number, d: GateDesign, ls: Look[], z: Float64Array, paths: number): number {
  const K = d.pairs;
  const tol = Math.log(1 + d.tolerancePct / 100);
  const floor = d.withinSe * d.withinSe;
  let detected = 0;
  for (let p = 0; p < paths; p++) {
    const base = p * 2 * K;
    let sx = 0;
    let sy = 0;
    let qx = 0;
    let qy = 0;
    for (let k = 1; k <= K; k++) {
      const x = d.sigma * z[base + k - 1]!;
      const y = delta + d.sigma * z[base + K + k - 1]!;
      sx += x;
      sy += y;
      qx += x * x;
      qy += y * y;
      const look = ls[k - 1]!;
      const diff = sy / k - sx / k;
      let se = look.se;
      if (look.pooled) {
        const ss = qx - (sx * sx) / k + (qy - (sy * sy) / k);
        se = Math.sqrt(Math.max(ss / (2 * k - 2), floor) * (2 / k));
      }
      if (diff - tol > look.fail * se) {
        detected++;
        break;
      }
      if (diff <= tol && diff + look.bound * se < tol) break; // stopped: no regression
    }
  }
  return detected / paths;
}

export interface GatePower {
  detectablePct: number; // the change detected with the given power over the whole budget
  noiseBound: boolean; // the last look's critical change is beyond the tolerance: noise, not the tolerance, sets the limit
}

/** What the gate detects with the given power; null when even a tenfold change would not be (no usable spread). */
export function gatePower(d: GateDesign, target = 0.8, paths = PATHS, seed = SEED): GatePower | null {
  if (!(d.sigma > 0) || !(d.withinSe > 0) || d.pairs < 1) return null;
  const ls = looks(d);
  const z = draws(d.pairs, paths, seed);
  let lo = 0;
  let hi = Math.log(10);
  if (power(hi, d, ls, z, paths) < target) return null;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (power(mid, d, ls, z, paths) >= target) hi = mid;
    else lo = mid;
  }
  const last = ls[d.pairs - 1]!;
  const se = last.pooled ? d.sigma * Math.sqrt(2 / d.pairs) : last.se;
  return { detectablePct: (Math.exp(hi) - 1) * 100, noiseBound: last.fail * se > Math.log(1 + d.tolerancePct / 100) };
}

/** The power of the gate against a change of `pct` %, on the same draws (for tests and benches). */
export function gatePowerAt(pct: number, d: GateDesign, paths = PATHS, seed = SEED): number {
  return power(Math.log(1 + pct / 100), d, looks(d), draws(d.pairs, paths, seed), paths);
}
