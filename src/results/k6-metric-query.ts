// Reads a run's k6 metrics the way k6 does: a selector `metric{tag:value,…}` (k6's submetric
// syntax) picks every series whose tags hold each pair, and their aggregates add up to what k6
// would have computed from the same samples. Pure.
import type { JsHistogram } from 'hdr-histogram-js';
import { decodeHistogram, newHistogram, percentilesMs } from './histograms.js';
import type { K6Metrics, MetricSelector, MetricSeries, MetricValues } from './k6-metric-types.js';

/**
 * Parses k6's metric key: `name` or `name{key:value,…}`. Keys and values are trimmed of spaces and
 * quotes as k6 trims them; a value may itself hold colons (`group:::checkout` is group "::checkout").
 * Returns a sentence saying what is wrong instead of throwing.
 */
export function parseSelector(key: string): MetricSelector | string {
  const open = key.indexOf('{');
  const close = key.lastIndexOf('}');
  if (open < 0 && close < 0) {
    const metric = key.trim();
    return validName(metric) ? { metric, tags: {} } : `"${key}" is not a metric name (letters, digits and _ only, at most 128 characters)`;
  }
  if (open < 0 || close < 0 || close < open) return `"${key}" has unbalanced braces`;
  if (close !== key.length - 1) return `"${key}" has text after its closing brace`;
  const metric = key.slice(0, open).trim();
  if (!validName(metric)) return `"${metric}" in "${key}" is not a metric name (letters, digits and _ only)`;
  const inner = key.slice(open + 1, close).trim();
  if (inner === '') return `"${key}" has an empty tag filter: name at least one tag:value pair`;
  const tags: Record<string, string> = {};
  for (const pair of inner.split(',')) {
    if (pair.trim() === '') continue;
    const colon = pair.indexOf(':');
    if (colon < 0) return `"${pair.trim()}" in "${key}" is not a tag:value pair`;
    const k = unquote(pair.slice(0, colon));
    if (k === '') return `"${pair.trim()}" in "${key}" has no tag name`;
    tags[k] = unquote(pair.slice(colon + 1));
  }
  return { metric, tags };
}

function unquote(s: string): string {
  return s.trim().replace(/^["']+|["']+$/g, '');
}

// k6's rule for metric names (metrics/registry.go): ASCII letters, digits and underscores, 1–128.
function validName(name: string): boolean {
  return /^[A-Za-z0-9_]{1,128}$/.test(name);
}

/** The key k6 would print for a selector (tags in the order given). */
export function selectorKey(s: MetricSelector): string {
  const pairs = Object.entries(s.tags).map(([k, v]) => `${k}:${v}`);
  return pairs.length === 0 ? s.metric : `${s.metric}{${pairs.join(',')}}`;
}

export function matches(series: MetricSeries, selector: MetricSelector): boolean {
  if (series.metric !== selector.metric) return false;
  for (const [k, v] of Object.entries(selector.tags)) if (series.tags[k] !== v) return false;
  return true;
}

/** Tags a selector filters on that the run did not track: such a selector cannot be answered. */
export function untrackedTags(selector: MetricSelector, tracked: readonly string[]): string[] {
  return Object.keys(selector.tags).filter((t) => !tracked.includes(t));
}

/** The selector's aggregate, or undefined when no sample of the metric matched. */
export function selectMetric(metrics: K6Metrics, selector: MetricSelector): MetricValues | undefined {
  const picked = metrics.series.filter((s) => matches(s, selector));
  if (picked.length === 0) return undefined;
  return combine(picked, metrics.durationMs);
}

/** Every metric name in the run with its type, sorted by name. */
export function metricNames(metrics: K6Metrics): Array<{ metric: string; type: MetricSeries['type']; contains: MetricValues['contains'] }> {
  const seen = new Map<string, MetricSeries>();
  for (const s of metrics.series) if (!seen.has(s.metric)) seen.set(s.metric, s);
  return [...seen.values()]
    .sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0))
    .map((s) => ({ metric: s.metric, type: s.type, contains: s.contains ?? 'default' }));
}

export function combine(picked: readonly MetricSeries[], durationMs: number): MetricValues {
  const first = picked[0]!;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let nonZero = 0;
  let last = 0;
  let lastAt = -Infinity;
  for (const s of picked) {
    count += s.count;
    sum += s.sum;
    nonZero += s.nonZero;
    if (s.count > 0) {
      if (s.min < min) min = s.min;
      if (s.max > max) max = s.max;
    }
    if (s.lastAt >= lastAt) {
      lastAt = s.lastAt;
      last = s.last;
    }
  }
  if (count === 0) {
    min = 0;
    max = 0;
  }
  const trend = first.type === 'trend' ? trendPercentile(picked, min, max) : () => 0;
  const seconds = durationMs / 1000;
  let rate = 0;
  if (first.type === 'rate') rate = count > 0 ? nonZero / count : 0;
  else if (first.type === 'counter') rate = seconds > 0 ? sum / seconds : 0;
  return {
    type: first.type,
    contains: first.contains ?? 'default',
    series: picked.length,
    count: first.type === 'counter' ? sum : count,
    avg: count > 0 ? sum / count : 0,
    min,
    max,
    med: trend(50),
    percentile: trend,
    rate,
    total: sum,
    passes: nonZero,
    fails: count - nonZero,
    value: last,
  };
}

/**
 * k6's percentile over the union of the series' samples (linear interpolation between ranks), from
 * their merged histograms; p(0) and p(100) are the exact min and max.
 */
function trendPercentile(picked: readonly MetricSeries[], min: number, max: number): (p: number) => number {
  let pos: JsHistogram | undefined;
  let neg: JsHistogram | undefined;
  const merge = (into: JsHistogram | undefined, encoded: string | undefined): JsHistogram | undefined => {
    if (encoded === undefined) return into;
    const h = decodeHistogram(encoded);
    if (!into) return h;
    into.add(h);
    return into;
  };
  for (const s of picked) {
    pos = merge(pos, s.hist);
    neg = merge(neg, s.histNeg);
  }
  const nNeg = neg?.totalCount ?? 0;
  const nPos = pos?.totalCount ?? 0;
  const n = nNeg + nPos;
  const memo = new Map<number, number>();
  return (p: number): number => {
    if (n === 0) return 0;
    if (p <= 0) return min;
    if (p >= 100) return max;
    const hit = memo.get(p);
    if (hit !== undefined) return hit;
    const r = (p / 100) * (n - 1);
    const lo = Math.floor(r);
    const at = (rank: number): number => {
      if (rank < nNeg) return -rankValue(neg!, nNeg - 1 - rank);
      return rankValue(pos ?? newHistogram(), rank - nNeg);
    };
    const a = at(lo);
    const v = Math.min(max, Math.max(min, a + (at(Math.ceil(r)) - a) * (r - lo)));
    memo.set(p, v);
    return v;
  };
}

// The value (in the metric's unit) at a 0-based rank of a histogram of |value| × 1000.
function rankValue(h: JsHistogram, rank: number): number {
  const n = h.totalCount;
  if (n <= 1) return percentilesMs(h, [0])[0]!;
  return percentilesMs(h, [rank / (n - 1)])[0]!;
}
