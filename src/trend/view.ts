// `loadctl history` as text, Markdown (CI step summaries) and JSON: the newest nights, the change
// points found and the verdict. Pure: returns text.

import { formatValue } from '../util/format.js';
import type { HistoryAnalysis, HistoryChange, HistoryMetric } from './analyse.js';
import type { HistoryRecord } from './record.js';
import { table } from '../report/table.js';

export interface HistoryView {
  profile: string;
  scenario: string;
  file: string;
  records: readonly HistoryRecord[];
  analysis: HistoryAnalysis;
  skipped: number; // unreadable lines
  rows?: number; // newest nights listed, default 14
}

const UNIT: Record<HistoryMetric, 'ms' | 'ratio' | 'req/s'> = { p95: 'ms', p99: 'ms', errorRate: 'ratio', rps: 'req/s' };
const LABEL: Record<HistoryMetric, string> = { p95: 'p95', p99: 'p99', errorRate: 'error rate', rps: 'throughput' };

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function changeText(c: HistoryChange): string {
  const size = c.metric === 'errorRate' ? `${c.change >= 0 ? '+' : ''}${formatValue(c.change, 'ratio')}` : `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)}%`;
  const unit = UNIT[c.metric];
  return `${LABEL[c.metric]} ${c.kind} ${size} (${formatValue(c.before, unit)} → ${formatValue(c.after, unit)}) from night ${c.index + 1}, ${day(c.startedAt)} (run ${c.runId}), p = ${c.pValue.toPrecision(2)}`;
}

export function verdictLine(v: HistoryView): string {
  const a = v.analysis;
  if (a.nights === 0) return `no history yet at ${v.file}: add runs with \`loadctl history ${v.scenario} -t ${v.profile} --add <run>\``;
  const drift = a.driftFailedLatest.length ? `; the newest night drifted (${a.driftFailedLatest.join(', ')})` : '';
  if (a.status === 'too-short') return `${a.nights} nights: too few to look for change points yet${drift}`;
  const failing = a.changes.filter((c) => c.failing);
  if (failing.length) return `REGRESSED: ${failing.map(changeText).join('; ')}${drift}`;
  return `no recent regression in ${a.nights} nights${drift}`;
}

function rows(v: HistoryView): string[][] {
  const n = v.rows ?? 14;
  const first = Math.max(0, v.records.length - n);
  const starts = new Set(v.analysis.changes.map((c) => c.index));
  return v.records.slice(first).map((r, k) => {
    const i = first + k;
    return [
      `${starts.has(i) ? '▶ ' : ''}${i + 1}`,
      day(r.startedAt),
      r.status,
      formatValue(r.p95, 'ms'),
      formatValue(r.p99, 'ms'),
      formatValue(r.errorRate, 'ratio'),
      formatValue(r.rps, 'req/s'),
      r.driftFailed?.length ? `drift: ${r.driftFailed.join(',')}` : '',
    ];
  });
}

const HEAD = ['night', 'started', 'status', 'p95', 'p99', 'errors', 'throughput', ''];

export function historyText(v: HistoryView): string {
  const lines = [`history of ${v.scenario} on ${v.profile}: ${v.analysis.nights} nights (${v.file})`];
  if (v.records.length) lines.push('', ...table([HEAD, ...rows(v)], undefined, ['r', 'l', 'l', 'r', 'r', 'r', 'r', 'l']));
  if (v.analysis.changes.length) lines.push('', 'change points (▶):', ...v.analysis.changes.map((c) => `  ${c.failing ? '✗' : c.kind === 'regression' ? '!' : '·'} ${changeText(c)}`));
  if (v.skipped) lines.push('', `${v.skipped} unreadable line(s) skipped (a run killed while appending?)`);
  lines.push('', verdictLine(v));
  return lines.join('\n');
}

export function historyMarkdown(v: HistoryView): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [`### Nightly history: ${v.scenario} on ${v.profile}`, '', `**${cell(verdictLine(v))}**`, ''];
  if (v.records.length) {
    lines.push(`| ${HEAD.slice(0, -1).join(' | ')} | drift |`, `|${HEAD.map(() => '---').join('|')}|`);
    for (const r of rows(v)) lines.push(`| ${r.map(cell).join(' | ')} |`);
  }
  if (v.analysis.changes.length) lines.push('', ...v.analysis.changes.map((c) => `- ${c.failing ? '❌' : c.kind === 'regression' ? '⚠️' : 'ℹ️'} ${cell(changeText(c))}`));
  return `${lines.join('\n')}\n`;
}

export function historyJson(v: HistoryView): string {
  const { analysis, records, profile, scenario, file, skipped } = v;
  return `${JSON.stringify({ profile, scenario, file, verdict: verdictLine(v), status: analysis.status, changes: analysis.changes, driftFailedLatest: analysis.driftFailedLatest, skipped, records }, null, 2)}\n`;
}
