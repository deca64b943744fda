// Safety stop while a run is going: has the target been in trouble for long enough that going on
// only hurts it? Judged on closed time buckets. Pure.

import type { AbortRule } from '../../config/types.js';
import type { SeriesPoint } from '../../results/series-types.js';

export const DEFAULT_ABORT_SECONDS = 10;

/** The reason to stop now, or null. Every bucket of the window must breach (and carry requests). */
export function abortReason(rule: AbortRule | undefined, series: readonly SeriesPoint[], bucketMs: number): string | null {
  if (!rule) return null;
  const seconds = rule.forSeconds ?? DEFAULT_ABORT_SECONDS;
  const need = Math.max(1, Math.ceil((seconds * 1000) / bucketMs));
  if (series.length < need) return null;
  const window = series.slice(series.length - need);
  if (window.some((p) => p.requests === 0)) return null;
  const over = (limit: number | undefined, pick: (p: SeriesPoint) => number | null) =>
    limit !== undefined && window.every((p) => (pick(p) ?? 0) > limit);
  const last = window[window.length - 1]!;
  if (over(rule.errorRate, (p) => p.errorRate)) {
    return `safety stop: error rate above ${pct(rule.errorRate!)} for ${seconds} s (last second: ${pct(last.errorRate)})`;
  }
  if (over(rule.p99, (p) => p.p99)) return `safety stop: p99 latency above ${rule.p99} ms for ${seconds} s (last: ${Math.round(last.p99 ?? 0)} ms)`;
  if (over(rule.p95, (p) => p.p95)) return `safety stop: p95 latency above ${rule.p95} ms for ${seconds} s (last: ${Math.round(last.p95 ?? 0)} ms)`;
  return null;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}
