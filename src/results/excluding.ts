// A run's HTTP numbers over part of its time buckets: the buckets a fault window covered are left
// out, so the ordinary SLA is judged on the run outside its faults (the faults have their own
// checks). Rebuilt from the per-bucket histograms, so percentiles stay exact to HDR precision.
// Pure.

import { decodeHistogram, newHistogram, summaryFromHistogram } from './histograms.js';
import type { AggregateResult } from './series-types.js';
import type { HttpStats, Metrics } from './types.js';

export function metricsExcluding(agg: Pick<AggregateResult, 'metrics' | 'series' | 'histograms' | 'bucketMs'>, excluded: readonly boolean[]): Metrics {
  const keep = agg.series.map((_, i) => !excluded[i]);
  const seconds = (keep.filter(Boolean).length * agg.bucketMs) / 1000;
  // `requests` defaults to the latency samples kept (a request name's buckets count no more).
  const stats = (hists: readonly (string | null)[] | undefined, failed: number, counted?: number): HttpStats => {
    const h = newHistogram(64, 3);
    hists?.forEach((e, i) => keep[i] && e && h.add(decodeHistogram(e)));
    const requests = counted ?? h.totalCount;
    return { requests, failed, rps: seconds > 0 ? requests / seconds : 0, errorRate: requests > 0 ? failed / requests : 0, latencyMs: summaryFromHistogram(h) };
  };
  const sum = (xs: readonly number[]) => xs.reduce((s, x, i) => s + (keep[i] ? x : 0), 0);
  const byName: Record<string, HttpStats> = {};
  for (const [name, whole] of Object.entries(agg.metrics.http.byName)) {
    const ns = agg.histograms.bucketsByName?.[name];
    if (!ns) {
      byName[name] = whole; // not kept by bucket: the whole run is all there is
      continue;
    }
    byName[name] = stats(ns.hists, sum(ns.failed));
  }
  const overall = stats(agg.histograms.buckets, sum(agg.series.map((p) => p.failed)), sum(agg.series.map((p) => p.requests)));
  return { ...agg.metrics, http: { ...overall, byName } };
}
