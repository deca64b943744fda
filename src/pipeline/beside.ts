// Things that run beside k6 on the run's clock: the fault timeline, probes, safety stops. The
// pipeline starts each task once k6 has started and stops every task on every exit path (normal
// end, safety stop, SIGINT/SIGTERM, k6 crash, an exception in loadctl).
import type { Plan } from '../plan/types.js';
import type { K6Metrics } from '../results/k6-metric-types.js';
import type { LiveStats, SeriesPoint } from '../results/series-types.js';

export interface RunClock {
  /** Epoch ms at which k6 was started. */
  readonly startedAtMs: number;
  /** Epoch ms now (injected so tests can drive time). */
  now(): number;
}

export interface BesideContext {
  plan: Plan; // with the live baseUrl
  clock: RunClock;
  /** A line on the run's log (stderr), redacted by the pipeline. */
  log(line: string): void;
  /** Ask the pipeline to stop k6 gracefully; the reason fails the run. */
  stopRun(reason: string): void;
  /** Aborted when the run is over (k6 exited, or the run is being torn down). */
  signal: AbortSignal;
  /** The run so far: closed time buckets (oldest first) and the live snapshot. */
  live(): { series: readonly SeriesPoint[]; stats: LiveStats };
  /** Every k6 metric so far, where the aggregator keeps them (a script's thresholds are judged on it). */
  k6Metrics?(): K6Metrics | undefined;
}

export interface BesideTask<R = unknown> {
  readonly name: string;
  start(ctx: BesideContext): Promise<void>;
  /** Idempotent. Must undo whatever start() changed in the world (e.g. revert faults). */
  stop(): Promise<void>;
  /** What it recorded, for the RunResult (times as epoch ms); called after stop(). */
  result(): R;
}

/**
 * What a run sets up once its target is up and before k6 starts (e.g. a fault proxy in front of
 * the target, probes of the system under test): where k6 aims instead, the tasks to run beside it,
 * and what to take down after those tasks have stopped.
 */
export interface RunSetup {
  baseUrl?: string;
  tasks?: BesideTask[];
  /** Called on every exit path after the tasks have stopped; idempotent. */
  cleanup?(): Promise<void>;
}

/** Makes a RunSetup for one run (null: nothing to set up). `plan` carries the live baseUrl. */
export type SetupStep = (plan: Plan, run: { runId: string; runDir: string }) => Promise<RunSetup | null>;

