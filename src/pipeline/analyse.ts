// The judge stage's inputs beyond the SLA: what the tasks beside k6 recorded (fault records, probe
// series) and what the run's shape asks for (a staircase's capacity), turned into checks and result
// fields by the pure judges.

import type { FaultRecord } from '../chaos/types.js';
import { chaosVerdict } from '../judge/analyses/chaos-checks.js';
import { driftChecks } from '../judge/analyses/drift.js';
import { bucketsToExclude } from '../judge/analyses/chaos.js';
import { metricsExcluding } from '../results/excluding.js';
import type { Check, Metrics, RunResult } from '../results/types.js';
import { judgeScalingRun } from '../capacity/scaling-run.js';
import type { Plan } from '../plan/types.js';
import type { ProbeSeries } from '../capacity/types.js';
import type { Executed } from './executor.js';
import { k6MetricsOf, scriptThresholdChecks } from '../thresholds/judge.js';

/** Fields of a RunResult that the analyses fill in (absent when the run had no such part). */
export type RunExtras = Partial<Pick<RunResult, 'faults' | 'probes' | 'scaling' | 'capacity'>>;

export interface Analysis {
  /** What the ordinary SLA is judged on (a chaos run: the buckets outside its fault windows). */
  slaMetrics: Metrics;
  slaScope: string;
  /** False on a capacity-finding run: its SLA is applied step by step, in the capacity checks. */
  wholeRunSla: boolean;
  checks: Check[];
  extras: RunExtras;
}

export function analyse(e: Executed): Analysis {
  const agg = e.aggregate;
  const out: Analysis = { slaMetrics: agg.metrics, slaScope: 'overall', wholeRunSla: true, checks: [], extras: {} };
  const probes = e.beside.probes as ProbeSeries[] | undefined;
  if (probes?.length) out.extras.probes = probes;
  if (isStaircase(e.plan)) {
    const s = judgeScalingRun({
      stages: e.plan.shape!.stages,
      series: agg.series,
      bucketMs: agg.bucketMs,
      ...(agg.histograms.buckets ? { bucketHistograms: agg.histograms.buckets } : {}),
      seriesStartMs: agg.startMs,
      seriesEndMs: agg.durationMs,
      sla: e.plan.sla,
      ...(probes ? { probes } : {}),
    });
    out.checks.push(...s.checks);
    out.wholeRunSla = false;
    out.extras.scaling = s.scaling;
    if (s.capacity !== undefined) out.extras.capacity = s.capacity;
  }
  // Trends within the run (on by default for soak): probes join on the series' clock.
  out.checks.push(
    ...driftChecks(e.plan.sla.drift, e.plan.scenario.name, {
      series: agg.series,
      phases: e.plan.phases,
      bucketMs: agg.bucketMs,
      histograms: agg.histograms,
      ...(probes ? { probes: probes.map((p) => ({ name: p.name, points: p.points.map((pt) => ({ atMs: pt.atMs - agg.startMs, value: pt.value })) })) } : {}),
    }),
  );
  out.checks.push(...scriptThresholdChecks(e.plan.thresholds, k6MetricsOf(agg.metrics)));
  const records = e.beside.chaos as FaultRecord[] | undefined;
  if (records?.length) {
    const chaos = chaosVerdict({ series: agg.series, originMs: agg.startMs, bucketMs: agg.bucketMs, faults: records, sla: e.plan.sla });
    const excluded = bucketsToExclude(agg.series, agg.bucketMs, chaos.faults);
    if (excluded.some(Boolean)) {
      out.slaMetrics = metricsExcluding(agg, excluded);
      out.slaScope = 'outside faults';
    }
    out.checks.push(...chaos.checks);
    out.extras.faults = chaos.faults;
  }
  return out;
}

/**
 * A capacity-finding run: an open model whose phases are load steps (`step-1`, `step-2`, …, as
 * scenarios/scaling.ts names them). A step that breaks the SLA is data about capacity, so its
 * run is judged on capacity, not on the whole-run SLA alone.
 */
export function isStaircase(plan: Plan): boolean {
  return plan.shape?.model === 'arrival' && plan.phases.length > 1 && plan.phases.every((p) => /^step-\d+$/.test(p.name));
}
