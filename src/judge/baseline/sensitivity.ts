// The smallest change a baseline judgement could have caught: "this gate detects p95 changes
// ≥ 7 % with 80 % power". Pure. Mirrors the tests judge/regression.ts runs: the pool's spread
// (floored at the runs' within-run spread) with df n + m − 2 when the pool is big enough, else the
// within-run evidence times the between/within ratio.
//
// A check fails when the change is beyond the tolerance AND significant at α/k (Holm's first step
// over k checks, the worst case). For a true change δ (log scale) the estimate is ~ δ ± SE, so 80 %
// power needs δ − t₀.₈·SE above both the tolerance and the critical value crit·SE:
//   δ₈₀ = max(log(1 + tol), crit·SE) + t₀.₈·SE.
import type { RunValues } from '../../baselines/types.js';
import { mean, pooledVariance, satterthwaite, tQuantile, variance } from './stats.js';
import { gatePower, simulateGate, type CheckDesign, type GateSimulation } from './gate-power.js';
import { BETWEEN_WITHIN_RATIO, typicalSpread, type Spread, type WithinKey } from './within-run.js';

type LatencyKey = 'p50' | 'p95' | 'p99';

export interface Sensitivity {
  metric: WithinKey | 'latency'; // 'latency': the same time added to every request, as a share of the p50
  detectablePct: number; // change detected with 80 % power
  tolerancePct: number;
  belowTolerance: boolean; // the tolerance is smaller than what the judgement can see
  method: 'pool' | 'within-run' | 'sequential';
  pairs?: number; // sequential: the budget's pairs the figure is for
  checks?: number; // sequential: how many latency checks the change moves
  addedMs?: number; // 'latency': the time added to every request that the change is
}

export interface SensitivityInput {
  pool: RunValues[];
  candidates: number; // runs the candidate side will have
  tolerancePct: number;
  alpha: number; // family-wise
  checks: number; // size of the Holm family
  minPool: number;
  power?: number; // default 0.8
}

/** Sensitivity for one overall latency or throughput metric (log scale); null when nothing to go on. */
export function sensitivity(metric: 'p50' | 'p95' | 'p99' | 'rps', o: SensitivityInput): Sensitivity | null {
  const logs = o.pool.map((r) => r.overall[metric]).filter((x) => x > 0).map(Math.log);
  const n = logs.length;
  const m = o.candidates;
  if (n === 0 || m === 0) return null;
  const within = typicalSpread(o.pool, metric);
  let se: number;
  let df: number;
  let method: Sensitivity['method'];
  if (n >= o.minPool) {
    const v = Math.max(variance(logs), within ? within.se ** 2 : 0);
    se = Math.sqrt(v * (1 / n + 1 / m));
    df = n + m - 2;
    method = 'pool';
  } else if (within) {
    const r = BETWEEN_WITHIN_RATIO[metric];
    const w2 = within.se ** 2;
    const batchDf = within.df;
    const terms = [...Array.from({ length: n }, () => ({ v: (r * r * w2) / (n * n), df: batchDf })), ...Array.from({ length: m }, () => ({ v: (r * r * w2) / (m * m), df: batchDf }))];
    se = Math.sqrt(terms.reduce((s, t) => s + t.v, 0));
    df = satterthwaite(terms);
    method = 'within-run';
  } else return null;
  if (!(se > 0)) return null;
  const crit = tQuantile(1 - o.alpha / Math.max(1, o.checks), df);
  const delta = Math.max(Math.log(1 + o.tolerancePct / 100), crit * se) + tQuantile(o.power ?? 0.8, df) * se;
  const detectablePct = (Math.exp(delta) - 1) * 100;
  // The tolerance itself is never "detected with 80 % power" (a change exactly at it is beyond it
  // half the time): flag it only when noise, not the tolerance, sets the limit.
  return { metric, detectablePct, tolerancePct: o.tolerancePct, belowTolerance: crit * se > Math.log(1 + o.tolerancePct / 100), method };
}

export interface GateSensitivityInput {
  family: LatencyFamily; // the runs' latency checks so far, and the Holm family sizes before and from minPool
  pairs: number; // the pairs the budget pays for
  tolerancePct: number;
  alpha: number;
  beta: number;
  minPool: number;
}

/**
 * What a sequential gate (judge/sequential.ts) detects with 80 % power over its whole budget, from
 * the runs so far: first a slowdown that adds the same time to every request (what a slower
 * dependency or an extra query does; given as a share of the p50, so it moves the p50 checks by
 * that share and the higher percentiles by less), then a change in each percentile alone (overall
 * and per request). Simulated look by look over the whole family (judge/gate-power.ts). Each
 * check's spread is the judge's own: the runs' pooled
 * spread floored at their within-run spread once there are minPool pairs, before that the
 * within-run spread × the between/within ratio (overall checks) or the runs' spread (per request);
 * the checks' correlation is the one their runs showed.
 */
export function gateSensitivity(o: GateSensitivityInput): Sensitivity[] {
  const model = gateModel(o);
  if (!model) return [];
  const { sim, keys } = model;
  const out: Sensitivity[] = [];
  const state = (metric: Sensitivity['metric'], weights: number[], median?: number) => {
    const p = gatePower(sim, weights);
    if (!p) return;
    const added = median !== undefined ? { addedMs: (p.detectablePct / 100) * median } : {};
    out.push({ metric, detectablePct: p.detectablePct, tolerancePct: o.tolerancePct, belowTolerance: p.noiseBound, method: 'sequential', pairs: o.pairs, checks: weights.filter((w) => w > 0).length, ...added });
  };
  if (model.addedTime) state('latency', model.addedTime, model.p50Ms);
  for (const key of ['p50', 'p95', 'p99'] as const) if (keys.includes(key)) state(key, keys.map((k) => (k === key ? 1 : 0)));
  return out;
}

/** A gate's simulation from its runs, and how a change moves its latency checks. */
export interface GateModel {
  sim: GateSimulation;
  keys: LatencyKey[]; // per simulated check
  p50Ms?: number; // the overall p50's level: the reference runs' geometric mean
  /**
   * The headline change: the same time added to every request (a slower dependency, an extra
   * query), sized as a share of the overall p50; each check moves by that time over its own level.
   */
  addedTime?: number[];
}

export function gateModel(o: GateSensitivityInput): GateModel | null {
  const checks: CheckDesign[] = [];
  const keys: LatencyKey[] = [];
  const levels: number[] = []; // each check's level: the reference runs' geometric mean (ms)
  const columns: number[][] = [];
  for (const f of o.family.members) {
    const within = f.within;
    const ratio = BETWEEN_WITHIN_RATIO[f.key];
    const pooled = f.xs.length + f.ys.length > 2 ? pooledVariance(f.xs, f.ys) : Number.NaN;
    let sigma: number;
    if (f.xs.length >= o.minPool && pooled >= 0) sigma = Math.sqrt(Math.max(pooled, within ? within.se ** 2 : 0));
    else if (within) sigma = ratio * within.se;
    else sigma = Math.sqrt(pooled);
    if (!(sigma > 0)) continue;
    const mx = mean(f.xs);
    const my = mean(f.ys);
    columns.push([...f.xs.map((x) => x - mx), ...f.ys.map((y) => y - my)]);
    checks.push({ sigma, overall: f.scope === 'overall', within: within ? { ...within, ratio } : null, loadings: [] });
    keys.push(f.key);
    levels.push(Math.exp(mx));
  }
  if (checks.length === 0) return null;
  correlate(checks, columns);
  const sim = simulateGate({ pairs: o.pairs, level: o.alpha, beta: o.beta, before: o.family.before, after: o.family.after, tolerancePct: o.tolerancePct, minPool: o.minPool, checks });
  const p50Ms = levels[checks.findIndex((c, i) => keys[i] === 'p50' && c.overall)];
  if (p50Ms === undefined) return { sim, keys };
  return { sim, keys, p50Ms, addedTime: levels.map((l) => p50Ms / l) };
}

/**
 * The checks' loadings: their residual columns over the runs (each side about its own mean), as
 * unit vectors, so simulated runs keep the correlation the runs showed. A check whose runs agreed
 * exactly gets a component of its own; with fewer than 3 runs (no residual degrees of freedom)
 * every check shares one component, the cautious choice (correlated checks are fewer chances to
 * catch a change).
 */
function correlate(checks: CheckDesign[], columns: number[][]): void {
  const n = columns[0]!.length;
  let extra = n;
  checks.forEach((c, j) => {
    const col = columns[j]!;
    const norm = Math.sqrt(col.reduce((s, v) => s + v * v, 0));
    if (n < 3) c.loadings = [1];
    else if (norm > 0) c.loadings = col.map((v) => v / norm);
    else {
      c.loadings = Array.from({ length: extra + 1 }, (_, i) => (i === extra ? 1 : 0));
      extra++;
    }
  });
}

/** One line for a verdict or `baseline show`, plus (with `warn`) a warning when the tolerance is below it. */
export function sensitivityLines(s: Sensitivity | null, what: string, warn = true): string[] {
  if (!s) return [];
  const over = s.pairs !== undefined ? ` over its budget of ${s.pairs} pair${s.pairs === 1 ? '' : 's'}` : '';
  const n = s.checks !== undefined ? `${s.checks} latency check${s.checks === 1 ? '' : 's'}` : '';
  const added = s.addedMs !== undefined ? `+${s.addedMs.toFixed(s.addedMs < 10 ? 2 : 1)} ms; ` : '';
  const moving = s.checks === undefined ? '' : s.metric === 'latency' ? `: the same time added to every request (${added}${n})` : `: ${s.metric} alone, overall and per request (${n})`;
  const of = s.addedMs !== undefined ? ' of the p50' : '';
  const lines = [`${what} detects ${s.metric} changes >= ${s.detectablePct.toFixed(1)}%${of} with 80% power${over} (tolerance ${s.tolerancePct}%)${moving}`];
  if (warn && s.belowTolerance) lines.push(`warning: the ${s.tolerancePct}% ${s.metric === 'rps' ? 'throughput' : 'latency'} tolerance is below what ${what} can tell from noise: changes between ${s.tolerancePct}% and ${s.detectablePct.toFixed(0)}% will mostly be inconclusive (add baseline runs or candidate runs, or raise the tolerance)`);
  return lines;
}

/** A latency check of the family, per run on the log scale (reference runs, candidate runs). */
export interface FamilyMember {
  key: 'p50' | 'p95' | 'p99';
  scope: string;
  xs: number[];
  ys: number[];
  within: Spread | null; // overall checks: the runs' typical within-run spread
}

/**
 * The HTTP latency checks a gate judges on these runs (those every run has a value for), and the
 * size of the Holm family a look judges: before minPool pairs (the checks with within-run
 * evidence) and from then on (the checks whose runs show a spread).
 */
export interface LatencyFamily {
  members: FamilyMember[];
  before: number;
  after: number;
}
