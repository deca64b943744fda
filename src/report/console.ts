// The verdict as people read it at a terminal or in a CI log. Pure: returns text.

import { formatValue } from '../util/format.js';
import type { Check, HttpStats, RunResult, RunStatus } from '../results/types.js';
import type { Paint } from './paint.js';
import { baselineTable } from './baseline-rows.js';
import { capacityHeadline, STEP_HEADER, stepCells } from '../capacity/rows.js';
import { table } from './table.js';
import { K6_METRIC_HEADER, k6MetricRows } from './k6-metric-rows.js';
import { FAULT_COLUMNS, faultRows } from './faults.js';

const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (s: string) => s.replace(ANSI, '').length;

export function renderConsole(r: RunResult, paint: Paint, runDir?: string): string {
  const http = r.metrics.http;
  const lines: string[] = [];
  lines.push(
    paint.bold(`loadctl · ${r.scenario} → ${r.target}`) +
      paint.dim(` (${r.baseUrl}) · ${(r.durationMs / 1000).toFixed(1)} s · ${http.requests} requests · ${http.rps.toFixed(1)} req/s`),
  );
  lines.push('');
  const rows = [['request', 'reqs', 'req/s', 'errors', 'p50', 'p95', 'p99', 'max'].map((h) => paint.dim(h))];
  rows.push(statsRow('overall', http));
  for (const [name, s] of Object.entries(http.byName).sort(([a], [b]) => a.localeCompare(b))) rows.push(statsRow(name, s));
  lines.push(...table(rows, visible).map((l) => `  ${l}`));
  const k6Rows = k6MetricRows(r.metrics.k6);
  if (k6Rows.length > 0) {
    lines.push('');
    lines.push(...table([K6_METRIC_HEADER.map((h) => paint.dim(h)), ...k6Rows.map((m) => [m.metric, m.type, m.values])], visible, ['l', 'l', 'l']).map((l) => `  ${l}`));
  }
  const sla = r.checks.filter((c) => c.kind !== 'baseline');
  if (sla.length > 0) {
    lines.push('');
    const checkRows = [['check', 'limit', 'measured'].map((h) => paint.dim(h))];
    for (const c of sla) checkRows.push(checkRow(c, paint));
    lines.push(...table(checkRows, visible).map((l) => `  ${l}`));
  }
  lines.push(...faultLines(r, paint));
  lines.push(...capacityLines(r, paint));
  lines.push(...baselineLines(r.checks.filter((c) => c.kind === 'baseline'), paint));
  if (r.samples.malformed > 0) {
    lines.push(paint.warn(`  ${r.samples.malformed} malformed sample lines from k6 were skipped`));
  }
  lines.push('');
  lines.push(statusLine(r, paint));
  if (runDir) lines.push(paint.dim(`results: ${runDir}`));
  return lines.join('\n');
}

function statsRow(name: string, s: HttpStats): string[] {
  const l = s.latencyMs;
  const ms = (v: number) => (s.requests ? formatValue(v, 'ms') : '-');
  return [name, String(s.requests), s.rps.toFixed(1), formatValue(s.errorRate, 'ratio'), ms(l.p50), ms(l.p95), ms(l.p99), ms(l.max)];
}

const MARK: Record<Check['status'], (p: Paint) => string> = {
  pass: (p) => p.ok('✓ pass'),
  fail: (p) => p.bad('✗ FAIL'),
  inconclusive: (p) => p.warn('? n/a '),
};

function checkRow(c: Check, paint: Paint): string[] {
  const measured = c.measured === null ? '-' : formatValue(c.measured, c.unit);
  return [`${MARK[c.status](paint)}  ${c.name}`, c.limit, c.status === 'fail' ? paint.bad(measured) : measured];
}

function faultLines(r: RunResult, paint: Paint): string[] {
  const rows = faultRows(r.faults, r.checks);
  if (rows.length === 0) return [];
  const body = rows.map((row) => [...row.cells.slice(0, -1), MARK[row.verdict](paint)]);
  return ['', ...table([FAULT_COLUMNS.map((h) => paint.dim(h)), ...body], visible, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'l']).map((l) => `  ${l}`)];
}

/** A capacity run's per-step table (capacity-rows.ts) and its headline. */
function capacityLines(r: RunResult, paint: Paint): string[] {
  if (!r.scaling) return [];
  const rows = [STEP_HEADER.map((h) => paint.dim(h))];
  for (const s of stepCells(r.scaling)) {
    const verdict = s.cells.at(-1)!;
    rows.push([...s.cells.slice(0, -1), s.verdict === 'sustained' ? paint.ok(verdict) : paint.warn(verdict)]);
  }
  return ['', ...table(rows, visible).map((l) => `  ${l}`), `  ${paint.bold(capacityHeadline(r.scaling))}`];
}

/** The shared "vs baseline" selection (baseline-rows.ts), as console lines. */
function baselineLines(checks: Check[], paint: Paint): string[] {
  if (checks.length === 0) return [];
  const t = baselineTable(checks);
  const rows = [['vs baseline', 'baseline', 'this run', 'change', 'p'].map((h) => paint.dim(h))];
  for (const r of t.rows) {
    const mark = r.verdict === 'improved' ? paint.ok('↑ better') : MARK[r.check.status](paint);
    rows.push([`${mark}  ${r.metric}`, r.median, r.candidate, r.change, r.p]);
  }
  const pool = t.runs === null ? '' : `pool of ${t.runs} runs, ${t.candidates} candidate run(s); `;
  const hidden = t.hidden.length ? `${t.hidden.length} more per-request checks in the reports; ` : '';
  return ['', ...table(rows, visible).map((l) => `  ${l}`), paint.dim(`  ${pool}${hidden}regression = beyond tolerance and p < alpha`)];
}

const HEADLINE: Record<RunStatus, (p: Paint, r: RunResult) => string> = {
  pass: (p, r) => p.ok(p.bold('PASS')) + (r.checks.length > 0 ? ` all ${r.checks.length} checks passed` : ' nothing failed: the profile sets no limit that applies to this run'),
  fail: (p, r) => p.bad(p.bold('FAIL')) + ` ${r.reason ?? 'a check failed'}`,
  inconclusive: (p, r) => p.warn(p.bold('INCONCLUSIVE')) + ` ${r.reason ?? 'not enough data to judge every check'}`,
  error: (p, r) => p.bad(p.bold('ERROR')) + ` ${r.reason ?? 'the run failed'}`,
  interrupted: (p, r) => p.warn(p.bold('INTERRUPTED')) + ` ${r.reason ?? 'stopped before the end; partial results'}`,
};

export function statusLine(r: RunResult, paint: Paint): string {
  return HEADLINE[r.status](paint, r);
}
