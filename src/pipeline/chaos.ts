// Chaos in a run: the setup step that puts the fault provider (loadctl's own Toxiproxy in front
// of the target, or the one the profile names) in place before k6 starts, and the journal sweep
// that reverts what a killed loadctl left active before the next run of the same profile.

import { join } from 'node:path';
import { prepareChaos } from '../chaos/prepare.js';
import { projectRoot } from '../util/roots.js';
import { revertStale } from '../chaos/revert.js';
import type { SetupStep } from './beside.js';

export function chaosSetup(cwd: string, env: NodeJS.ProcessEnv, toolsDir?: string): SetupStep {
  return async (plan, run) => {
    const c = await prepareChaos(plan, { baseUrl: plan.target.baseUrl, runDir: run.runDir, runId: run.runId, cwd, env, ...(toolsDir ? { toolsDir } : {}) });
    return c ? { baseUrl: c.baseUrl, tasks: [c.task], cleanup: c.cleanup } : null;
  };
}

/** Faults a killed loadctl left active for this profile are reverted before new load starts. */
export async function revertLeftovers(cwd: string, profile: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  await revertStale(join(projectRoot(cwd), 'reports'), profile, { env, log });
}
