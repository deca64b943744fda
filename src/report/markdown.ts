// The verdict as a PR comment or a CI step summary: short, scannable, GitHub-flavoured Markdown.
// Pure: returns text.

import { K6_METRIC_HEADER, k6MetricRows } from './k6-metric-rows.js';
import { STATUS_WORD } from './paint.js';
import { formatValue, seconds, thousands } from '../util/format.js';
import type { Check, HttpStats, RunResult, RunStatus } from '../results/types.js';
import { FAULT_COLUMNS, faultRows } from './faults.js';
import { baselineChecks, baselineTable, hiddenNote, slaChecks, type Verdict } from './baseline-rows.js';
import { capacityHeadline, STEP_HEADER, stepCells } from '../capacity/rows.js';

const WORD = STATUS_WORD;

const CHECK_WORD: Record<Check['status'], string> = { pass: 'pass', fail: '**FAIL**', inconclusive: 'inconclusive' };

export function renderMarkdown(r: RunResult): string {
  const http = r.metrics.http;
  const out: string[] = [];
  out.push(`### loadctl: ${WORD[r.status]} · ${cell(r.scenario)} → ${cell(r.target)}`);
  out.push('');
  out.push(
    `${seconds(r.durationMs)} · ${thousands(http.requests)} requests · ${http.rps.toFixed(1)} req/s · ` +
      `errors ${formatValue(http.errorRate, 'ratio')} · run \`${r.runId}\``,
  );
  if (r.status !== 'pass') out.push('', `> **${WORD[r.status]}**: ${inline(r.reason ?? defaultReason(r.status))}`);

  const sla = slaChecks(r);
  if (sla.length > 0) {
    out.push('', '| check | limit | measured | status |', '| --- | ---: | ---: | --- |');
    for (const c of sla) {
      const measured = c.measured === null ? '–' : formatValue(c.measured, c.unit);
      out.push(`| ${cell(c.name)} | ${cell(c.limit)} | ${measured} | ${CHECK_WORD[c.status]} |`);
    }
  }

  const faults = faultRows(r.faults, r.checks);
  if (faults.length > 0) {
    out.push('', '**Faults**', '', `| ${FAULT_COLUMNS.join(' | ')} |`, `| --- | --- | --- | ---: | ---: | ---: | ---: | --- |`);
    for (const f of faults) out.push(`| ${[...f.cells.slice(0, -1).map(cell), CHECK_WORD[f.verdict]].join(' | ')} |`);
  }
  out.push(...capacitySection(r));
  out.push(...baselineSection(r));

  const names = Object.keys(http.byName).sort();
  out.push('', `<details><summary>Requests (${names.length})</summary>`, '');
  out.push('| request | reqs | req/s | errors | p50 | p95 | p99 |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  out.push(statsRow('**overall**', http));
  for (const name of names) out.push(statsRow(cell(name), http.byName[name]!));
  out.push('', '</details>');
  const k6Rows = k6MetricRows(r.metrics.k6);
  if (k6Rows.length > 0) {
    out.push('', `<details><summary>Other k6 metrics (${k6Rows.length})</summary>`, '', `| ${K6_METRIC_HEADER.join(' | ')} |`, '| --- | --- | --- |');
    for (const m of k6Rows) out.push(`| ${inline(m.metric.trim())} | ${m.type} | ${cell(m.values)} |`);
    out.push('', '</details>');
  }

  if (r.phases.length > 0) {
    out.push('', `Phases: ${r.phases.map((p) => `${cell(p.name)} ${range(p.startMs, p.endMs)}`).join(' · ')}`);
  }
  out.push('', `<sub>loadctl ${inline(r.meta.loadctlVersion)} · k6 ${inline(r.meta.k6Version)}` +
    `${r.meta.gitSha ? ` · ${r.meta.gitSha.slice(0, 12)}` : ''} · plan ${inline(r.meta.planHash)}</sub>`);
  return out.join('\n') + '\n';
}

function capacitySection(r: RunResult): string[] {
  if (!r.scaling) return [];
  const out = ['', `**${inline(capacityHeadline(r.scaling))}**`, ''];
  out.push(`| ${STEP_HEADER.join(' | ')} |`, `| --- | ${STEP_HEADER.slice(1, -1).map(() => '---:').join(' | ')} | --- |`);
  for (const s of stepCells(r.scaling)) {
    const cells = s.cells.map(cell);
    if (s.verdict !== 'sustained') cells[cells.length - 1] = `**${cells.at(-1)!}**${s.reason ? `: ${cell(s.reason)}` : ''}`;
    out.push(`| ${cells.join(' | ')} |`);
  }
  return out;
}

const VERDICT_WORD: Record<Verdict, string> = { pass: 'pass', FAIL: '**FAIL**', inconclusive: 'inconclusive', improved: 'improved' };

/** Overall metrics always, per-request ones only when notable, like the console. */
function baselineSection(r: RunResult): string[] {
  const checks = baselineChecks(r);
  if (checks.length === 0) return [];
  const t = baselineTable(checks);
  const pool = t.runs === null ? '' : ` (pool of ${t.runs} run${t.runs === 1 ? '' : 's'})`;
  const out = ['', `**vs baseline**${pool}`, ''];
  out.push('| metric | baseline median | spread (min–max) | this run | change % | confidence | verdict |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const row of t.rows) {
    out.push(`| ${cell(row.metric)} | ${row.median} | ${row.spread} | ${row.candidate} | ${row.change} | ${row.confidence} | ${VERDICT_WORD[row.verdict]} |`);
  }
  const note = hiddenNote(t.hidden);
  if (note) out.push('', `<sub>${note}</sub>`);
  return out;
}

function statsRow(name: string, s: HttpStats): string {
  const l = s.latencyMs;
  const ms = (v: number) => (s.requests ? formatValue(v, 'ms') : '–');
  return `| ${name} | ${thousands(s.requests)} | ${s.rps.toFixed(1)} | ${formatValue(s.errorRate, 'ratio')} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} |`;
}

function defaultReason(status: RunStatus): string {
  return status === 'fail' ? 'a check failed' : status === 'inconclusive' ? 'not enough data to judge every check' : 'the run did not finish';
}

const range = (a: number, b: number) => `${(a / 1000).toFixed(1)}–${(b / 1000).toFixed(1)} s`;

/**
 * Text from profiles and k6 may hold HTML; keep it inert and on one line. Only what could open a tag
 * or an entity is escaped, so "<= 200 ms" still reads well in a raw log.
 */
function inline(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

function cell(s: string): string {
  return inline(s).replace(/\|/g, '\\|');
}
