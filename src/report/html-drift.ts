// The fitted drift lines drawn over report.html's charts: each drift check's Theil–Sen line from
// the start to the end of the judged window, on the chart of its metric. Pure.

import type { RunResult } from '../results/types.js';

/** One fitted line in chart units: seconds on x; ms, req/s or % on y. */
export interface TrendLine {
  label: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  failed: boolean;
}

export interface TrendLines {
  latency: TrendLine[];
  rps: TrendLine[];
  errorPct: TrendLine[];
}

const CHART: Record<string, { chart: keyof TrendLines; scale: number }> = {
  p95: { chart: 'latency', scale: 1 },
  p99: { chart: 'latency', scale: 1 },
  rps: { chart: 'rps', scale: 1 },
  errorRate: { chart: 'errorPct', scale: 100 },
};

export function trendLines(r: RunResult): TrendLines {
  const out: TrendLines = { latency: [], rps: [], errorPct: [] };
  const half = r.bucketMs / 2; // series points are drawn at their bucket's middle
  for (const c of r.checks) {
    const on = CHART[c.metric];
    if (c.kind !== 'drift' || c.scope !== 'overall' || !c.drift || !on) continue;
    const d = c.drift;
    out[on.chart].push({ label: `${c.metric} trend`, x0: (d.startMs + half) / 1000, y0: d.from * on.scale, x1: (d.endMs + half) / 1000, y1: d.to * on.scale, failed: c.status === 'fail' });
  }
  return out;
}
