// Baseline rules → checks. Compares run-level statistics (each run's p50/p95/p99, error rate,
// throughput, capacity) of the candidate run(s) with the baseline pool's runs. Pure.
//
// A regression is declared only when the change is BOTH larger than a practical tolerance AND
// statistically clear against the pool's run-to-run spread; a big change the data cannot tell from
// noise is "inconclusive", never "pass". Latency and throughput are compared as logs (run-level
// percentiles are roughly log-normal, and a ratio is what "+10%" means). One candidate: prediction
// interval t-test; two or more: Student's pooled t-test (under the null hypothesis the candidates
// share the pool's spread, so the pool's degrees of freedom count). The p-values of all checks in one judgement are
// Holm-adjusted, so judging 40 metrics does not multiply the false-alarm rate by 40.
import type { BaselinePolicy } from '../../config/types.js';
import type { BaselineComparison, Check } from '../../results/types.js';
import type { BaselineRun, MetricValues, RunValues } from '../../baselines/types.js';
import { formatValue } from '../../util/format.js';
import { holmAdjust, mean, median, pooledTest, satterthwaite, seTest, tSf, type TestResult } from './stats.js';
import { BETWEEN_WITHIN_RATIO, typicalSpread, type Spread } from './within-run.js';
import { k6KeyInfo } from './k6-values.js';


export interface RegressionOptions {
  tolerances?: { latencyPct?: number; errorRatePct?: number; rpsPct?: number };
  maxErrorRateIncrease?: number; // absolute, default 0.01 (one percentage point)
  alpha?: number; // family-wise significance level, default 0.01
  minPool?: number; // fewer baseline runs → inconclusive, default 3
  /** Below minPool: 'inconclusive' (default), or judge by tolerance alone (compare two runs). */
  smallPool?: 'inconclusive' | 'tolerance';
  /**
   * What a latency or throughput change must be clear of to fail: 'zero' (default; a fixed
   * judgement must answer now, and calls a change beyond the tolerance that is not noise a
   * regression), or 'tolerance' (the sequential gate, which can sample on: only a change whose
   * lower confidence bound is beyond the tolerance fails, so a change at the tolerance is not
   * called a regression more than α of the time, and close calls use the budget).
   */
  clearOf?: 'zero' | 'tolerance';
}

type Key = 'p50' | 'p95' | 'p99' | 'errorRate' | 'rps' | 'capacity' | 'k6';
// k6Key: for key 'k6', the custom metric's value in RunValues.k6 ("<metric>:<aggregation>").
export interface Spec { key: Key; scope: string; what: string; unit: Check['unit']; higherIsWorse: boolean; log: boolean; k6Key?: string }

interface Pending {
  spec: Spec;
  xs: number[]; // pool values
  ys: number[]; // candidate values
  test: TestResult | null; // of "candidate worse than pool"
  pBetter: number | null;
  resolution?: number; // capacity: the coarsest step it was measured in (pool and candidates)
}

export const LATENCY = ['p50', 'p95', 'p99'] as const;
export const TINY = 1e-9;

/** A profile's baseline policy as judge options (only the keys it sets). */
export function regressionOptions(policy: BaselinePolicy | undefined): RegressionOptions {
  const o: RegressionOptions = {};
  if (!policy) return o;
  if (policy.tolerances) o.tolerances = policy.tolerances;
  if (policy.maxErrorRateIncrease !== undefined) o.maxErrorRateIncrease = policy.maxErrorRateIncrease;
  if (policy.alpha !== undefined) o.alpha = policy.alpha;
  if (policy.minPool !== undefined) o.minPool = policy.minPool;
  return o;
}

export function judgeRegression(pool: BaselineRun[], candidates: RunValues[], o: RegressionOptions = {}): Check[] {
  return judgeWithEvidence(pool, candidates, o).checks;
}

/** One check's evidence on the scale it is tested on, oriented so that positive means worse. */
export interface Evidence {
  check: Check;
  log: boolean; // latency and throughput: diff is a log ratio, toleranceLog = log(1 + tol)
  test: TestResult | null;
  toleranceLog: number;
}

/** The checks, and for each the test behind it (the sequential gate bounds the change with it). */
export function judgeWithEvidence(pool: BaselineRun[], candidates: RunValues[], o: RegressionOptions = {}): { checks: Check[]; evidence: Evidence[] } {
  const alpha = o.alpha ?? 0.01;
  if (pool.length === 0 || candidates.length === 0) {
    const reason = pool.length === 0 ? 'the baseline has no runs (add some with: loadctl baseline add)' : 'no candidate runs to judge';
    const check: Check = { name: 'baseline', kind: 'baseline', scope: 'overall', metric: 'p95', status: 'inconclusive', limit: '-', limitValue: 0, measured: null, unit: 'ms', reason };
    return { checks: [check], evidence: [{ check, log: false, test: null, toleranceLog: 0 }] };
  }
  const poolValues = pool.map((r) => r.values);
  const minPool = Math.max(2, o.minPool ?? 3);
  let pending = specsFor(poolValues, candidates).map((spec) => measure(spec, poolValues, candidates, minPool, o.clearOf === 'tolerance' && spec.log ? Math.log(1 + tolerancePct(spec, o) / 100) : 0));
  // One run against one run: a per-name check has no within-run evidence (only the overall numbers
  // keep per-bucket histograms) and no spread to test against, so it could only ever be
  // inconclusive; it is left out, and the overall checks decide.
  if (o.smallPool === 'tolerance') pending = pending.filter((p) => p.spec.scope === 'overall' || p.test !== null || p.xs.length >= minPool);
  const adjusted = holmAdjust(pending.map((p) => p.test?.pGreater ?? null));
  const family = adjusted.filter((p) => p !== null).length;
  const checks = pending.map((p, i) => decide(p, adjusted[i] ?? null, family, { ...o, alpha, minPool }));
  const evidence = pending.map((p, i) => ({ check: checks[i]!, log: p.spec.log, test: p.test, toleranceLog: Math.log(1 + tolerancePct(p.spec, o) / 100) }));
  return { checks, evidence };
}

function tolerancePct(spec: Spec, o: RegressionOptions): number {
  if (isRate(spec)) return o.tolerances?.errorRatePct ?? 50;
  return spec.unit === 'ms' ? (o.tolerances?.latencyPct ?? 10) : (o.tolerances?.rpsPct ?? 10);
}

// A percentile estimated from fewer than ~10 samples beyond it is noise, not a measurement: such a
// metric is not judged at all (rather than judged inconclusive), so thin per-request tails cannot
// make every gate inconclusive. p50 needs 100 requests per run, p95 400, p99 2000 (~20 beyond it).
const MIN_REQUESTS: Record<(typeof LATENCY)[number], number> = { p50: 100, p95: 400, p99: 2000 };

function enoughRequests(key: (typeof LATENCY)[number], scope: string, runs: RunValues[]): boolean {
  return runs.every((r) => ((scope === 'overall' ? r.overall : r.byName[scope])?.requests ?? 0) >= MIN_REQUESTS[key]);
}

export function specsFor(pool: RunValues[], cands: RunValues[]): Spec[] {
  const specs: Spec[] = [];
  const all = [...pool, ...cands];
  const scopes = ['overall', ...[...new Set(cands.flatMap((c) => Object.keys(c.byName)))].filter((n) => pool.some((r) => n in r.byName)).sort()];
  for (const scope of scopes) {
    for (const key of LATENCY) {
      // Overall latency is always judged (the run's headline); thin tails per request are not.
      if (scope !== 'overall' && !enoughRequests(key, scope, all)) continue;
      specs.push({ key, scope, what: `${key} latency`, unit: 'ms', higherIsWorse: true, log: true });
    }
    specs.push({ key: 'errorRate', scope, what: 'error rate', unit: 'ratio', higherIsWorse: true, log: false });
    if (scope === 'overall') specs.push({ key: 'rps', scope, what: 'throughput', unit: 'req/s', higherIsWorse: false, log: true });
  }
  if (cands.some((c) => c.capacity !== undefined) && pool.some((r) => r.capacity !== undefined)) {
    specs.push({ key: 'capacity', scope: 'overall', what: 'capacity', unit: 'req/s', higherIsWorse: false, log: true });
  }
  specs.push(...k6Specs(pool, cands));
  return specs;
}

// Custom k6 metrics (and checks) that the candidates and the pool both recorded, judged like the
// HTTP numbers: trend percentiles as latencies (thin tails left out, as for requests), rates as
// error rates (the checks' rate the other way round).
function k6Specs(pool: RunValues[], cands: RunValues[]): Spec[] {
  const all = [...pool, ...cands];
  const keys = [...new Set(cands.flatMap((c) => Object.keys(c.k6 ?? {})))].filter((k) => !k.endsWith(':n') && pool.some((r) => r.k6?.[k] !== undefined)).sort();
  const specs: Spec[] = [];
  for (const k6Key of keys) {
    const info = k6KeyInfo(k6Key, all.some((r) => r.k6Time?.includes(k6Key.slice(0, k6Key.lastIndexOf(':')))) ? 'time' : 'default');
    const need = info.agg in MIN_REQUESTS ? MIN_REQUESTS[info.agg as (typeof LATENCY)[number]] : 1;
    if (!all.every((r) => r.k6?.[k6Key] === undefined || (r.k6[`${info.metric}:n`] ?? 0) >= need)) continue;
    specs.push({ key: 'k6', k6Key, scope: info.metric, what: info.agg, unit: info.unit, higherIsWorse: info.higherIsWorse, log: info.log });
  }
  return specs;
}

function isRate(spec: Spec): boolean {
  return spec.key === 'errorRate' || (spec.key === 'k6' && spec.unit === 'ratio');
}

export function valueOf(v: RunValues, s: Spec): number | undefined {
  if (s.key === 'capacity') return v.capacity;
  if (s.key === 'k6') return v.k6?.[s.k6Key!];
  const m: MetricValues | undefined = s.scope === 'overall' ? v.overall : v.byName[s.scope];
  if (!m || (m.requests === 0 && s.key !== 'rps')) return undefined; // no requests: no latency, no rate
  return m[s.key];
}

// `margin`: on the log scale, how far beyond no change the test's null hypothesis sits (the
// tolerance for clearOf 'tolerance'); the test's diff and se stay those of the change itself.
export function measure(spec: Spec, pool: RunValues[], cands: RunValues[], minPool: number, margin = 0): Pending {
  const pick = (vs: RunValues[]) => vs.filter((v) => valueOf(v, spec) !== undefined);
  const px = pick(pool);
  const py = pick(cands);
  const xs = px.map((v) => valueOf(v, spec)!);
  const ys = py.map((v) => valueOf(v, spec)!);
  if (ys.length === 0) return { spec, xs, ys, test: null, pBetter: null };
  // Orient so that "greater" means "worse", on the scale the test assumes.
  const t = (x: number) => (spec.log ? Math.log(Math.max(x, TINY)) : x) * (spec.higherIsWorse ? 1 : -1);
  const tx = xs.map(t);
  const ty = ys.map(t);
  const within = withinOf(spec, px, py);
  let test: TestResult | null = null;
  if (tx.length >= minPool) {
    // Each run's value carries its own measurement noise, so one run's variance is at least its
    // within-run variance: the floor keeps a pool that agrees closely by chance from calling noise
    // a change.
    test = pooledTest(tx, ty, within ? within.floor : 0);
  } else if (within) {
    test = seTest(mean(ty) - mean(tx), within.se, within.df, `within-run evidence (batch means) × ${within.ratio} for run-to-run spread`);
  }
  const pBetter = test ? 1 - test.pGreater : null;
  if (test && margin > 0) test = { ...test, pGreater: tSf((test.diff - margin) / test.se, test.df), method: `${test.method}, of a change beyond the tolerance` };
  const steps = spec.key === 'capacity' ? [...pool, ...cands].map((v) => v.capacityResolution).filter((r): r is number => r !== undefined) : [];
  return { spec, xs, ys, test, pBetter, ...(steps.length ? { resolution: Math.max(...steps) } : {}) };
}

/**
 * The runs' within-run evidence for this check, when every run has it (overall numbers only):
 * `floor`, one run's mean within-run variance; `se`/`df`, the standard error of the difference of
 * the means when runs are taken to vary BETWEEN_WITHIN_RATIO times more than their batches say.
 */
function withinOf(spec: Spec, px: RunValues[], py: RunValues[]): { floor: number; se: number; df: number; ratio: number } | null {
  if (spec.scope !== 'overall' || spec.key === 'capacity' || spec.key === 'k6') return null;
  const key = spec.key;
  const spreads = (vs: RunValues[]) => vs.map((v) => v.within?.[key]);
  const sx = spreads(px);
  const sy = spreads(py);
  if (sx.length === 0 || [...sx, ...sy].some((s) => s === undefined)) return null;
  const all = [...sx, ...sy] as Spread[];
  const ratio = BETWEEN_WITHIN_RATIO[key];
  // Var(mean of n runs) = Σ var_i / n²; each var_i is ratio² · se_i² on that run's batch df.
  const terms = [...(sx as Spread[]).map((s) => ({ v: (ratio * s.se) ** 2 / sx.length ** 2, df: s.df })), ...(sy as Spread[]).map((s) => ({ v: (ratio * s.se) ** 2 / sy.length ** 2, df: s.df }))];
  const v = terms.reduce((a, x) => a + x.v, 0);
  return { floor: mean(all.map((s) => s.se * s.se)), se: Math.sqrt(v), df: satterthwaite(terms), ratio };
}

function decide(p: Pending, pAdj: number | null, family: number, o: RegressionOptions & { alpha: number; minPool: number }): Check {
  const { spec, xs, ys } = p;
  const tolPct = tolerancePct(spec, o);
  const maxInc = o.maxErrorRateIncrease ?? 0.01;
  const name = `${spec.what} vs baseline (${spec.scope})`;
  const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
  const sig = `p < ${o.alpha}`;
  const rate = isRate(spec);
  const limit =
    rate
      ? `${spec.higherIsWorse ? '<= +' : '>= -'}${(maxInc * 100).toFixed(1)} pp; ${spec.higherIsWorse ? '<= +' : '>= -'}${tolPct}%, ${sig}`
      : `${spec.higherIsWorse ? '<=' : '>='} ${spec.higherIsWorse ? '+' : '-'}${tolPct}%, ${sig}`;
  const base = { name, kind: 'baseline' as const, scope: spec.scope, metric: spec.key === 'k6' ? spec.what : spec.key, unit: spec.unit, limit };
  if (ys.length === 0 || xs.length === 0) {
    const missing = ys.length === 0 ? 'the candidate run(s)' : 'the baseline runs';
    return { ...base, status: 'inconclusive', limitValue: 0, measured: null, reason: `no ${spec.what} in ${missing}` };
  }
  const med = median(xs);
  const cand = median(ys);
  // Error rates are often 0: their relative change is taken against at least 0.1 %.
  const ref = med > 0 ? med : rate ? 0.001 : TINY;
  const changePct = cand === med ? 0 : (cand / ref - 1) * 100;
  const worsePct = spec.higherIsWorse ? changePct : -changePct;
  const worseBy = spec.higherIsWorse ? cand - med : med - cand; // rates: absolute, in the bad direction
  const beyond = worsePct > tolPct && (!rate || worseBy > maxInc / 10);
  const better = -worsePct > tolPct;
  const limitValue = rate ? med + (spec.higherIsWorse ? maxInc : -maxInc) : med * (1 + (spec.higherIsWorse ? tolPct : -tolPct) / 100);
  const method = p.test ? `${p.test.method}${family > 1 ? `, Holm-adjusted over ${family} checks` : ''}` : 'tolerance only (no run-to-run spread to test against)';
  const comparison = (direction: BaselineComparison['direction'], pValue: number | null): BaselineComparison => ({
    runs: xs.length,
    candidates: ys.length,
    median: med,
    spread: [Math.min(...xs), Math.max(...xs)],
    candidate: cand,
    changePct,
    tolerancePct: tolPct,
    pValue,
    confidence: pValue === null ? null : 1 - pValue,
    direction,
    method,
  });
  const out = (status: Check['status'], direction: BaselineComparison['direction'], pValue: number | null, reason?: string): Check => ({
    ...base,
    status,
    limitValue,
    measured: cand,
    baseline: comparison(direction, pValue),
    ...(reason ? { reason } : {}),
  });
  const vs = `${formatValue(cand, spec.unit)} vs baseline median ${formatValue(med, spec.unit)} (${pct(changePct)})`;

  // The absolute error-rate rule needs no spread: a jump of more than maxInc above the median, and
  // above every accepted run, is a regression however quiet the pool was.
  if (rate && worseBy > maxInc && (spec.higherIsWorse ? cand > Math.max(...xs) : cand < Math.min(...xs))) {
    return out('fail', 'regressed', pAdj, `${vs}: more than ${spec.higherIsWorse ? '+' : '-'}${(maxInc * 100).toFixed(1)} pp ${spec.higherIsWorse ? 'over' : 'under'} the baseline`);
  }
  if (xs.length < o.minPool && !p.test) {
    const few = `the baseline has ${xs.length} run${xs.length === 1 ? '' : 's'} with ${spec.what}, too few to know its noise (need ${o.minPool})`;
    if (o.smallPool === 'tolerance') {
      const lone = `with ${xs.length} run${xs.length === 1 ? '' : 's'} to compare against there is no run-to-run spread`;
      if (!beyond) return out('pass', better ? 'improved' : 'unchanged', null, better ? `${vs}: better by more than the tolerance (not tested: ${lone})` : undefined);
      return out('inconclusive', 'unchanged', null, `${vs}: beyond the ${tolPct}% tolerance, but ${lone} to tell a change from noise`);
    }
    return out('inconclusive', 'unchanged', null, `${vs}: ${few}; add runs with: loadctl baseline add`);
  }
  if (!beyond) {
    const improved = better && p.pBetter !== null && p.pBetter < o.alpha;
    return out('pass', improved ? 'improved' : 'unchanged', pAdj, improved ? `${vs}: improved` : undefined);
  }
  // A staircase measures capacity in whole steps, so a pool can agree to the step and show no
  // spread to test against; a candidate more than a whole step below it (and beyond the tolerance)
  // is then outside what the measurement's resolution can explain.
  if (pAdj === null && spec.key === 'capacity' && p.resolution !== undefined && Math.min(...xs) === Math.max(...xs) && med - cand > p.resolution) {
    return out('fail', 'regressed', null, `${vs}: beyond the ${tolPct}% tolerance and more than one step (${formatValue(p.resolution, 'req/s')}) below every baseline run, which agree to the step`);
  }
  if (pAdj === null) {
    return out('inconclusive', 'unchanged', null, `${vs}: beyond the ${tolPct}% tolerance, but the runs show no spread to judge it against`);
  }
  if (pAdj < o.alpha) return out('fail', 'regressed', pAdj, `${vs}: beyond the ${tolPct}% tolerance and clear of run-to-run noise (p = ${fmtP(pAdj)})`);
  return out('inconclusive', 'unchanged', pAdj, `${vs}: beyond the ${tolPct}% tolerance but not clear of run-to-run noise (p = ${fmtP(pAdj)}); rerun or add candidate runs`);
}

function fmtP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
