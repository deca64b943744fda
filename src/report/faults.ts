// The fault table every report shows for a run with chaos: per fault what it was, its window, the
// degradation it caused, how fast the target recovered, and the verdict of its checks. Pure: rows
// of plain strings; console.ts and markdown.ts lay them out.
import { describeFault } from '../chaos/kinds.js';
import type { FaultAnalysis, FaultStatus } from '../chaos/types.js';
import { formatValue } from '../util/format.js';
import type { Check, CheckStatus } from '../results/types.js';

export const FAULT_COLUMNS = ['fault', 'what', 'window', 'p95 before → during', 'errors during', 'impact after', 'recovered after', 'verdict'] as const;

export interface FaultRow {
  cells: string[]; // in FAULT_COLUMNS order
  verdict: CheckStatus;
}

const NOT_INJECTED: Record<FaultStatus, string | null> = {
  reverted: null,
  'revert-failed': null,
  skipped: 'not started (the run ended first)',
  'inject-failed': 'not injected',
};

export function faultRows(faults: FaultAnalysis[] | undefined, checks: Check[]): FaultRow[] {
  return (faults ?? []).map((f) => {
    const own = checks.filter((c) => c.kind === 'chaos' && c.scope === f.id);
    const verdict: CheckStatus = own.some((c) => c.status === 'fail') ? 'fail' : own.some((c) => c.status === 'inconclusive') || own.length === 0 ? 'inconclusive' : 'pass';
    const missing = NOT_INJECTED[f.status];
    if (missing || !f.window) return { verdict, cells: [f.id, describeFault(f.kind, f.params), missing ?? 'not injected', '–', '–', '–', '–', verdict] };
    const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatValue(v, 'ms'));
    const recovered = f.recovery.status === 'recovered' ? secs(f.recovery.timeToRecoverMs!) : f.recovery.status === 'not-recovered' ? 'not recovered' : 'unknown';
    return {
      verdict,
      cells: [
        f.id,
        describeFault(f.kind, f.params),
        `${secs(f.window.startMs)}–${secs(f.window.endMs)}${f.revertedAt === null ? ' (still active)' : ''}`,
        `${ms(f.baseline?.p95)} → ${ms(f.during?.p95)}`,
        f.during ? formatValue(f.during.errorRate, 'ratio') : '–',
        f.timeToImpactMs === null ? 'none' : secs(f.timeToImpactMs),
        recovered,
        verdict,
      ],
    };
  });
}

/** The fault table for report.html (`esc` escapes text for HTML). Empty without faults. */
export function faultTableHtml(faults: FaultAnalysis[] | undefined, checks: Check[], esc: (s: string) => string): string {
  const rows = faultRows(faults, checks);
  if (rows.length === 0) return '';
  const head = FAULT_COLUMNS.map((h, i) => `<th${i >= 3 && i <= 6 ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr class="${r.verdict}">${r.cells.slice(0, -1).map((c, i) => `<td${i >= 3 && i <= 6 ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}<td><span class="pill ${r.verdict}">${r.verdict === 'inconclusive' ? 'n/a' : r.verdict}</span></td></tr>`);
  return `<section class="card"><h2>Faults</h2><table><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table></section>`;
}

/** Fault windows for the charts, in seconds on the series clock (like the charts' x axis). */
export function faultBands(faults: FaultAnalysis[] | undefined): { label: string; start: number; end: number }[] {
  return (faults ?? []).filter((f) => f.window).map((f) => ({ label: `${f.id}`, start: f.window!.startMs / 1000, end: f.window!.endMs / 1000 }));
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
