// The judge stage's inputs beyond the SLA: what the tasks beside k6 recorded, turned into checks
// and result fields by the pure judges (chaos today; capacity, probes and drift plug in here).

import type { FaultRecord } from '../chaos/types.js';
import { chaosVerdict } from '../judge/chaos-checks.js';
import type { FaultAnalysis } from '../judge/chaos.js';
import { metricsExcluding } from '../results/excluding.js';
import type { Check, Metrics, RunResult } from '../results/types.js';
import type { Executed } from './execute.js';

/** Fields of a RunResult that the analyses fill in (absent when the run had no such part). */
export type RunExtras = Pick<RunResult, 'faults'>;

export interface Analysis {
  /** What the ordinary SLA is judged on (a chaos run: the buckets outside its fault windows). */
  slaMetrics: Metrics;
  slaScope: string;
  checks: Check[];
  extras: RunExtras;
}

export function analyse(e: Executed): Analysis {
  const agg = e.aggregate;
  const records = e.beside.chaos as FaultRecord[] | undefined;
  if (!records?.length) return { slaMetrics: agg.metrics, slaScope: 'overall', checks: [], extras: {} };
  const chaos = chaosVerdict({ series: agg.series, originMs: agg.startMs, bucketMs: agg.bucketMs, faults: records, sla: e.plan.sla });
  const excluded = faultBuckets(agg.series.map((p) => p.tMs), agg.bucketMs, chaos.faults);
  return {
    slaMetrics: excluded.some(Boolean) ? metricsExcluding(agg, excluded) : agg.metrics,
    slaScope: excluded.some(Boolean) ? 'outside faults' : 'overall',
    checks: chaos.checks,
    extras: { faults: chaos.faults },
  };
}

/** Buckets from each fault's inject until it recovered (or the end of the run when it never did). */
function faultBuckets(starts: number[], bucketMs: number, faults: FaultAnalysis[]): boolean[] {
  const spans = faults.filter((f) => f.window).map((f) => ({ from: f.window!.startMs, to: f.recovery.recoveredAtMs ?? Infinity }));
  return starts.map((t) => spans.some((s) => t < s.to && t + bucketMs > s.from));
}
