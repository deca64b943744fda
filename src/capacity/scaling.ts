// Autoscaler reaction time: from the start of a load step to the probed replica count rising, and
// the sla.scaling.maxReactionSeconds check on it. Pure. The probe's interval bounds the precision:
// a rise is seen at the first sample after it, so a measured time is at most one interval late.
import type { ScalingSla, Sla } from '../config/types.js';
import type { SeriesPoint } from '../results/series-types.js';
import type { ProbePoint, Reaction } from './types.js';
import type { Check } from '../results/types.js';

export type { Reaction } from './types.js';

/** A step up in load: when it started (epoch ms, the probes' clock) and the rate it offered. */
export interface LoadStep {
  name: string;
  atMs: number;
  offered: number;
}

/**
 * For each step that raised the offered rate: the first sample within the step (before the next
 * step starts) whose replica count is above the count when the step began.
 */
export function reactionTimes(steps: readonly LoadStep[], points: readonly ProbePoint[], endMs = Infinity): Reaction[] {
  const known = points.filter((p): p is ProbePoint & { value: number } => p.value !== null).sort((a, b) => a.atMs - b.atMs);
  const out: Reaction[] = [];
  steps.forEach((step, i) => {
    if (i > 0 && step.offered <= steps[i - 1]!.offered) return; // not a step up
    const until = steps[i + 1]?.atMs ?? endMs;
    const before = [...known].reverse().find((p) => p.atMs <= step.atMs) ?? known.find((p) => p.atMs > step.atMs);
    const base = before?.value ?? null;
    const risen = base === null ? undefined : known.find((p) => p.atMs > step.atMs && p.atMs < until && p.value > base);
    out.push({
      step: step.name,
      stepAtMs: step.atMs,
      replicasBefore: base,
      replicasAfter: risen?.value ?? null,
      risenAtMs: risen?.atMs ?? null,
      reactionMs: risen ? risen.atMs - step.atMs : null,
    });
  });
  return out;
}

/**
 * Where visible: when the added capacity took effect. For an overloaded step whose replicas rose,
 * the first time bucket from the rise on (before the next step) whose errors and p95 are within the
 * SLA again (errors 1 % when the profile sets none).
 */
export function withEffect(reactions: readonly Reaction[], series: readonly SeriesPoint[], seriesStartMs: number, sla: Sla, stepEnds: Record<string, number>): Reaction[] {
  return reactions.map((r) => {
    if (!r.overloaded || r.risenAtMs === null) return r;
    const until = stepEnds[r.step] ?? Infinity;
    const ok = series.find((p) => {
      const at = seriesStartMs + p.tMs;
      return at >= r.risenAtMs! && at < until && p.requests > 0 && p.errorRate <= (sla.errorRate ?? 0.01) && (sla.p95 === undefined || (p.p95 ?? 0) <= sla.p95);
    });
    const effectiveAtMs = ok ? seriesStartMs + ok.tMs : null;
    return { ...r, effectiveAtMs, effectMs: effectiveAtMs === null ? null : effectiveAtMs - r.stepAtMs };
  });
}

/**
 * sla.scaling → one check: the slowest measured reaction against the limit. A step marked
 * overloaded that saw no rise for longer than the limit fails too; no reaction at all and no
 * overloaded step is inconclusive (the load never asked the autoscaler for anything).
 */
export function judgeReaction(reactions: readonly Reaction[], sla: ScalingSla, stepEnds: Record<string, number> = {}): Check[] {
  const limitMs = sla.maxReactionSeconds * 1000;
  const base = { name: 'autoscaler reaction (overall)', kind: 'sla' as const, scope: 'overall', metric: 'reactionMs', unit: 'ms' as const, limit: `<= ${sla.maxReactionSeconds} s`, limitValue: limitMs };
  const measured = reactions.filter((r) => r.reactionMs !== null);
  const missed = reactions.filter((r) => r.reactionMs === null && r.overloaded && (stepEnds[r.step] ?? Infinity) - r.stepAtMs > limitMs);
  if (missed.length > 0) {
    return [{ ...base, status: 'fail', measured: null, reason: `replicas did not rise within ${sla.maxReactionSeconds} s of ${missed.map((r) => r.step).join(', ')} (overloaded)` }];
  }
  if (measured.length === 0) return [{ ...base, status: 'inconclusive', measured: null, reason: 'the replica count never rose during a load step' }];
  const worst = measured.reduce((w, r) => (r.reactionMs! > w.reactionMs! ? r : w));
  const secs = (worst.reactionMs! / 1000).toFixed(1);
  if (worst.reactionMs! <= limitMs) return [{ ...base, status: 'pass', measured: worst.reactionMs }];
  return [{ ...base, status: 'fail', measured: worst.reactionMs, reason: `replicas rose ${secs} s after ${worst.step} started (limit ${sla.maxReactionSeconds} s)` }];
}
