// The smallest change a baseline judgement could have caught: "this gate detects p95 changes
// ≥ 7 % with 80 % power". Pure. Mirrors the tests judge/regression.ts runs: the pool's spread
// (floored at the runs' within-run spread) with df n + m − 2 when the pool is big enough, else the
// within-run evidence times the between/within ratio.
//
// A check fails when the change is beyond the tolerance AND significant at α/k (Holm's first step
// over k checks, the worst case). For a true change δ (log scale) the estimate is ~ δ ± SE, so 80 %
// power needs δ − t₀.₈·SE above both the tolerance and the critical value crit·SE:
//   δ₈₀ = max(log(1 + tol), crit·SE) + t₀.₈·SE.
import type { RunValues } from '../baselines/types.js';
import { mean, pooledVariance, satterthwaite, tQuantile, variance } from './stats.js';
import { gatePower } from './gate-power.js';
import { BETWEEN_WITHIN_RATIO, type Spread, type WithinKey } from './within-run.js';

export interface Sensitivity {
  metric: WithinKey;
  detectablePct: number; // change detected with 80 % power
  tolerancePct: number;
  belowTolerance: boolean; // the tolerance is smaller than what the judgement can see
  method: 'pool' | 'within-run' | 'sequential';
  pairs?: number; // sequential: the budget's pairs the figure is for
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
  const within = withinSpread(o.pool, metric);
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
  refs: RunValues[]; // the reference runs so far
  cands: RunValues[]; // the candidate runs so far
  pairs: number; // the pairs the budget pays for
  tolerancePct: number;
  alpha: number;
  beta: number;
  checks: number;
  minPool: number;
}

/**
 * What a sequential gate (judge/sequential.ts) detects with 80 % power over its whole budget, from
 * the spread its runs showed so far: simulated look by look (judge/gate-power.ts), since early
 * looks spend almost none of α and the gate may stop early with "no regression". The spread is the
 * judge's own: the runs' pooled spread floored at their within-run spread once there are minPool
 * pairs, the within-run spread × the between/within ratio before.
 */
export function gateSensitivity(metric: 'p50' | 'p95' | 'p99' | 'rps', o: GateSensitivityInput): Sensitivity | null {
  const within = withinSpread([...o.refs, ...o.cands], metric);
  if (!within) return null;
  const ratio = BETWEEN_WITHIN_RATIO[metric];
  const logs = (rs: RunValues[]) => rs.map((r) => r.overall[metric]).filter((x) => x > 0).map(Math.log);
  const x = logs(o.refs);
  const y = logs(o.cands);
  const sigma = x.length >= o.minPool && x.length + y.length > 2 ? Math.sqrt(Math.max(pooledVariance(x, y), within.se ** 2)) : ratio * within.se;
  const design = { pairs: o.pairs, level: o.alpha, beta: o.beta, checks: o.checks, tolerancePct: o.tolerancePct, minPool: o.minPool, sigma, withinSe: within.se, withinDf: within.df, ratio };
  const power = gatePower(design);
  if (!power) return null;
  return { metric, detectablePct: power.detectablePct, tolerancePct: o.tolerancePct, belowTolerance: power.noiseBound, method: 'sequential', pairs: o.pairs };
}

/** The runs' typical within-run spread of a metric (rms standard error, mean batch df); null unless every run has it. */
function withinSpread(runs: RunValues[], metric: WithinKey): Spread | null {
  const spreads = runs.map((r) => r.within?.[metric]);
  if (runs.length === 0 || spreads.some((s) => s === undefined)) return null;
  return { se: Math.sqrt(mean(spreads.map((s) => s!.se ** 2))), df: mean(spreads.map((s) => s!.df)) };
}

/** One line for a verdict or `baseline show`, plus a warning when the tolerance is below it. */
export function sensitivityLines(s: Sensitivity | null, what: string): string[] {
  if (!s) return [];
  const over = s.pairs !== undefined ? ` over its budget of ${s.pairs} pair${s.pairs === 1 ? '' : 's'}` : '';
  const lines = [`${what} detects ${s.metric} changes >= ${s.detectablePct.toFixed(1)}% with 80% power${over} (tolerance ${s.tolerancePct}%)`];
  if (s.belowTolerance) lines.push(`warning: the ${s.tolerancePct}% ${s.metric === 'rps' ? 'throughput' : 'latency'} tolerance is below what ${what} can tell from noise: changes between ${s.tolerancePct}% and ${s.detectablePct.toFixed(0)}% will mostly be inconclusive (add baseline runs or candidate runs, or raise the tolerance)`);
  return lines;
}
