// Builds the RunResult, once, from the plan, the aggregated samples, how k6 ended and the verdict.
// Nothing changes a RunResult after this. Pure.

import type { Plan } from '../plan/types.js';
import type { AggregateResult } from './series-types.js';
import type { RunMeta, RunResult, SampleCounts, Verdict } from './types.js';

export interface AssembleInput {
  plan: Plan; // with the live baseUrl
  runId: string;
  startedAt: Date;
  durationMs: number;
  meta: RunMeta;
  aggregate: Pick<AggregateResult, 'metrics' | 'series' | 'histograms' | 'bucketMs'>;
  samples: SampleCounts;
  k6: { exitCode: number | null; signal?: string };
  verdict: Verdict;
  /** What the judges of the tasks beside k6 made of the run (fault analyses, …). */
  extras?: Partial<Pick<RunResult, 'faults' | 'probes' | 'scaling' | 'capacity' | 'instances'>>;
}

export function assembleResult(i: AssembleInput): RunResult {
  const { verdict, aggregate: agg } = i;
  const result: RunResult = {
    schemaVersion: 1,
    runId: i.runId,
    status: verdict.status,
    scenario: i.plan.scenario.name,
    target: i.plan.target.name,
    baseUrl: i.plan.target.baseUrl,
    startedAt: i.startedAt.toISOString(),
    durationMs: Math.round(i.durationMs),
    meta: i.meta,
    phases: i.plan.phases,
    checks: verdict.checks,
    metrics: agg.metrics,
    samples: i.samples,
    k6: i.k6,
    bucketMs: agg.bucketMs,
    series: agg.series,
    histograms: agg.histograms,
  };
  if (verdict.reason) result.reason = verdict.reason;
  Object.assign(result, i.extras);
  // How the baseline checks were judged travels with the result, so `compare` judges the same way.
  const policy = i.plan.baseline;
  if (verdict.checks.some((c) => c.kind === 'baseline') && Object.keys(policy).length > 0) result.baselinePolicy = policy;
  return result;
}
