// The local executor: bring the target up (the demo, a user's start command, or a reachability
// check), set up what the run needs once it is up (a fault proxy), run k6 on the run's clock — one
// process, or several sharing the load — and take everything down again on every exit path.

import { startTarget } from '../target/index.js';
import type { Plan } from '../plan/types.js';
import type { ExecuteOptions, Executed, Executor } from '../pipeline/executor.js';
import { createFifo, type Fifo } from '../k6/stream.js';
import { launchInstances, launchOne, type Launcher } from './launch.js';
import { runK6 } from './k6-loop.js';

export const localExecutor: Executor = {
  async execute(plan: Plan, o: ExecuteOptions): Promise<Executed> {
    const n = plan.distribution?.executor === 'local' ? plan.distribution.instances : 1;
    // One k6 reads its samples through a FIFO: made while the target starts.
    const fifo: Promise<Fifo> | undefined = n > 1 ? undefined : createFifo();
    fifo?.catch(() => undefined); // awaited by the launcher; a failure surfaces there
    let taken = false; // once the launcher has it, the run's own clean-up removes it
    const cleanups: (() => Promise<void>)[] = [];
    try {
      const target = await startTarget(plan.target, { cwd: o.cwd, env: o.env });
      if (target) cleanups.push(() => target.stop());
      let live: Plan = { ...plan, target: { ...plan.target, baseUrl: target?.baseUrl ?? plan.target.baseUrl } };
      const tasks = [...(o.tasks ?? [])];
      for (const step of o.setups ?? []) {
        const s = await step(live, o.run);
        if (!s) continue;
        if (s.cleanup) cleanups.unshift(s.cleanup);
        if (s.baseUrl) live = { ...live, target: { ...live.target, baseUrl: s.baseUrl } };
        tasks.push(...(s.tasks ?? []));
      }
      const launch: Launcher = fifo
        ? (p, opts, l) => {
            taken = true;
            return launchOne(fifo)(p, opts, l);
          }
        : launchInstances(n);
      return await runK6(live, { ...o, tasks }, launch);
    } finally {
      // A FIFO no launcher took (the target or a set-up failed) is removed here.
      if (fifo && !taken) await fifo.then((f) => f.cleanup(), () => undefined);
      for (const c of cleanups) await c().catch((e: unknown) => o.onLog(`warning: clean-up after the run failed: ${(e as Error).message}`));
    }
  },
};
