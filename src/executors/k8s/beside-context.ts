// The context the tasks beside a cluster run see (faults, probes, safety stops): the run's clock,
// its log, the live aggregate, and a stop that asks the runners to end their test.
import type { BesideContext } from '../../pipeline/beside.js';
import type { Plan } from '../../plan/types.js';
import type { Aggregator } from '../../results/aggregator.js';

export type ClusterBeside = BesideContext & { clock: { startedAtMs: number; now: () => number }; over(): void };

export function beside(plan: Plan, aggregator: Aggregator, log: (l: string) => void, now: (() => number) | undefined, stopRun: (reason: string) => void): ClusterBeside {
  const over = new AbortController();
  return {
    plan,
    clock: { startedAtMs: Date.now(), now: now ?? Date.now },
    log,
    stopRun,
    signal: over.signal,
    live: () => ({ series: aggregator.closedSeries(), stats: aggregator.live() }),
    k6Metrics: () => aggregator.liveK6Metrics(),
    over: () => over.abort(),
  };
}
