// The local executor: bring the target up (the demo, a user's start command, or a reachability
// check), set up what the run needs once it is up (a fault proxy), run k6 on the run's clock — one
// process, or several sharing the load — and take everything down again on every exit path.

import { startTarget } from '../target/index.js';
import type { Plan } from '../plan/types.js';
import type { ExecuteOptions, Executed, Executor } from '../pipeline/executor.js';
import { launchInstances, launchOne } from './launch.js';
import { runK6 } from './k6-loop.js';

export const localExecutor: Executor = {
  async execute(plan: Plan, o: ExecuteOptions): Promise<Executed> {
    const target = await startTarget(plan.target, { cwd: o.cwd, env: o.env });
    const cleanups: (() => Promise<void>)[] = [];
    try {
      let live: Plan = { ...plan, target: { ...plan.target, baseUrl: target?.baseUrl ?? plan.target.baseUrl } };
      const tasks = [...(o.tasks ?? [])];
      for (const step of o.setups ?? []) {
        const s = await step(live, o.run);
        if (!s) continue;
        if (s.cleanup) cleanups.unshift(s.cleanup);
        if (s.baseUrl) live = { ...live, target: { ...live.target, baseUrl: s.baseUrl } };
        tasks.push(...(s.tasks ?? []));
      }
      const n = live.distribution?.executor === 'local' ? live.distribution.instances : 1;
      return await runK6(live, { ...o, tasks }, n > 1 ? launchInstances(n) : launchOne);
    } finally {
      for (const c of cleanups) await c().catch((e: unknown) => o.onLog(`warning: clean-up after the run failed: ${(e as Error).message}`));
      await target?.stop();
    }
  },
};
