// Shapes the aggregator produces besides results/types.ts: time series, encoded histograms and the
// live snapshot for the progress line.
import type { EncodedHistograms, LatencySummary, Metrics, SeriesPoint } from './types.js';

export type { EncodedHistograms, SeriesPoint } from './types.js';

export interface AggregateResult {
  metrics: Metrics;
  series: SeriesPoint[];
  histograms: EncodedHistograms;
  timings: { waitingMs: LatencySummary; connectingMs: LatencySummary };
  startMs: number; // epoch ms of the first sample (series tMs are offsets from it)
  durationMs: number; // first to last sample
  bucketMs: number;
  lateSamples: number; // arrived after their bucket was closed (counted, merged back in)
  ignoredSamples: number; // times over a day beyond all earlier samples (not k6's): left out
  otherNames: number; // requests folded into OTHER_NAME once maxNames distinct names were seen
}

/** A cheap snapshot for the progress line. */
export interface LiveStats {
  elapsedMs: number;
  requests: number;
  rps: number; // over the last full bucket
  p95: number | null; // over the last ~5 buckets, ms
  errorRate: number; // whole run so far
  vus: number;
}
