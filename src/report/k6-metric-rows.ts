// The "other k6 metrics" table every report shows: each metric the run recorded besides the HTTP
// request metrics the requests table already covers (custom metrics, checks, iterations, groups,
// WebSocket and gRPC metrics), one row each in k6's own terms. Pure.
import type { K6Metrics } from '../results/k6-metric-types.js';
import { metricNames, selectMetric } from '../results/k6-metric-query.js';
import { bytes, formatValue, plain } from '../util/format.js';

export const K6_METRIC_HEADER = ['metric', 'type', 'values'];

// Shown elsewhere (the requests table, the header line) or constant noise.
const COVERED = new Set(['http_reqs', 'http_req_failed', 'http_req_duration', 'vus', 'vus_max', 'data_sent', 'data_received']);

export interface K6MetricRow {
  metric: string;
  type: string;
  values: string;
}

export function k6MetricRows(k6: K6Metrics | undefined): K6MetricRow[] {
  if (!k6) return [];
  const rows: K6MetricRow[] = [];
  for (const { metric, type, contains } of metricNames(k6)) {
    if (COVERED.has(metric) || (metric.startsWith('http_req_') && metric !== 'http_req_failed')) continue;
    const v = selectMetric(k6, { metric, tags: {} });
    if (!v) continue;
    const show = (x: number) => (contains === 'time' ? formatValue(x, 'ms') : contains === 'data' ? bytes(x) : plain(x));
    let values: string;
    if (type === 'trend') values = `avg ${show(v.avg)} · p50 ${show(v.med)} · p95 ${show(v.percentile(95))} · p99 ${show(v.percentile(99))} · max ${show(v.max)} · n ${plain(v.count)}`;
    else if (type === 'rate') values = `${formatValue(v.rate, 'ratio')} (${plain(v.passes)} of ${plain(v.passes + v.fails)})`;
    else if (type === 'counter') values = `${show(v.total)} · ${show(v.rate)}/s`;
    else values = `${show(v.value)} (min ${show(v.min)}, max ${show(v.max)})`;
    rows.push({ metric, type, values });
    if (metric === 'checks') rows.push(...perCheck(k6));
  }
  for (const name of k6.untyped ?? []) rows.push({ metric: name, type: '?', values: "not aggregated: k6's csv stream does not say its type" });
  return rows;
}

const MAX_CHECK_ROWS = 20;

// Each named check's pass rate, worst first: the row a person looks for when checks fail.
function perCheck(k6: K6Metrics): K6MetricRow[] {
  const names = [...new Set(k6.series.filter((s) => s.metric === 'checks' && s.tags.check !== undefined).map((s) => s.tags.check!))];
  const rows = names.map((check) => {
    const v = selectMetric(k6, { metric: 'checks', tags: { check } })!;
    return { rate: v.rate, row: { metric: `  checks{check:${check}}`, type: 'rate', values: `${formatValue(v.rate, 'ratio')} (${plain(v.passes)} of ${plain(v.passes + v.fails)})` } };
  });
  rows.sort((a, b) => a.rate - b.rate);
  return rows.slice(0, MAX_CHECK_ROWS).map((r) => r.row);
}
