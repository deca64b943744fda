// Shapes the aggregator produces besides results/types.ts: time series, encoded histograms and the
// live snapshot for the progress line.
import type { LatencySummary, Metrics } from './types.js';

/** One time bucket. Percentiles in ms, null when the bucket saw no request. */
export interface SeriesPoint {
  tMs: number; // bucket start, from the run's first sample
  rps: number; // requests / bucket seconds
  errorRate: number; // failed / requests (0 without requests)
  p50: number | null;
  p95: number | null;
  p99: number | null;
  vus: number; // highest `vus` seen in the bucket, else the last known value
  requests: number;
  failed: number;
  /** Other k6 metrics in this bucket: a trend's p95, a rate's ratio, a counter's total, a gauge's last value. */
  metrics?: Record<string, number>;
}

/**
 * HDR histograms of latencies in integer microseconds, each as hdr-histogram-js's compressed
 * base64 (the HdrHistogram V2 format, so other HdrHistogram ports read it too).
 */
export interface EncodedHistograms {
  unit: 'us';
  overall: string; // http_req_duration
  byName: Record<string, string>;
  waiting: string; // http_req_waiting
  connecting: string; // http_req_connecting
  buckets?: (string | null)[]; // http_req_duration per series point, same index; null = empty
  /** Per request name, index-aligned with the series (chaos runs): latency and failures per bucket. */
  bucketsByName?: Record<string, { hists: (string | null)[]; failed: number[] }>;
}

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
