// The profile's safety stop as a task beside k6: every second it judges the closed time buckets
// (judge/abort.ts) and stops the run when the target has been in trouble for long enough. It also
// stops the run, as k6 would, when a script threshold with abortOnFail fails (thresholds/judge.ts).

import { abortReason } from '../judge/sla/abort.js';
import { thresholdAbortReason } from '../thresholds/judge.js';
import type { BesideContext, BesideTask } from './beside.js';

export function safetyStop(everyMs = 1000): BesideTask<null> {
  let timer: NodeJS.Timeout | undefined;
  return {
    name: 'safety',
    async start(ctx: BesideContext) {
      const rule = ctx.plan.safety.abort;
      const thresholds = ctx.plan.thresholds?.filter((t) => t.abortOnFail);
      if (!rule && !thresholds?.length) return;
      timer = setInterval(() => {
        const reason =
          abortReason(rule, ctx.live().series, ctx.plan.bucketMs) ??
          (thresholds?.length ? thresholdAbortReason(thresholds, ctx.k6Metrics?.(), ctx.clock.now() - ctx.clock.startedAtMs) : null);
        if (reason) {
          clearInterval(timer);
          ctx.stopRun(reason);
        }
      }, everyMs);
    },
    async stop() {
      clearInterval(timer);
    },
    result: () => null,
  };
}
