// A k6 script's thresholds, read the way k6 reads them (metrics/thresholds_parser.go, v2.2.0): the
// expression `<aggregation> <operator> <number>`, the object form {threshold, abortOnFail,
// delayAbortEval}, a key naming a metric or a submetric. Bad input is a UsageError naming the
// script, the threshold key and the expression, with the fix. Pure.

import { UsageError } from '../util/errors.js';
import { parseSelector } from '../results/k6-metric-query.js';
import { BUILT_IN_METRICS, builtInType, type K6MetricType, type MetricSelector } from '../results/k6-metric-types.js';
import { goParseFloat, parseGoDuration } from './go-syntax.js';
import { AGGREGATIONS, OPERATORS, type Aggregation, type Operator, type ScriptThreshold, type ThresholdExpression } from './types.js';

export { AGGREGATIONS, OPERATORS, type Aggregation, type Operator, type ScriptThreshold, type ThresholdExpression };

/** Which aggregations each metric type answers (k6's metrics/metric_type.go). */
export const AGGREGATIONS_BY_TYPE: Record<K6MetricType, readonly Aggregation[]> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

/** k6's built-in metrics and their types (metrics/builtin.go): known before any sample arrives. */
export const BUILTIN_METRIC_TYPES: Readonly<Record<string, K6MetricType>> = Object.fromEntries(BUILT_IN_METRICS.map((m) => [m, builtInType(m)!.type]));

/** Parses one expression as k6 does; a sentence saying what is wrong instead of throwing. */
export function parseExpression(source: string): ThresholdExpression | string {
  let scanned: { left: string; operator: Operator; right: string } | undefined;
  for (const operator of OPERATORS) {
    const at = source.indexOf(operator);
    if (at < 0) continue;
    const right = source.slice(at + operator.length);
    if (right === '') continue;
    scanned = { left: source.slice(0, at).trim(), operator, right: right.trim() };
    break;
  }
  if (!scanned) return `no comparison in it: write <aggregation> <operator> <number>, with an operator among ${OPERATORS.join(' ')}`;
  const { left, operator, right } = scanned;
  const agg = parseAggregation(left);
  if (typeof agg === 'string') return agg;
  const value = goParseFloat(right);
  if (value === undefined) return `"${right}" after ${operator} is not a number`;
  return { source, ...agg, operator, value };
}

export function parseAggregation(left: string): Pick<ThresholdExpression, 'aggregation' | 'percentile'> | string {
  if ((AGGREGATIONS as readonly string[]).includes(left)) return { aggregation: left as Aggregation };
  if (left.startsWith('p(') && left.endsWith(')')) {
    const inner = left.slice(2, -1);
    const p = goParseFloat(inner);
    if (p === undefined) return `"${inner}" in ${left} is not a number: write a percentile like p(95) or p(99.9)`;
    if (Number.isNaN(p) || p < 0 || p > 100) return `${left} is not a percentile: write a number from 0 to 100, like p(95)`;
    return { aggregation: 'p', percentile: p };
  }
  return `"${left}" is not an aggregation: use one of ${AGGREGATIONS.filter((a) => a !== 'p').join(', ')} or p(N)`;
}

/** Is the aggregation one the metric type answers? A sentence saying what to use instead if not. */
export function checkAggregation(expr: ThresholdExpression, type: K6MetricType): string | undefined {
  const allowed = AGGREGATIONS_BY_TYPE[type];
  if (allowed.includes(expr.aggregation)) return undefined;
  const names = allowed.map((a) => (a === 'p' ? 'p(N)' : a)).join(', ');
  return `${aggName(expr)} does not apply to a ${type} metric: use ${names}`;
}

export function aggName(expr: Pick<ThresholdExpression, 'aggregation' | 'percentile'>): string {
  return expr.aggregation === 'p' ? `p(${expr.percentile})` : expr.aggregation;
}

/** The name k6 gives a threshold in its summary: `http_req_duration{name:checkout}: p(95)<500`. */
export function thresholdName(t: Pick<ScriptThreshold, 'key' | 'expression'>): string {
  return `${t.key}: ${t.expression.source}`;
}

/**
 * The `thresholds` option as `k6 inspect` prints it (a key → a list of expressions or objects),
 * checked and parsed. `script` names the file in errors. Throws UsageError.
 */
export function parseThresholds(raw: unknown, script: string): ScriptThreshold[] {
  if (raw === null || raw === undefined) return [];
  const fail = (key: string, what: string, fix: string): never => {
    throw new UsageError(`${script}: options.thresholds["${key}"]: ${what}`, fix);
  };
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('', 'thresholds must be an object of metric → list of expressions', "write thresholds: { http_req_duration: ['p(95)<500'] }");
  const out: ScriptThreshold[] = [];
  for (const [key, list] of Object.entries(raw as Record<string, unknown>)) {
    const selector = parseSelector(key);
    if (typeof selector === 'string') fail(key, `the key is not a metric: ${selector}`, 'name a metric, or a submetric like http_req_duration{name:checkout}');
    const sel = selector as MetricSelector;
    const items = Array.isArray(list) ? list : fail(key, 'expected a list of threshold expressions', `write "${key}": ['p(95)<500']`);
    for (const item of items as unknown[]) {
      const t = thresholdItem(item, key, sel, fail);
      const type = BUILTIN_METRIC_TYPES[sel.metric];
      const wrongAgg = type ? checkAggregation(t.expression, type) : undefined;
      if (wrongAgg) fail(key, `"${t.expression.source}": ${wrongAgg}`, `change the expression, e.g. ${exampleFor(type!)}`);
      out.push(t);
    }
  }
  return out;
}

type Fail = (key: string, what: string, fix: string) => never;

function thresholdItem(item: unknown, key: string, selector: MetricSelector, fail: Fail): ScriptThreshold {
  let source: unknown = item;
  let abortOnFail = false;
  let delayAbortEvalMs: number | undefined;
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    source = o.threshold;
    if (o.abortOnFail !== undefined && typeof o.abortOnFail !== 'boolean') fail(key, `abortOnFail must be true or false (got ${JSON.stringify(o.abortOnFail)})`, 'write abortOnFail: true');
    abortOnFail = o.abortOnFail === true;
    const delay = o.delayAbortEval;
    if (delay !== undefined && delay !== null) {
      const ms = typeof delay === 'number' ? delay : typeof delay === 'string' ? parseGoDuration(delay) : undefined;
      if (ms === undefined) fail(key, `delayAbortEval ${JSON.stringify(delay)} is not a duration`, "write a duration like '10s' or '1m'");
      delayAbortEvalMs = ms;
    }
  }
  if (typeof source !== 'string') fail(key, `expected an expression such as 'p(95)<500' (got ${JSON.stringify(source)})`, "write each threshold as a string, or as { threshold: 'p(95)<500', abortOnFail: true }");
  const expr = parseExpression(source as string);
  if (typeof expr === 'string') fail(key, `"${String(source)}" is malformed: ${expr}`, "write it as k6 does, e.g. 'p(95)<500', 'rate<0.01', 'count>100'");
  return { key, selector, expression: expr as ThresholdExpression, abortOnFail, ...(delayAbortEvalMs !== undefined ? { delayAbortEvalMs } : {}) };
}

function exampleFor(type: K6MetricType): string {
  return { counter: "'count>100' or 'rate>10'", gauge: "'value<50'", rate: "'rate<0.01'", trend: "'p(95)<500' or 'avg<200'" }[type];
}

/** The tags the thresholds filter on: the run must track them to answer the submetrics. */
export function thresholdTags(thresholds: readonly ScriptThreshold[]): string[] {
  const tags = new Set<string>();
  for (const t of thresholds) for (const k of Object.keys(t.selector.tags)) tags.add(k);
  return [...tags].sort();
}
