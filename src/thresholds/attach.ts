// Where a run decides who judges a plain script's thresholds: loadctl does, once its aggregates
// carry every k6 metric (the aggregator's `liveK6Metrics`); then k6 runs with --no-thresholds and
// keeps no samples. Until then, or when k6 cannot inspect the script, k6 judges them as before
// (loadctl still refuses malformed ones with exit 2 first).

import { relative } from 'node:path';
import type { Plan } from '../plan/types.js';
import { Aggregator } from '../results/aggregator.js';
import { readScriptThresholds } from './read.js';

/** True once the aggregator gives a live K6Metrics snapshot (and the result `metrics.k6`). */
export const AGGREGATES_K6_METRICS = typeof (Aggregator.prototype as { liveK6Metrics?: unknown }).liveK6Metrics === 'function';

export interface AttachContext {
  k6: string;
  script: string; // absolute
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The plan with the script's thresholds when loadctl judges them; the plan as is otherwise. Either
 * way a plain script's thresholds are checked first, so a bad one stops the run (exit 2) before any
 * target starts.
 */
export async function withScriptThresholds(plan: Plan, c: AttachContext, enabled = AGGREGATES_K6_METRICS): Promise<Plan> {
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
  return enabled && thresholds ? { ...plan, thresholds } : plan;
}
