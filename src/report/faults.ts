// The fault table every report shows for a run with chaos: per fault what it was, its window, the
// degradation it caused, how fast the target recovered, and the verdict of its checks. Pure: rows
// of plain strings; console.ts and markdown.ts lay them out.
import { describeFault } from '../chaos/kinds.js';
import type { FaultAnalysis, FaultStatus } from '../chaos/types.js';
import { formatValue } from '../judge/sla.js';
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

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
