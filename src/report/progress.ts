// One progress line (or JSON event) from a live snapshot. Pure.

import type { Plan } from '../plan/types.js';

export interface LiveView {
  elapsedMs: number;
  requests: number;
  rps: number;
  p95: number | null;
  errorRate: number;
  vus: number;
}

export function phaseAt(plan: Plan, elapsedMs: number): string {
  const p = plan.phases.find((x) => elapsedMs >= x.startMs && elapsedMs < x.endMs);
  return p?.name ?? (plan.phases.length ? plan.phases[plan.phases.length - 1]!.name : 'run');
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function progressLine(plan: Plan, v: LiveView, barWidth = 20): string {
  const total = plan.durationMs;
  const frac = total ? Math.min(1, v.elapsedMs / total) : 0;
  const bar = total ? `[${'#'.repeat(Math.round(frac * barWidth)).padEnd(barWidth, '-')}] ` : '';
  const when = total ? `${clock(v.elapsedMs)}/${clock(total)}` : clock(v.elapsedMs);
  const p95 = v.p95 === null ? '-' : `${v.p95.toFixed(v.p95 < 10 ? 1 : 0)} ms`;
  return `${bar}${when}  ${phaseAt(plan, v.elapsedMs)}  vus ${v.vus}  ${v.rps.toFixed(0)} req/s  p95 ${p95}  errors ${(v.errorRate * 100).toFixed(2)}%  (${v.requests} requests)`;
}

export function progressEvent(plan: Plan, v: LiveView): string {
  return JSON.stringify({ type: 'progress', phase: phaseAt(plan, v.elapsedMs), totalMs: plan.durationMs, ...v });
}
