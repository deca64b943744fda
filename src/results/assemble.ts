// Builds the RunResult from the plan, the aggregated samples, the verdict and how k6 ended. Pure.

import { failureReason, verdictOf } from '../judge/verdict.js';
import type { Plan } from '../plan/types.js';
import type { Check, Metrics, RunMeta, RunResult, RunStatus, SampleCounts } from './types.js';

export interface AssembleInput {
  plan: Plan;
  runId: string;
  startedAt: Date;
  durationMs: number;
  meta: RunMeta;
  metrics: Metrics;
  checks: Check[];
  samples: SampleCounts;
  k6: { exitCode: number | null; signal?: string };
  bucketMs: number;
  series: RunResult['series'];
  histograms: RunResult['histograms'];
  /** Set when the run did not complete normally; overrides the verdict. */
  abnormal?: { status: Extract<RunStatus, 'error' | 'interrupted' | 'fail'>; reason: string };
}

export function assembleResult(i: AssembleInput): RunResult {
  const verdict = verdictOf(i.checks);
  const status: RunStatus = i.abnormal?.status ?? verdict;
  const reason = i.abnormal?.reason ?? (verdict === 'fail' ? failureReason(i.checks) : verdict === 'inconclusive' ? inconclusiveReason(i.checks) : undefined);
  const result: RunResult = {
    schemaVersion: 1,
    runId: i.runId,
    status,
    scenario: i.plan.scenario.name,
    target: i.plan.target.name,
    baseUrl: i.plan.target.baseUrl,
    startedAt: i.startedAt.toISOString(),
    durationMs: Math.round(i.durationMs),
    meta: i.meta,
    phases: i.plan.phases,
    checks: i.checks,
    metrics: i.metrics,
    samples: i.samples,
    k6: i.k6,
    bucketMs: i.bucketMs,
    series: i.series,
    histograms: i.histograms,
  };
  if (reason) result.reason = reason;
  return result;
}

function inconclusiveReason(checks: Check[]): string | undefined {
  const c = checks.find((x) => x.status === 'inconclusive');
  return c ? `${c.name}: ${c.reason ?? 'not enough data'}` : undefined;
}

/** The exit code contract (README): 0 pass, 1 breach, 3 runtime failure, 130 interrupted. */
export function exitCodeFor(status: RunStatus): number {
  switch (status) {
    case 'pass':
    case 'inconclusive':
      return 0;
    case 'fail':
      return 1;
    case 'error':
      return 3;
    case 'interrupted':
      return 130;
  }
}
