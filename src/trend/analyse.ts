// The nightly trend of one profile/scenario: per metric, the series of nights and its change
// points, each named by the night it started and said to be a regression or an improvement.
// Latencies and throughput are tested on log values (a step is then a ratio whatever the level);
// the error rate on its own scale. Pure.

import { changePoints, type ChangePointOptions } from './changepoint.js';
import type { HistoryRecord } from './record.js';

export const HISTORY_METRICS = ['p95', 'p99', 'errorRate', 'rps'] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

export interface HistoryOptions extends ChangePointOptions {
  recent?: number; // a regression starting within the newest `recent` nights fails, default 7
  minChangePct?: number; // smaller steps are reported but never fail, default 5
  minErrorRateChange?: number; // the same for the error rate, absolute, default 0.005
}

export interface HistoryChange {
  metric: HistoryMetric;
  index: number; // night (0 = oldest kept) where the new level starts
  runId: string;
  startedAt: string;
  before: number; // level before, in the metric's unit (geometric mean for log-tested metrics)
  after: number;
  change: number; // after/before − 1; absolute difference for errorRate
  pValue: number;
  kind: 'regression' | 'improvement';
  recent: boolean; // starts within the newest `recent` nights
  failing: boolean; // a recent regression at least minChangePct large: the exit code is 1
}

export interface HistoryAnalysis {
  nights: number;
  metrics: Record<HistoryMetric, (number | null)[]>;
  changes: HistoryChange[];
  driftFailedLatest: string[]; // drift checks the newest night failed
  status: 'regressed' | 'ok' | 'too-short';
}

const DEFAULTS = { recent: 7, minChangePct: 5, minErrorRateChange: 0.005 } as const;

export function analyseHistory(records: readonly HistoryRecord[], opts: HistoryOptions = {}): HistoryAnalysis {
  // `??`, not a spread: an option passed as undefined (a CLI flag not given) keeps its default.
  const o = {
    recent: opts.recent ?? DEFAULTS.recent,
    minChangePct: opts.minChangePct ?? DEFAULTS.minChangePct,
    minErrorRateChange: opts.minErrorRateChange ?? DEFAULTS.minErrorRateChange,
  };
  const metrics = Object.fromEntries(HISTORY_METRICS.map((m) => [m, records.map((r) => (Number.isFinite(r[m]) ? r[m] : null))])) as HistoryAnalysis['metrics'];
  const changes: HistoryChange[] = [];
  for (const metric of HISTORY_METRICS) {
    const log = metric !== 'errorRate';
    // Nights without a usable value (no requests: 0 ms latency) are left out of the test.
    const idx = records.flatMap((r, i) => (Number.isFinite(r[metric]) && (!log || r[metric] > 0) ? [i] : []));
    const xs = idx.map((i) => (log ? Math.log(records[i]![metric]) : records[i]![metric]));
    for (const cp of changePoints(xs, opts)) {
      const index = idx[cp.index]!;
      const before = log ? Math.exp(cp.before) : cp.before;
      const after = log ? Math.exp(cp.after) : cp.after;
      const change = log ? after / before - 1 : after - before;
      const worse = metric === 'rps' ? change < 0 : change > 0;
      const big = log ? Math.abs(change) * 100 >= o.minChangePct : Math.abs(change) >= o.minErrorRateChange;
      const recent = index >= records.length - o.recent;
      const rec = records[index]!;
      changes.push({
        metric,
        index,
        runId: rec.runId,
        startedAt: rec.startedAt,
        before,
        after,
        change,
        pValue: cp.pValue,
        kind: worse ? 'regression' : 'improvement',
        recent,
        failing: worse && big && recent,
      });
    }
  }
  changes.sort((a, b) => a.index - b.index);
  const minNights = 2 * (opts.minSegment ?? 3);
  return {
    nights: records.length,
    metrics,
    changes,
    driftFailedLatest: records[records.length - 1]?.driftFailed ?? [],
    status: records.length < minNights ? 'too-short' : changes.some((c) => c.failing) ? 'regressed' : 'ok',
  };
}
