// A run → the run-level numbers a baseline keeps. Pure.
import { withinRunEvidence } from './within-run.js';
import { metricNames } from '../../results/k6-metric-query.js';
import { k6Values } from './k6-values.js';
import type { EncodedHistograms, SeriesPoint } from '../../results/series-types.js';
import type { HttpStats, Metrics, RunMeta, RunResult } from '../../results/types.js';
import type { BaselineRun, Fingerprint, MetricValues, RunValues } from '../../baselines/types.js';

function metricValues(s: HttpStats): MetricValues {
  return {
    p50: s.latencyMs.p50,
    p95: s.latencyMs.p95,
    p99: s.latencyMs.p99,
    errorRate: s.errorRate,
    rps: s.rps,
    requests: s.requests,
  };
}

/** From a finished RunResult or from a run measured but not yet concluded. */
export function runValues(r: { metrics: Metrics; capacity?: unknown; scaling?: RunResult['scaling']; series?: SeriesPoint[]; histograms?: Pick<EncodedHistograms, 'buckets'> }): RunValues {
  const byName: Record<string, MetricValues> = {};
  for (const [name, s] of Object.entries(r.metrics.http.byName)) byName[name] = metricValues(s);
  const values: RunValues = { overall: metricValues(r.metrics.http), byName };
  const k6 = k6Values(r.metrics.k6);
  if (k6) {
    values.k6 = k6;
    const time = metricNames(r.metrics.k6!).filter((m) => m.contains === 'time' && `${m.metric}:p50` in k6).map((m) => m.metric);
    if (time.length > 0) values.k6Time = time;
  }
  const within = r.series ? withinRunEvidence(r.series, r.histograms?.buckets) : undefined;
  if (within) values.within = within;
  // Capacity-finding runs record the highest sustainable rate and the step it is known to within.
  const capacity = r.capacity;
  if (typeof capacity === 'number' && Number.isFinite(capacity) && capacity >= 0) {
    values.capacity = capacity;
    const res = r.scaling?.analysis.resolution;
    if (typeof res === 'number' && res > 0) values.capacityResolution = res;
  }
  return values;
}

/** The machine label is the one the run recorded (meta.host: LOADCTL_MACHINE or the host name). */
export function fingerprintOf(meta: RunMeta): Fingerprint {
  return { planHash: meta.planHash, k6Version: meta.k6Version, machine: meta.host ?? 'unknown' };
}

export function baselineRunFrom(r: RunResult): BaselineRun {
  return {
    runId: r.runId,
    startedAt: r.startedAt,
    status: r.status,
    fingerprint: fingerprintOf(r.meta),
    values: runValues(r),
    histograms: { overall: r.histograms.overall, byName: { ...r.histograms.byName } },
  };
}
