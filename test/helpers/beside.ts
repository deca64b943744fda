// A BesideContext on the wall clock for tests that run a beside-k6 task on its own; abort() ends the "run".
import type { BesideContext } from '../../src/pipeline/beside.js';

/** What a run that has sent nothing yet looks like to a task. */
export const noLive: BesideContext['live'] = () => ({ series: [], stats: { elapsedMs: 0, requests: 0, rps: 0, p95: null, errorRate: 0, vus: 0 } });

/** `baseUrl`: the live target, which probes given as a path ("/metrics") are joined to. */
export function besideContext(baseUrl = 'http://127.0.0.1:9'): { ctx: BesideContext; abort: () => void; logged: string[] } {
  const run = new AbortController();
  const logged: string[] = [];
  const ctx: BesideContext = {
    plan: { target: { baseUrl } } as BesideContext['plan'],
    clock: { startedAtMs: Date.now(), now: () => Date.now() },
    log: (line) => logged.push(line),
    stopRun: () => {},
    signal: run.signal,
    live: noLive,
  };
  return { ctx, abort: () => run.abort(), logged };
}
