// `loadctl compare`'s table: each baseline check with the pool's median, the candidate, the change
// and its p-value. Pure.

import { formatValue, signedPct } from '../../util/format.js';
import type { Check } from '../../results/types.js';
import { pText } from '../baseline-rows.js';
import { table } from '../table.js';

export interface ComparisonView {
  candidate: string;
  against: string;
  notes: string[];
  checks: Check[];
  status: 'pass' | 'fail' | 'inconclusive';
}

const MARK: Record<Check['status'], string> = { pass: 'ok', fail: 'FAIL', inconclusive: '??' };

export function renderComparison(c: ComparisonView): string {
  const rows = [['', 'check', 'baseline', 'candidate', 'change', 'p', '']];
  for (const check of c.checks) {
    const b = check.baseline;
    const note = check.status !== 'pass' || b?.direction === 'improved' ? (b?.direction === 'improved' ? 'improved' : (check.reason ?? '')) : '';
    rows.push([
      MARK[check.status],
      check.name,
      b ? formatValue(b.median, check.unit) : '-',
      check.measured === null ? '-' : formatValue(check.measured, check.unit),
      b ? signedPct(b.changePct) : '-',
      b?.pValue == null ? '-' : pText(b.pValue),
      note.replace(/^.*?\): /, ''),
    ]);
  }
  const counts = (['fail', 'inconclusive', 'pass'] as const).map((s) => `${c.checks.filter((x) => x.status === s).length} ${s}`).join(', ');
  const lines = table(rows, undefined, ['l', 'l', 'l', 'l', 'l', 'l', 'l']);
  return [`compare ${c.candidate} against ${c.against}`, ...c.notes, '', ...lines, '', `${c.status.toUpperCase()}: ${counts}`].join('\n');
}

export function comparisonJson(c: ComparisonView): string {
  return JSON.stringify({ status: c.status, candidate: c.candidate, against: c.against, notes: c.notes, checks: c.checks }, null, 2);
}
