// One search trial's run judged: its measured metrics → sustained or not, with the reason. Pure. The
// trial is one step at one rate, so its rate is read from completed and dropped iterations over the
// planned load time (the run's span also holds k6's start-up and graceful stop).
import type { Sla } from '../config/types.js';
import { analyseCapacity } from './analyse.js';
import type { StepRow } from './types.js';
import type { Metrics } from '../results/types.js';
import type { StepOutcome } from './search-driver.js';

export function trialOutcome(metrics: Metrics, rate: number, durationMs: number, sla: Sla): StepOutcome & { row: StepRow } {
  const h = metrics.http;
  const measure = {
    seconds: durationMs / 1000,
    requests: h.requests,
    failed: h.failed,
    dropped: metrics.droppedIterations,
    iterations: metrics.iterations,
    latency: h.requests > 0 ? { p50: h.latencyMs.p50, p90: h.latencyMs.p90, p95: h.latencyMs.p95, p99: h.latencyMs.p99 } : null,
  };
  const [row] = analyseCapacity([{ name: `${rate}/s`, offered: rate, startMs: 0, endMs: durationMs, judgeFromMs: 0, measure }], { sla }).steps;
  return {
    sustained: row!.verdict === 'sustained',
    ...(row!.reason ? { reason: row!.reason } : {}),
    achievedRps: row!.achievedRps,
    p95: row!.latency?.p95 ?? null,
    row: row!,
  };
}
