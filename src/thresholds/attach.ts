// Where a run decides who judges a plain script's thresholds: loadctl does, on its aggregates of
// every k6 metric, so k6 runs with --no-thresholds and keeps no samples. When k6 cannot inspect the
// script, k6 judges them as before (loadctl still refuses malformed ones with exit 2 first).

import { relative } from 'node:path';
import type { Plan } from '../plan/types.js';
import { readScriptThresholds } from './read.js';
import { thresholdTags } from './parse.js';

export interface AttachContext {
  k6: string;
  script: string; // absolute
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The plan with the script's thresholds for loadctl to judge (`enabled`), or the plan as is. Either
 * way a plain script's thresholds are checked first, so a bad one stops the run (exit 2) before any
 * target starts.
 */
export async function withScriptThresholds(plan: Plan, c: AttachContext, enabled = true): Promise<Plan> {
  if (plan.scenario.kind !== 'script' || plan.thresholds) return plan;
  const thresholds = await readScriptThresholds({
    k6: c.k6,
    script: c.script,
    display: relative(c.cwd, c.script) || c.script,
    cwd: c.cwd,
    env: c.env,
    // A demo target's URL is known only once it runs; the options rarely depend on it.
    runEnv: { BASE_URL: plan.target.baseUrl || 'http://127.0.0.1' },
  });
  if (!enabled || !thresholds) return plan;
  // Every tag a threshold filters on is tracked, so its submetric can be answered.
  return { ...plan, thresholds, metricTags: [...new Set([...plan.metricTags, ...thresholdTags(thresholds)])] };
}
