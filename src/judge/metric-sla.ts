// `sla.metrics`: limits on any k6 metric, built-in or custom, in k6's vocabulary. Pure.
//
//   sla:
//     metrics:
//       tunnel_setup: { p95: 200 }                     # at most 200 (ms for time trends)
//       checks: { rate: 0.99 }                         # checks: at least 99 % passed
//       "http_req_duration{group:::wizard}": { "p(95)": 800 }
//       jobs_failed: { count: "< 5" }                  # a comparison of k6's: < <= > >= == !=
//
// A bare number is an upper bound, except for the `checks` rate (a success rate: a lower bound).
// Aggregations follow k6's rules per metric type: trends avg/min/max/med/p(N), rates rate, counters
// count/rate, gauges value.
import type { MetricLimits } from '../config/types.js';
import type { Check } from '../results/types.js';
import type { K6Metrics, K6MetricType, MetricSelector, MetricValues } from '../results/k6-metric-types.js';
import { parseSelector, selectMetric, untrackedTags } from '../results/k6-metric-query.js';
import { builtInType } from '../results/k6-metric-store.js';
import { formatValue } from '../util/format.js';


export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type Aggregation = { kind: 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' } | { kind: 'p'; p: number };

export interface ParsedLimit {
  selector: MetricSelector;
  key: string; // the selector as written
  agg: Aggregation;
  aggText: string; // as written
  op: Op;
  value: number;
}

const VALID: Record<K6MetricType, ReadonlyArray<Aggregation['kind']>> = {
  trend: ['avg', 'min', 'max', 'med', 'p'],
  rate: ['rate'],
  counter: ['count', 'rate'],
  gauge: ['value'],
};

export function validAggregations(type: K6MetricType): string {
  return VALID[type].map((k) => (k === 'p' ? 'p(N) (e.g. p95 or p(99.9))' : k)).join(', ');
}

/** `p95`, `p(95)`, `p99.9`, `avg`, … → an aggregation; undefined if unknown. */
export function parseAggregation(text: string): Aggregation | undefined {
  const t = text.trim();
  if (t === 'avg' || t === 'min' || t === 'max' || t === 'med' || t === 'count' || t === 'rate' || t === 'value') return { kind: t };
  const m = /^p\(?\s*(\d+(?:\.\d+)?)\s*\)?$/.exec(t);
  if (!m || (t.includes('(') !== t.endsWith(')'))) return undefined;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? { kind: 'p', p } : undefined;
}

/** "< 5", ">=0.99" → a comparison; undefined if not one. */
export function parseComparison(text: string): { op: Op; value: number } | undefined {
  const m = /^\s*(<=|>=|===|==|!=|<|>)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/.exec(text);
  if (!m) return undefined;
  return { op: (m[1] === '===' ? '==' : m[1]) as Op, value: Number(m[2]) };
}

/**
 * Every limit of `sla.metrics`, or the first problem as [field pointer under sla/metrics, message,
 * fix]. Types are checked here for k6's built-in metrics; custom ones are checked once the run
 * says what they are.
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
      const agg = parseAggregation(aggText);
      if (!agg) return { pointer: at, detail: `"${aggText}" is not an aggregation k6 knows`, hint: 'use avg, min, max, med, p(N) (e.g. p95), count, rate or value' };
      if (builtIn && !VALID[builtIn.type].includes(agg.kind)) {
        return { pointer: at, detail: `${selector.metric} is a ${builtIn.type}: it has no ${aggText}`, hint: `use ${validAggregations(builtIn.type)}` };
      }
      let cmp: { op: Op; value: number } | undefined;
      if (typeof limit === 'number') cmp = { op: defaultOp(selector.metric, agg), value: limit };
      else cmp = parseComparison(limit);
      if (!cmp || !Number.isFinite(cmp.value)) return { pointer: at, detail: `${JSON.stringify(limit)} is not a limit`, hint: 'write a number (an upper bound) or a comparison such as ">= 0.99"' };
      out.push({ selector, key, agg, aggText, ...cmp });
    }
  }
  return out;
}

/** The tags the limits filter on (the run must track them). */
export function limitTags(limits: readonly ParsedLimit[]): string[] {
  return [...new Set(limits.flatMap((l) => Object.keys(l.selector.tags)))];
}

function defaultOp(metric: string, agg: Aggregation): Op {
  return metric === 'checks' && agg.kind === 'rate' ? '>=' : '<=';
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value of an aggregation, in k6's terms. */
export function aggregate(v: MetricValues, agg: Aggregation): number {
  switch (agg.kind) {
    case 'avg': return v.avg;
    case 'min': return v.min;
    case 'max': return v.max;
    case 'med': return v.med;
    case 'p': return v.percentile(agg.p);
    case 'count': return v.count;
    case 'rate': return v.rate;
    case 'value': return v.value;
  }
}

export function compare(measured: number, op: Op, limit: number): boolean {
  switch (op) {
    case '<': return measured < limit;
    case '<=': return measured <= limit;
    case '>': return measured > limit;
    case '>=': return measured >= limit;
    case '==': return measured === limit;
    case '!=': return measured !== limit;
  }
}

/** The unit a check shows for an aggregation of a metric. */
export function unitFor(v: Pick<MetricValues, 'type' | 'contains'>, agg: Aggregation): Check['unit'] {
  if (agg.kind === 'rate') return v.type === 'rate' ? 'ratio' : v.contains === 'data' ? 'B' : '/s';
  if (v.contains === 'time' && agg.kind !== 'count') return 'ms';
  if (v.contains === 'data') return 'B';
  return 'count';
}

/** One check per limit, judged on the run's k6 metrics. */
export function judgeMetricLimits(limits: readonly ParsedLimit[], k6: K6Metrics | undefined): Check[] {
  return limits.map((l) => {
    const name = `${l.aggText} of ${l.key}`;
    const base = { name, kind: 'sla' as const, scope: l.key, metric: l.aggText, limitValue: l.value };
    const limitText = (unit: Check['unit']) => `${l.op} ${formatValue(l.value, unit)}`;
    if (!k6) {
      return { ...base, status: 'inconclusive' as const, limit: limitText('count'), measured: null, unit: 'count' as const, reason: 'this run recorded no k6 metrics beyond HTTP (an older result or k6 output)' };
    }
    const missing = untrackedTags(l.selector, k6.tags);
    if (missing.length > 0) {
      return { ...base, status: 'inconclusive' as const, limit: limitText('count'), measured: null, unit: 'count' as const, reason: `the run did not track the tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
    }
    if (k6.untyped?.includes(l.selector.metric)) {
      return { ...base, status: 'inconclusive' as const, limit: limitText('count'), measured: null, unit: 'count' as const, reason: `k6's csv stream does not say what type ${l.selector.metric} is; use loadctl's k6 output (scripts/install-k6.sh) or LOADCTL_SAMPLE_FORMAT=json` };
    }
    const v = selectMetric(k6, l.selector);
    if (!v) {
      return { ...base, status: 'inconclusive' as const, limit: limitText('count'), measured: null, unit: 'count' as const, reason: `no ${l.key} samples were recorded` };
    }
    const unit = unitFor(v, l.agg);
    if (!VALID[v.type].includes(l.agg.kind)) {
      return { ...base, status: 'fail' as const, limit: limitText(unit), measured: null, unit, reason: `sla.metrics: ${l.selector.metric} is a ${v.type}, which has no ${l.aggText}; use ${validAggregations(v.type)}` };
    }
    const measured = aggregate(v, l.agg);
    const ok = compare(measured, l.op, l.value);
    return {
      ...base,
      status: ok ? ('pass' as const) : ('fail' as const),
      limit: limitText(unit),
      measured,
      unit,
      ...(ok ? {} : { reason: `${formatValue(measured, unit)} does not meet the limit ${limitText(unit)}` }),
    };
  });
}
