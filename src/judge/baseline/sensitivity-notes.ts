// The sensitivity a judgement states beside its checks: the smallest change it detects with 80 %
// power, for a judgement against a pool and for a sequential gate's whole budget. Pure.
import type { BaselineRun, RunValues } from '../../baselines/types.js';
import { LATENCY, measure, specsFor, TINY, valueOf, type RegressionOptions, type Spec } from './regression.js';
import { gateSensitivity, sensitivity, sensitivityLines, type FamilyMember, type LatencyFamily } from './sensitivity.js';
import { typicalSpread } from './within-run.js';

/**
 * The stated sensitivity of a judgement of `candidates` runs against `pool` under these options:
 * the p95 change it detects with 80 % power, and a warning when the latency tolerance is below it.
 */
export function sensitivityNotes(pool: BaselineRun[], candidates: number, o: RegressionOptions, checks: number, what = 'this judgement'): string[] {
  const minPool = Math.max(2, o.minPool ?? 3);
  const s = sensitivity('p95', {
    pool: pool.map((r) => r.values),
    candidates,
    tolerancePct: o.tolerances?.latencyPct ?? 10,
    alpha: o.alpha ?? 0.01,
    checks,
    minPool,
  });
  if (s || pool.length === 0 || candidates === 0) return sensitivityLines(s, what);
  // Said rather than left out: a verdict without a stated sensitivity reads as one that has it.
  return [`${what} cannot state the smallest p95 change it detects: ${pool.length} baseline run${pool.length === 1 ? '' : 's'} (a spread needs ${minPool}) and no within-run p95 evidence (too few requests per time batch)`];
}

/**
 * The stated sensitivity of a sequential gate over its whole budget of `pairs` pairs, from the
 * reference and candidate runs so far: the slowdown (the same time added to every request) it
 * detects with 80 % power, then each percentile's change alone.
 */
export function gateSensitivityNotes(refs: RunValues[], cands: RunValues[], pairs: number, o: RegressionOptions & { beta?: number }): string[] {
  const input = { family: latencyFamily(refs, cands), pairs, tolerancePct: o.tolerances?.latencyPct ?? 10, alpha: o.alpha ?? 0.01, beta: o.beta ?? 0.1, minPool: Math.max(2, o.minPool ?? 3) };
  const lines = gateSensitivity(input).flatMap((s) => sensitivityLines(s, 'this gate', s.metric === 'latency'));
  if (lines.length > 0) return lines;
  return ['this gate cannot state the smallest latency change it detects: its runs have no within-run latency evidence (too few requests per time batch)'];
}

export function latencyFamily(refs: RunValues[], cands: RunValues[]): LatencyFamily {
  const specs = specsFor(refs, cands);
  const runs = [...refs, ...cands];
  // Judged with a test, so counted by Holm: within-run evidence before minPool, a spread after.
  const tested = (minPool: number) => specs.filter((s) => measure(s, refs, cands, minPool).test !== null).length;
  const logs = (vs: RunValues[], s: Spec) => vs.map((v) => Math.log(Math.max(valueOf(v, s)!, TINY)));
  const members = specs
    .filter((s) => s.unit === 'ms' && s.key !== 'k6' && runs.every((v) => valueOf(v, s) !== undefined))
    .map((s) => {
      const key = s.key as FamilyMember['key'];
      return { key, scope: s.scope, xs: logs(refs, s), ys: logs(cands, s), within: s.scope === 'overall' ? typicalSpread(runs, key) : null };
    });
  return { members, before: tested(Number.POSITIVE_INFINITY), after: Math.max(tested(0), members.length) };
}
