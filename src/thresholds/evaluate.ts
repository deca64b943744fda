// A script's thresholds judged on loadctl's aggregates of the run, with k6's rules
// (metrics/thresholds.go, internal/metrics/engine/engine.go, v2.2.0):
// - at the end every threshold is evaluated, samples or not: a metric without samples reads 0 for
//   every aggregation (a trend's avg/min/max/med/p(N), a counter's count and rate, a gauge's value),
//   except a Rate's `rate`, which k6 does not define then, so the threshold passes;
// - a counter's `rate` is its total per second of the run;
// - during the run, metrics without samples are skipped, and a failing `abortOnFail` threshold stops
//   the run once the run has lasted longer than its `delayAbortEval`.
// Pure.

import { selectMetric } from '../results/k6-metric-query.js';
import type { K6Metrics, K6MetricType, MetricValues } from '../results/k6-metric-types.js';
import type { Check } from '../results/types.js';
import { AGGREGATIONS_BY_TYPE, aggName, BUILTIN_METRIC_TYPES, checkAggregation, thresholdName, type ScriptThreshold, type ThresholdExpression } from './parse.js';

/** The number a threshold compares, or undefined where k6 has none (a Rate without samples). */
export function aggregate(expr: ThresholdExpression, type: K6MetricType, v: MetricValues | undefined, durationMs: number): number | undefined {
  switch (expr.aggregation) {
    case 'count':
      return v?.total ?? 0;
    case 'rate':
      if (type === 'rate') return v && v.count > 0 ? v.passes / v.count : undefined;
      return durationMs > 0 ? (v?.total ?? 0) / (durationMs / 1000) : undefined;
    case 'value':
      return v?.value ?? 0;
    case 'avg':
      return v?.avg ?? 0;
    case 'min':
      return v?.min ?? 0;
    case 'max':
      return v?.max ?? 0;
    case 'med':
      return v ? v.percentile(50) : 0;
    case 'p':
      return v ? v.percentile(expr.percentile!) : 0;
  }
}

export function compare(lhs: number, expr: ThresholdExpression): boolean {
  const rhs = expr.value;
  switch (expr.operator) {
    case '<':
      return lhs < rhs;
    case '<=':
      return lhs <= rhs;
    case '>':
      return lhs > rhs;
    case '>=':
      return lhs >= rhs;
    case '==':
    case '===':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
  }
}

/**
 * The metric's type: k6's own for a built-in, else what its samples say. A custom metric that had
 * no sample at all is known only by the aggregations that fit one type (`rate` fits two).
 */
export function metricType(metric: string, metrics: K6Metrics | undefined, expr: ThresholdExpression): K6MetricType | undefined {
  const builtin = BUILTIN_METRIC_TYPES[metric];
  if (builtin) return builtin;
  const seen = metrics?.series.find((s) => s.metric === metric);
  if (seen) return seen.type;
  const fits = (Object.keys(AGGREGATIONS_BY_TYPE) as K6MetricType[]).filter((t) => AGGREGATIONS_BY_TYPE[t].includes(expr.aggregation));
  return fits.length === 1 ? fits[0] : undefined;
}

export interface Judged {
  threshold: ScriptThreshold;
  /** undefined: k6 has no number for it (a Rate without samples), and passes it. */
  measured: number | undefined;
  passed: boolean;
  samples: number;
  type: K6MetricType | undefined;
  contains: MetricValues['contains'];
  /** Set when loadctl cannot judge it the way k6 would (the check is inconclusive). */
  unknown?: string;
}

/** Every threshold at the end of the run. */
export function judgeThresholds(thresholds: readonly ScriptThreshold[], metrics: K6Metrics): Judged[] {
  return thresholds.map((t) => judgeOne(t, metrics));
}

function judgeOne(t: ScriptThreshold, metrics: K6Metrics): Judged {
  const v = selectMetric(metrics, t.selector);
  const type = metricType(t.selector.metric, metrics, t.expression);
  const contains = v?.contains ?? metrics.series.find((s) => s.metric === t.selector.metric)?.contains ?? (BUILTIN_METRIC_TYPES[t.selector.metric] === 'trend' ? 'time' : 'default');
  const base = { threshold: t, samples: v?.count ?? 0, type, contains };
  const untracked = Object.keys(t.selector.tags).filter((k) => !metrics.tags.includes(k));
  if (untracked.length > 0) return { ...base, measured: undefined, passed: false, unknown: `the run did not track the tag${untracked.length > 1 ? 's' : ''} ${untracked.join(', ')}` };
  if (!type) {
    // `rate` on a custom metric that never had a sample: a Counter's reads 0, a Rate's passes.
    const asCounter = aggregate(t.expression, 'counter', undefined, metrics.durationMs);
    if (asCounter === undefined || compare(asCounter, t.expression)) return { ...base, measured: undefined, passed: true };
    return { ...base, measured: undefined, passed: false, unknown: `${t.selector.metric} had no samples, so loadctl cannot tell a Counter (fails) from a Rate (passes)` };
  }
  const wrong = checkAggregation(t.expression, type);
  if (wrong) return { ...base, measured: undefined, passed: false, unknown: wrong };
  const measured = aggregate(t.expression, type, v, metrics.durationMs);
  return { ...base, measured, passed: measured === undefined || compare(measured, t.expression) };
}

/** The checks the verdict shows: one per threshold, named as k6 names it. */
export function thresholdChecks(thresholds: readonly ScriptThreshold[], metrics: K6Metrics): Check[] {
  return judgeThresholds(thresholds, metrics).map(toCheck);
}

export function toCheck(j: Judged): Check {
  const e = j.threshold.expression;
  const unit = unitOf(e, j.type, j.contains, j.threshold.selector.metric);
  const check: Check = {
    name: thresholdName(j.threshold),
    kind: 'sla',
    scope: j.threshold.key,
    metric: aggName(e),
    status: j.unknown ? 'inconclusive' : j.passed ? 'pass' : 'fail',
    limit: `${aggName(e)} ${e.operator} ${e.value}`,
    limitValue: e.value,
    measured: j.measured ?? null,
    unit,
  };
  if (j.unknown) check.reason = j.unknown;
  else if (j.measured === undefined) check.reason = 'no samples: k6 passes a rate threshold with nothing to measure';
  else if (j.samples === 0) check.reason = `no samples: ${aggName(e)} reads 0, as in k6`;
  else if (!j.passed) check.reason = `${aggName(e)} was ${j.measured} (threshold ${e.source})`;
  return check;
}

/** The unit a check shows. A custom Trend is in ms only when declared with `isTime` (k6's `contains: time`). */
export function unitOf(e: Pick<ThresholdExpression, 'aggregation'>, type: K6MetricType | undefined, contains: MetricValues['contains'], metric: string): Check['unit'] {
  if (type === 'rate') return 'ratio';
  if (type === 'counter' && e.aggregation === 'rate') return metric === 'http_reqs' ? 'req/s' : '/s';
  if (contains === 'data') return 'B';
  if (type === 'trend' && contains === 'time') return 'ms';
  return 'count';
}

export interface AbortDecision {
  /** Thresholds (named as k6 names them) failing with abortOnFail past their delay. */
  failing: string[];
}

/**
 * The live check k6 makes every 2 s: thresholds whose metric has samples, and of those the
 * failing ones with abortOnFail once `elapsedMs` is past their delayAbortEval. Null: carry on.
 */
export function abortingThresholds(thresholds: readonly ScriptThreshold[], metrics: K6Metrics, elapsedMs: number): AbortDecision | null {
  const failing: string[] = [];
  for (const t of thresholds) {
    if (!t.abortOnFail) continue;
    if (t.delayAbortEvalMs !== undefined && !(t.delayAbortEvalMs < elapsedMs)) continue;
    const v = selectMetric(metrics, t.selector);
    if (!v || v.count === 0) continue;
    const j = judgeOne(t, metrics);
    if (!j.unknown && !j.passed) failing.push(thresholdName(t));
  }
  return failing.length > 0 ? { failing } : null;
}
