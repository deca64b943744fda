// The k6 metrics a baseline keeps besides HTTP: each custom Trend's p50/p95/p99 (with its sample
// count, so thin tails are not judged) and the rate of each custom Rate and of `checks`, keyed
// "<metric>:<aggregation>". Counters and gauges depend on the load and the run's length, not on
// the service, so they are not compared. Pure.
import { metricNames, selectMetric } from '../../results/k6-metric-query.js';
import { builtInType, type K6Metrics } from '../../results/k6-metric-types.js';

export const K6_PERCENTILES = [['p50', 50], ['p95', 95], ['p99', 99]] as const;

export function k6Values(k6: K6Metrics | undefined): Record<string, number> | undefined {
  if (!k6) return undefined;
  const out: Record<string, number> = {};
  for (const { metric, type } of metricNames(k6)) {
    const custom = !builtInType(metric);
    if (!custom && metric !== 'checks') continue;
    const v = selectMetric(k6, { metric, tags: {} });
    if (!v || v.count === 0) continue;
    if (type === 'trend') {
      out[`${metric}:n`] = v.count;
      for (const [agg, p] of K6_PERCENTILES) out[`${metric}:${agg}`] = v.percentile(p);
    } else if (type === 'rate') {
      out[`${metric}:n`] = v.count;
      out[`${metric}:rate`] = v.rate;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What a key compares, for the judge: how to show it and which way is worse. */
export function k6KeyInfo(key: string, contains: 'time' | 'data' | 'default' | undefined): { metric: string; agg: string; higherIsWorse: boolean; log: boolean; unit: 'ms' | 'ratio' | 'count' } {
  const at = key.lastIndexOf(':');
  const metric = key.slice(0, at);
  const agg = key.slice(at + 1);
  if (agg === 'rate') return { metric, agg, higherIsWorse: metric !== 'checks', log: false, unit: 'ratio' };
  return { metric, agg, higherIsWorse: true, log: true, unit: contains === 'time' ? 'ms' : 'count' };
}
