// `sla.metrics`: limits on any k6 metric, built-in or custom, in k6's vocabulary. Pure.
//
//   sla:
//     metrics:
//       tunnel_setup: { p95: 200 }                     # at most 200 (ms for time trends)
//       checks: { rate: 0.99 }                         # checks: at least 99 % passed
//       "http_req_duration{group:::wizard}": { "p(95)": 800 }
//       jobs_failed: { count: "< 5" }                  # any of k6's comparisons: < <= > >= == !=
//
// A bare number is an upper bound, except for the `checks` rate (a success rate: a lower bound).
// Each limit becomes a k6 threshold expression and is judged by the same code as a script's
// thresholds (thresholds/), so the two agree on aggregations, types and numbers. Unlike a
// threshold, a limit on a metric with no samples is inconclusive (as the HTTP limits are).
import type { MetricLimits } from '../../config/types.js';
import type { Check } from '../../results/types.js';
import type { K6Metrics, MetricSelector } from '../../results/k6-metric-types.js';
import { builtInType } from '../../results/k6-metric-types.js';
import { metricNames, parseSelector, selectMetric, untrackedTags } from '../../results/k6-metric-query.js';
import { closestName } from '../../util/closest.js';
import { AGGREGATIONS_BY_TYPE, parseAggregation, parseExpression, type ThresholdExpression } from '../../thresholds/parse.js';
import { aggregate, compare, unitOf } from '../../thresholds/evaluate.js';
import { formatValue } from '../../util/format.js';

export interface ParsedLimit {
  selector: MetricSelector;
  key: string; // the selector as written
  aggText: string; // the aggregation as written
  expression: ThresholdExpression;
}

/** `p95` (loadctl's short form) or any of k6's aggregations: avg, min, max, med, p(N), count, rate, value. */
function aggregationText(text: string): string {
  const short = /^p(\d+(?:\.\d+)?)$/.exec(text.trim());
  return short ? `p(${short[1]})` : text.trim();
}

function expressionFor(metric: string, aggText: string, limit: number | string): ThresholdExpression | string {
  const agg = aggregationText(aggText);
  const parsed = parseAggregation(agg);
  if (typeof parsed === 'string') return parsed;
  if (typeof limit === 'number') {
    const op = metric === 'checks' && parsed.aggregation === 'rate' ? '>=' : '<=';
    return { source: `${agg}${op}${limit}`, ...parsed, operator: op, value: limit };
  }
  const e = parseExpression(`${agg}${limit}`);
  return typeof e === 'string' || !/^\s*(<=|>=|===|==|!=|<|>)/.test(limit) ? `${JSON.stringify(limit)} is not a limit` : e;
}

/**
 * Every limit of `sla.metrics`, or the first problem as a field pointer, what is wrong and the fix.
 * Types are checked here for k6's built-in metrics; custom ones once the run says what they are.
 */
export function parseMetricLimits(metrics: Record<string, MetricLimits>): ParsedLimit[] | { pointer: string; detail: string; hint: string } {
  const out: ParsedLimit[] = [];
  for (const [key, limits] of Object.entries(metrics)) {
    const field = `/sla/metrics/${escapePointer(key)}`;
    const selector = parseSelector(key);
    if (typeof selector === 'string') return { pointer: field, detail: selector, hint: 'write a k6 metric name, optionally with a tag filter: http_req_duration{name:checkout}' };
    const builtIn = builtInType(selector.metric);
    for (const [aggText, limit] of Object.entries(limits)) {
      const at = `${field}/${escapePointer(aggText)}`;
      const expression = expressionFor(selector.metric, aggText, limit);
      if (typeof expression === 'string') {
        const isAgg = typeof parseAggregation(aggregationText(aggText)) !== 'string';
        return isAgg
          ? { pointer: at, detail: expression, hint: 'write a number (an upper bound) or a comparison such as ">= 0.99"' }
          : { pointer: at, detail: `"${aggText}" is not an aggregation k6 knows`, hint: 'use avg, min, max, med, p(N) (e.g. p95), count, rate or value' };
      }
      if (builtIn && !AGGREGATIONS_BY_TYPE[builtIn.type].includes(expression.aggregation)) {
        return { pointer: at, detail: `${selector.metric} is a ${builtIn.type}: it has no ${aggText}`, hint: `use ${validAggregations(builtIn.type)}` };
      }
      out.push({ selector, key, aggText, expression });
    }
  }
  return out;
}

function validAggregations(type: keyof typeof AGGREGATIONS_BY_TYPE): string {
  return AGGREGATIONS_BY_TYPE[type].map((a) => (a === 'p' ? 'p(N) (e.g. p95 or p(99.9))' : a)).join(', ');
}

/** The tags the limits filter on (the run must track them). */
export function limitTags(limits: readonly ParsedLimit[]): string[] {
  return [...new Set(limits.flatMap((l) => Object.keys(l.selector.tags)))];
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** One check per limit, judged on the run's k6 metrics. */
export function judgeMetricLimits(limits: readonly ParsedLimit[], k6: K6Metrics | undefined): Check[] {
  return limits.map((l) => {
    const e = l.expression;
    const base = { name: `${l.aggText} of ${l.key}`, kind: 'sla' as const, scope: l.key, metric: l.aggText, limitValue: e.value };
    const limitText = (unit: Check['unit']) => `${e.operator === '===' ? '==' : e.operator} ${formatValue(e.value, unit)}`;
    const inconclusive = (reason: string): Check => ({ ...base, status: 'inconclusive', limit: limitText('count'), measured: null, unit: 'count', reason });
    if (!k6) return inconclusive('this run recorded no k6 metrics beyond HTTP (an older result or k6 output)');
    const missing = untrackedTags(l.selector, k6.tags);
    if (missing.length > 0) return inconclusive(`the run did not track the tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    if (k6.untyped?.includes(l.selector.metric)) {
      return inconclusive(`k6's csv stream does not say what type ${l.selector.metric} is; unset LOADCTL_SAMPLE_FORMAT (k6's json stream is the default)`);
    }
    const v = selectMetric(k6, l.selector);
    if (!v || v.count === 0) {
      const known = metricNames(k6).map((m) => m.metric);
      const near = known.includes(l.selector.metric) ? undefined : closestName(l.selector.metric, known);
      return inconclusive(`no ${l.key} samples were recorded${near ? ` (did you mean ${near}?)` : ''}`);
    }
    const unit = unitOf(e, v.type, v.contains, l.selector.metric);
    if (!AGGREGATIONS_BY_TYPE[v.type].includes(e.aggregation)) {
      return { ...base, status: 'fail', limit: limitText(unit), measured: null, unit, reason: `sla.metrics: ${l.selector.metric} is a ${v.type}, which has no ${l.aggText}; use ${validAggregations(v.type)}` };
    }
    const measured = aggregate(e, v.type, v, k6.durationMs) ?? 0;
    const ok = compare(measured, e);
    return { ...base, status: ok ? 'pass' : 'fail', limit: limitText(unit), measured, unit, ...(ok ? {} : { reason: `${formatValue(measured, unit)} does not meet the limit ${limitText(unit)}` }) };
  });
}
