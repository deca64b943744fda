// report.html's charts of custom k6 metrics over time: one per custom metric (at most six), from
// the per-bucket values in series[].metrics (a trend's p95, a rate, a counter's total per bucket,
// a gauge's value), drawn by html-charts.ts. Pure.
import { builtInType } from '../results/k6-metric-types.js';
import { metricNames } from '../results/k6-metric-query.js';
import type { RunResult } from '../results/types.js';

const MAX_CHARTS = 6;

export interface K6ChartData {
  k6Metrics?: { name: string; unit: string; values: (number | null)[] }[];
}

function charted(r: RunResult): { metric: string; unit: string; heading: string }[] {
  if (!r.metrics.k6) return [];
  return metricNames(r.metrics.k6)
    .filter((m) => !builtInType(m.metric) && r.series.some((p) => p.metrics?.[m.metric] !== undefined))
    .slice(0, MAX_CHARTS)
    .map(({ metric, type, contains }) => {
      const unit = type === 'rate' ? '%' : contains === 'time' ? 'ms' : contains === 'data' ? 'B' : 'n';
      const what = type === 'trend' ? 'p95' : type === 'rate' ? 'rate' : type === 'counter' ? 'per bucket' : 'value';
      return { metric, unit, heading: `${metric} (${what}${unit === 'n' ? '' : `, ${unit}`})` };
    });
}

export function k6ChartData(r: RunResult): K6ChartData {
  const list = charted(r);
  if (list.length === 0) return {};
  const scale = (unit: string) => (unit === '%' ? 100 : 1);
  return {
    k6Metrics: list.map(({ metric, unit }) => ({
      name: metric,
      unit,
      values: r.series.map((p) => {
        const v = p.metrics?.[metric];
        return v === undefined ? null : v * scale(unit);
      }),
    })),
  };
}

export function k6ChartCards(r: RunResult, card: (id: string, heading: string) => string, esc: (s: string) => string): string {
  return charted(r)
    .map((c, i) => card(`k6-${i}`, esc(c.heading)))
    .join('\n');
}
