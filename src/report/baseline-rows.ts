// The "vs baseline" table shared by report.md, report.html and junit.xml: which baseline checks to
// show and each one's numbers as text. The console uses it too: overall
// metrics always, per-request ones only when they did not simply pass, at most 16 rows. Pure.

import { formatValue, signedPct } from '../util/format.js';
import type { Check, RunResult } from '../results/types.js';

export const MAX_BASELINE_ROWS = 16;

export type Verdict = 'pass' | 'FAIL' | 'inconclusive' | 'improved';

export interface BaselineRow {
  check: Check;
  metric: string; // "p95 latency (overall)"
  median: string;
  spread: string; // "12.1–14.0 ms"
  candidate: string;
  change: string; // "+3.2%"
  confidence: string; // 1 - p as a percentage, or "-"
  p: string; // the p-value, or "-"
  verdict: Verdict;
}

export interface BaselineTable {
  rows: BaselineRow[];
  hidden: Check[]; // per-request checks left out (plain passes, or beyond the row cap)
  runs: number | null; // pool size, when any check carries a comparison
  candidates: number | null;
}

export const baselineChecks = (r: RunResult): Check[] => r.checks.filter((c) => c.kind === 'baseline');
export const slaChecks = (r: RunResult): Check[] => r.checks.filter((c) => c.kind !== 'baseline');

export function baselineTable(checks: Check[], max = MAX_BASELINE_ROWS): BaselineTable {
  const notable = (c: Check) => c.status !== 'pass' || c.baseline?.direction === 'improved';
  const perRequest = checks.filter((c) => c.scope !== 'overall' && notable(c));
  const ordered = [...checks.filter((c) => c.scope === 'overall'), ...perRequest.filter((c) => c.status === 'fail'), ...perRequest.filter((c) => c.status !== 'fail')];
  const shown = ordered.slice(0, max);
  const first = checks.find((c) => c.baseline)?.baseline;
  return {
    rows: shown.map(baselineRow),
    hidden: checks.filter((c) => !shown.includes(c)),
    runs: first?.runs ?? null,
    candidates: first?.candidates ?? null,
  };
}

export function baselineRow(c: Check): BaselineRow {
  const b = c.baseline;
  const v = (x: number) => formatValue(x, c.unit);
  return {
    check: c,
    metric: c.name.replace(' vs baseline', ''),
    median: b ? v(b.median) : '-',
    spread: b ? spreadText(b.spread, c.unit) : '-',
    candidate: b ? v(b.candidate) : c.measured === null ? '-' : v(c.measured),
    change: b ? signedPct(b.changePct) : '-',
    confidence: b?.confidence == null ? '-' : confidenceText(b.confidence),
    p: b?.pValue == null ? '-' : pText(b.pValue),
    verdict: verdictOf(c),
  };
}

export function verdictOf(c: Check): Verdict {
  if (c.status === 'fail') return 'FAIL';
  if (c.status === 'inconclusive') return 'inconclusive';
  return c.baseline?.direction === 'improved' ? 'improved' : 'pass';
}

/** "12.1–14.0 ms": the unit once, after the range. */
export function spreadText([lo, hi]: [number, number], unit: Check['unit']): string {
  const a = formatValue(lo, unit);
  const b = formatValue(hi, unit);
  const suffix = /( ms| req\/s|%)$/.exec(a)?.[0];
  return suffix && b.endsWith(suffix) ? `${a.slice(0, -suffix.length)}–${b}` : `${a}–${b}`;
}

/** 1 - p as a percentage; never rounds up to a certain-looking 100.0%. */
export function confidenceText(c: number): string {
  const pct = (c * 100).toFixed(1);
  return pct === '100.0' && c < 1 ? '>99.9%' : `${pct}%`;
}

export const pText = (p: number) => (p < 0.0001 ? '<0.0001' : p.toFixed(4));

/** "24 more per-request checks (all pass) are in result.json" — or '' when nothing was left out. */
export function hiddenNote(hidden: Check[]): string {
  if (hidden.length === 0) return '';
  const counts = new Map<string, number>();
  for (const c of hidden) counts.set(verdictOf(c), (counts.get(verdictOf(c)) ?? 0) + 1);
  const parts = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  return `${hidden.length} more per-request check${hidden.length === 1 ? '' : 's'} (${parts}) in result.json`;
}

/** The pool's [min, max] band of an overall metric, from its baseline check. */
export function overallSpread(r: RunResult, metric: string): [number, number] | undefined {
  const c = r.checks.find((x) => x.kind === 'baseline' && x.scope === 'overall' && x.metric === metric && x.baseline);
  return c?.baseline ? [c.baseline.spread[0], c.baseline.spread[1]] : undefined;
}
