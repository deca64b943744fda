// The capacity run's per-step table and headline, shared by the console and Markdown reports (each
// formats the same cells its own way). Pure.
import { formatValue } from '../util/format.js';
import type { ScalingResult, StepVerdict } from './types.js';

export const STEP_WORD: Record<StepVerdict, string> = {
  sustained: 'sustained',
  'sla-broken': 'SLA broken',
  'rate-not-kept': 'rate not kept',
  'no-data': 'no data',
  'too-short': 'too short to judge',
};

export const STEP_HEADER = ['step', 'offered/s', 'achieved req/s', 'p50', 'p95', 'p99', 'errors', 'dropped', 'verdict'];

export interface StepCells {
  cells: string[]; // in STEP_HEADER order, verdict last
  verdict: StepVerdict;
  reason?: string;
}

const rate = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

export function stepCells(s: ScalingResult): StepCells[] {
  return s.analysis.steps.map((row) => {
    const ms = (v: number | undefined) => (v === undefined ? '-' : `${row.approximate ? '~' : ''}${formatValue(v, 'ms')}`);
    return {
      cells: [
        row.name,
        rate(row.offered),
        row.achievedRps.toFixed(1),
        ms(row.latency?.p50),
        ms(row.latency?.p95),
        ms(row.latency?.p99),
        formatValue(row.errorRate, 'ratio'),
        row.dropped === null ? '-' : String(row.dropped),
        STEP_WORD[row.verdict],
      ],
      verdict: row.verdict,
      ...(row.reason ? { reason: row.reason } : {}),
    };
  });
}

/** One line: the capacity, the knee and the slowest autoscaler reaction. */
export function capacityHeadline(s: ScalingResult): string {
  const a = s.analysis;
  const parts: string[] = [];
  if (a.capacity === null) parts.push('capacity: no step was sustained');
  else if (a.atCeiling) parts.push(`capacity at least ${rate(a.capacity)} iterations/s (${a.capacityRps?.toFixed(1)} req/s achieved; no step above it ran out)`);
  else parts.push(`capacity ${rate(a.capacity)} iterations/s (${a.capacityRps?.toFixed(1)} req/s achieved)`);
  parts.push(a.knee === null ? 'no knee' : `knee at ${rate(a.knee)}/s`);
  const timed = (s.reactions ?? []).filter((r) => r.reactionMs !== null);
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const effect = (ms: number | null | undefined) => (typeof ms === 'number' ? `, effective after ${secs(ms)}` : '');
  if (timed.length > 0) parts.push(`autoscaler reacted in ${timed.map((r) => `${secs(r.reactionMs!)} (${r.step}${effect(r.effectMs)})`).join(', ')}`);
  else if (s.reactions) parts.push('replicas never rose');
  return parts.join(' · ');
}
