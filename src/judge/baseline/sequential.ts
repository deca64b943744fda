// The sequential gate: after each reference/candidate pair, is the evidence already clear? Pure.
//
// Group-sequential with error spending (Lan & DeMets 1983), O'Brien–Fleming-type spending
// function α(t) = 2 − 2Φ(z₁₋α/₂ / √t) over the information fraction t = k / K (K = the pairs the
// budget allows). Look k tests at the increment α(t_k) − α(t_{k−1}); the chance of any false
// alarm is at most the sum of the increments, α (a union bound: a little conservative, since the
// looks' statistics are correlated, and needing no joint distribution). Early looks get almost
// none of α, so only an overwhelming change stops a gate after a pair or two.
//
// "Regression" means clearly beyond the tolerance: the lower (1 − α increment) confidence bound of a
// latency or throughput change is above its tolerance (judge option clearOf 'tolerance'), so a
// change at the tolerance is not a regression, and a close call uses the budget instead of a coin
// flip. "No regression beyond tolerance" is the mirror image, with its own budget β (default 0.1) for
// stopping too early on a change that is in fact beyond tolerance: stop when every check passes
// and the upper (1 − β increment) confidence bound of each latency and throughput change is below
// its tolerance.
import type { BaselineRun, RunValues } from '../../baselines/types.js';
import type { Check } from '../../results/types.js';
import { judgeWithEvidence, type RegressionOptions } from './regression.js';
import { lookLevel } from './spending.js';
import { tQuantile } from './stats.js';

export type Outcome = 'regression' | 'no-regression' | 'continue' | 'budget';

export interface Look {
  outcome: Outcome;
  checks: Check[];
  reason: string;
  alpha: number; // the level this look tested at
}

export interface SequentialOptions extends RegressionOptions {
  beta?: number; // budget for stopping early with "no regression" on a change beyond tolerance
}

/** Judge look k of K: `pool` the reference runs so far, `candidates` the candidate runs so far. */
export function sequentialLook(pool: BaselineRun[], candidates: RunValues[], k: number, K: number, o: SequentialOptions = {}): Look {
  const level = o.alpha ?? 0.01;
  const alpha = lookLevel(k, K, level);
  const beta = lookLevel(k, K, o.beta ?? 0.1);
  const { checks, evidence } = judgeWithEvidence(pool, candidates, { ...o, alpha, smallPool: 'tolerance', clearOf: 'tolerance' });
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) return { outcome: 'regression', checks, alpha, reason: `${failed.map((c) => c.name).join(', ')} regressed, clear at the level this look may spend (${fmt(alpha)} of ${level})` };
  const bounded = evidence.every((e) => {
    if (e.check.status !== 'pass') return false;
    if (!e.log) return true; // error rate: passing its rules is enough
    if (!e.test) return false;
    return e.test.diff + tQuantile(1 - beta, e.test.df) * e.test.se < e.toleranceLog;
  });
  if (bounded && beta > 0) return { outcome: 'no-regression', checks, alpha, reason: `every change is bounded below its tolerance (upper ${fmtPct(1 - beta)} confidence bounds)` };
  if (k >= K) return { outcome: 'budget', checks, alpha, reason: `budget used (${K} pairs) without a clear regression or a clear absence of one` };
  return { outcome: 'continue', checks, alpha, reason: 'not clear yet' };
}

function fmt(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}

function fmtPct(p: number): string {
  return `${(p * 100).toFixed(p > 0.999 ? 2 : 1)}%`;
}
