// A BesideContext on the wall clock for tests that run a beside-k6 task on its own; abort() ends the "run".
import type { BesideContext } from '../../src/pipeline/beside.js';

export function besideContext(): { ctx: BesideContext; abort: () => void; logged: string[] } {
  const run = new AbortController();
  const logged: string[] = [];
  const ctx: BesideContext = {
    plan: {} as BesideContext['plan'],
    clock: { startedAtMs: Date.now(), now: () => Date.now() },
    log: (line) => logged.push(line),
    stopRun: () => {},
    signal: run.signal,
  };
  return { ctx, abort: () => run.abort(), logged };
}
