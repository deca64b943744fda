// Things that run beside k6 on the run's clock: the fault timeline, probes, safety stops. The
// pipeline starts each task once k6 has started and stops every task on every exit path (normal
// end, safety stop, SIGINT/SIGTERM, k6 crash, an exception in loadctl).
import type { Plan } from '../plan/types.js';

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
}

export interface BesideTask<R = unknown> {
  readonly name: string;
  start(ctx: BesideContext): Promise<void>;
  /** Idempotent. Must undo whatever start() changed in the world (e.g. revert faults). */
  stop(): Promise<void>;
  /** What it recorded, for the RunResult (times as epoch ms); called after stop(). */
  result(): R;
}
