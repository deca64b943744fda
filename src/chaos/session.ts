// The run pipeline's one door to chaos: open it before k6 starts (reverts what a killed loadctl
// left for this profile, sets up the provider, says where k6 must aim), hand its task to the
// things running beside k6, and after the run turn the records into RunResult.faults and checks.
import { join } from 'node:path';
import type { Check } from '../results/types.js';
import type { SeriesPoint } from '../results/series-types.js';
import type { Sla } from '../config/types.js';
import { bucketsInFaults } from '../judge/chaos.js';
import { chaosVerdict } from '../judge/chaos-checks.js';
import type { BesideTask } from '../pipeline/beside.js';
import type { Plan } from '../plan/types.js';
import { prepareChaos, type ChaosSetup } from './prepare.js';
import { revertStale } from './revert.js';
import type { FaultAnalysis, FaultRecord } from './types.js';

export interface ChaosSession {
  /** The baseUrl k6 must use (the live plan's target.baseUrl). */
  baseUrl: string;
  /** Start with the run's clock once k6 has started; stop on every exit path. */
  task: BesideTask<FaultRecord[]>;
  /** After the task has stopped: the analysis, the chaos checks, and which buckets the ordinary SLA must skip. */
  judge(input: { series: SeriesPoint[]; originMs: number; bucketMs: number; sla: Sla }): { faults: FaultAnalysis[]; checks: Check[]; inFault: boolean[] };
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
    judge: (input) => {
      const records = prepared.task.result();
      return { ...chaosVerdict({ ...input, faults: records }), inFault: bucketsInFaults(input.series, input.originMs, input.bucketMs, records) };
    },
    close: prepared.cleanup,
  };
}
