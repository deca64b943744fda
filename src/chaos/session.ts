// The run pipeline's one door to chaos: open it before k6 starts (reverts what a killed loadctl
// left for this profile, sets up the provider, says where k6 must aim), hand its task to the
// things running beside k6, and after the run turn the records into RunResult.faults and checks.
import { join } from 'node:path';
import type { Check, Metrics } from '../results/types.js';
import type { AggregatorOptions } from '../results/aggregator.js';
import type { SeriesPoint } from '../results/series-types.js';
import type { Sla } from '../config/types.js';
import { bucketsInFaults } from '../judge/chaos.js';
import { chaosVerdict } from '../judge/chaos-checks.js';
import type { BesideTask } from '../pipeline/beside.js';
import type { Plan } from '../plan/types.js';
import { FaultAwareAggregator } from './outside-aggregator.js';
import { prepareChaos, type ChaosSetup } from './prepare.js';
import { revertStale } from './revert.js';
import type { FaultAnalysis, FaultRecord } from './types.js';

export interface ChaosSession {
  /** The baseUrl k6 must use (the live plan's target.baseUrl). */
  baseUrl: string;
  /** Start with the run's clock once k6 has started; stop on every exit path. */
  task: BesideTask<FaultRecord[]>;
  /** Use instead of `new Aggregator(opts)`: it also keeps the numbers outside the fault windows. */
  aggregator(opts: AggregatorOptions): FaultAwareAggregator;
  /**
   * After the task has stopped and the aggregate is finished: RunResult.faults, the chaos checks,
   * and `slaMetrics` — the metrics the ordinary SLA judges (overall and per request, fault windows
   * left out).
   */
  judge(input: { aggregator: FaultAwareAggregator; series: SeriesPoint[]; originMs: number; bucketMs: number; sla: Sla }): { faults: FaultAnalysis[]; checks: Check[]; slaMetrics: Metrics };
  /** After the task has stopped: removes loadctl's own proxy and Toxiproxy. */
  close(): Promise<void>;
}

/** Null when the plan injects nothing (stale journals for the profile are reverted all the same). */
export async function openChaos(plan: Plan, s: ChaosSetup & { reportsDir?: string; log: (line: string) => void }): Promise<ChaosSession | null> {
  await revertStale(s.reportsDir ?? join(s.cwd, 'reports'), plan.target.name, { env: s.env, log: s.log });
  const prepared = await prepareChaos(plan, s);
  if (!prepared) return null;
  return {
    baseUrl: prepared.baseUrl,
    task: prepared.task,
    aggregator: (opts) => new FaultAwareAggregator(opts, prepared.task.live),
    judge: ({ aggregator, ...input }) => {
      const records = prepared.task.result();
      const inFault = bucketsInFaults(input.series, input.originMs, input.bucketMs, records);
      return { ...chaosVerdict({ ...input, faults: records }), slaMetrics: aggregator.outsideMetrics(inFault) };
    },
    close: prepared.cleanup,
  };
}
