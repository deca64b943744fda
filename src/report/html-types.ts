// The shapes report.html is built from: its assets, its overlays and the data its charts read. Pure.
import type { K6ChartData } from './html-k6-metrics.js';
import type { ScalingChartData } from '../capacity/html.js';
import type { TrendLines } from './html-drift.js';

export interface ChartAssets {
  chartJs: string;
  chartCss?: string;
}

/**
 * The baseline pool's [min, max] bands drawn on the charts: p95/p50 in ms on the latency chart, rps
 * on the throughput chart. Derived from the run's own baseline checks; HtmlOptions.baseline overrides.
 */
export interface BaselineBands {
  p95?: [number, number];
  p50?: [number, number];
  rps?: [number, number];
}

/** Overrides for overlays that need more than one run. */
export interface HtmlOptions {
  baseline?: BaselineBands;
}

/** What the in-page chart script reads (see html-charts.ts). Times in seconds from the first sample. */
export interface ChartData extends ScalingChartData, K6ChartData {
  t: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  rps: number[];
  errorPct: number[];
  vus: number[];
  phases: { name: string; start: number; end: number }[];
  faults: { label: string; start: number; end: number }[]; // fault windows, shaded on every chart
  limits: { latency: Limit[]; rps: Limit[]; errorPct: Limit[] };
  baseline?: BaselineBands & { runs?: number };
  trends: TrendLines; // fitted drift lines (html-drift.ts)
}
export interface Limit {
  label: string;
  value: number;
}
