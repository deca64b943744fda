// The script thresholds' part of a run's verdict and of its safety stop, given what the aggregator
// gives (`metrics.k6`, the live snapshot). Pure.

import type { K6Metrics } from '../results/k6-metric-types.js';
import type { Check } from '../results/types.js';
import { abortingThresholds, thresholdChecks } from './evaluate.js';
import { thresholdName } from './parse.js';
import type { ScriptThreshold } from './types.js';

/** The run's k6 metrics, where the aggregate carries them (`metrics.k6`). */
export function k6MetricsOf(metrics: object): K6Metrics | undefined {
  return (metrics as { k6?: K6Metrics }).k6;
}

/** One check per threshold; inconclusive ones when the run's aggregates lack k6's metrics. */
export function scriptThresholdChecks(thresholds: readonly ScriptThreshold[] | undefined, metrics: K6Metrics | undefined): Check[] {
  if (!thresholds?.length) return [];
  if (metrics) return thresholdChecks(thresholds, metrics);
  return thresholds.map((t) => ({
    name: thresholdName(t),
    kind: 'sla',
    scope: t.key,
    metric: t.expression.aggregation === 'p' ? `p(${t.expression.percentile})` : t.expression.aggregation,
    status: 'inconclusive',
    limit: t.expression.source,
    limitValue: t.expression.value,
    measured: null,
    unit: 'count',
    reason: "the run's results carry no k6 metrics to judge it on",
  }));
}

/** Why to stop the run now (k6's words), or null. `elapsedMs`: how long the test has run. */
export function thresholdAbortReason(thresholds: readonly ScriptThreshold[] | undefined, metrics: K6Metrics | undefined, elapsedMs: number): string | null {
  if (!metrics || !thresholds?.some((t) => t.abortOnFail)) return null;
  const d = abortingThresholds(thresholds, metrics, elapsedMs);
  return d ? `thresholds crossed with abortOnFail (${d.failing.join('; ')}): stopping the run as k6 would` : null;
}
