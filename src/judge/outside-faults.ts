// The run's overall HTTP numbers with the fault windows left out, so the ordinary SLA judges the
// run outside its faults (inside them the chaos checks judge). Latencies come from merging the
// per-bucket HDR histograms of the buckets outside every window: exact to HDR precision. Pure.
import { mergeHistograms, summaryFromHistogram } from '../results/histograms.js';
import type { SeriesPoint } from '../results/series-types.js';
import type { HttpStats, Metrics } from '../results/types.js';

/**
 * Metrics whose overall `http` covers only the buckets where `inFault` is false (same index as the
 * series; see bucketsInFaults). Per-request stats stay whole-run: buckets are not kept per name.
 * Without per-bucket histograms the metrics are returned unchanged.
 */
export function metricsOutsideFaults(metrics: Metrics, series: SeriesPoint[], bucketHistograms: (string | null)[] | undefined, inFault: boolean[], bucketMs: number): Metrics {
  if (!bucketHistograms || bucketHistograms.length !== series.length || !inFault.some(Boolean)) return metrics;
  const keep = series.map((_, i) => !inFault[i]);
  const kept = series.filter((_, i) => keep[i]);
  const requests = kept.reduce((s, b) => s + b.requests, 0);
  const failed = kept.reduce((s, b) => s + b.failed, 0);
  const encoded = bucketHistograms.filter((h, i): h is string => keep[i]! && h !== null);
  const http: HttpStats = {
    requests,
    failed,
    rps: kept.length ? requests / ((kept.length * bucketMs) / 1000) : 0,
    errorRate: requests ? failed / requests : 0,
    latencyMs: summaryFromHistogram(mergeHistograms(encoded)),
  };
  return { ...metrics, http: { ...http, byName: metrics.http.byName } };
}
