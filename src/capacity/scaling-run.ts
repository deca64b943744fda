// A capacity-finding run judged in one call, for the pipeline's judge stage: the plan's steps over
// the run's series → the step table, capacity and knee; with a replica probe, the autoscaler's
// reaction per step; and the checks (sla.minCapacity, sla.scaling). Pure.
import type { Sla } from '../config/types.js';
import type { PlannedStage } from '../plan/types.js';
import type { ProbeSeries, ScalingResult } from './types.js';
import type { SeriesPoint } from '../results/series-types.js';
import type { Check } from '../results/types.js';
import { analyseCapacity, judgeCapacity, measureWindow, stepsFromStages } from './analyse.js';
import { judgeReaction, reactionTimes, withEffect } from './scaling.js';

export interface ScalingRunInput {
  stages: readonly PlannedStage[]; // plan.shape.stages
  series: readonly SeriesPoint[]; // result.series
  bucketMs: number;
  bucketHistograms?: readonly (string | null)[]; // result.histograms.buckets: exact step percentiles
  seriesStartMs: number; // epoch ms of series tMs 0 (the aggregate's startMs), to meet the probes' clock
  seriesEndMs?: number; // the last sample, in series time (the aggregate's durationMs): buckets past it were cut by the run's end
  sla: Sla;
  probes?: readonly ProbeSeries[];
  requestsPerIteration?: number; // default: measured on the first step
}

export interface ScalingRunJudgement {
  scaling: ScalingResult;
  capacity: number | undefined; // RunResult.capacity (read by the baseline judge); undefined when none was sustained
  checks: Check[];
}

export function judgeScalingRun(i: ScalingRunInput): ScalingRunJudgement {
  const steps = stepsFromStages(i.stages).map((s) => ({ ...s, measure: measureWindow(i.series, i.bucketMs, s.judgeFromMs, s.endMs, i.bucketHistograms, i.seriesEndMs) }));
  const analysis = analyseCapacity(steps, { sla: i.sla, ...(i.requestsPerIteration !== undefined ? { requestsPerIteration: i.requestsPerIteration } : {}) });
  const checks = judgeCapacity(analysis, i.sla);
  const scaling: ScalingResult = { analysis };
  const replicas = i.sla.scaling ? i.probes?.find((p) => p.name === (i.sla.scaling!.probe ?? 'replicas')) : undefined;
  if (i.sla.scaling && replicas) {
    const at = (ms: number) => i.seriesStartMs + ms;
    const loadSteps = steps.map((s) => ({ name: s.name, atMs: at(s.startMs), offered: s.offered }));
    const overloaded = new Set(analysis.steps.filter((r) => r.verdict === 'sla-broken' || r.verdict === 'rate-not-kept').map((r) => r.name));
    const ends = Object.fromEntries(steps.map((s) => [s.name, at(s.endMs)]));
    const timed = reactionTimes(loadSteps, replicas.points, at(steps.at(-1)?.endMs ?? 0)).map((r) => ({ ...r, overloaded: overloaded.has(r.step) }));
    const reactions = withEffect(timed, i.series, i.seriesStartMs, i.sla, ends);
    scaling.reactions = reactions;
    checks.push(...judgeReaction(reactions, i.sla.scaling, ends));
  }
  return { scaling, capacity: analysis.capacity ?? undefined, checks };
}
