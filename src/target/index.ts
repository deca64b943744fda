// The target of a run: brought up before k6 starts (the built-in demo, or the user's service from
// its start command), or checked for reachability when loadctl does not start it.
import type { PlanTarget } from '../plan/types.js';
import { startCommandTarget } from './command.js';
import { startDemoTarget } from './demo.js';
import { checkReachable } from './reachable.js';
import type { RunningTarget } from './types.js';

export type { RunningTarget } from './types.js';

export { checkReachable, startCommandTarget, startDemoTarget };

/** Starts what the plan says loadctl manages; null when the target is someone else's. */
export async function startTarget(t: PlanTarget, o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunningTarget | null> {
  if (t.managed === 'demo') return startDemoTarget(t.demo ?? {}, { env: o.env });
  if (t.managed === 'start' && t.start) return startCommandTarget(t.start, { cwd: o.cwd, env: o.env });
  await checkReachable(t.baseUrl);
  return null;
}
