// report.html's "vs baseline" section and the baseline bands for its charts, both from the run's own
// baseline checks. Pure: returns text and data.

import type { RunResult } from '../results/types.js';
import { escapeHtml as esc } from '../util/format.js';
import { baselineChecks, baselineRow, baselineTable, hiddenNote, overallSpread, type BaselineRow } from './baseline-rows.js';
import type { BaselineBands, ChartData, HtmlOptions } from './html-types.js';

const PILL: Record<BaselineRow['verdict'], string> = { pass: 'pass', FAIL: 'fail', inconclusive: 'inconclusive', improved: 'improved' };

const HEAD = ['metric', 'baseline median', 'spread (min–max)', 'this run', 'change %', 'confidence', 'verdict'];

/** The table of the console and report.md; the per-request checks left out fold into a <details>. */
export function baselineSection(r: RunResult): string {
  const checks = baselineChecks(r);
  if (checks.length === 0) return '';
  const t = baselineTable(checks);
  const pool = t.runs === null ? '' : ` <small>(pool of ${t.runs} run${t.runs === 1 ? '' : 's'}, ${t.candidates} candidate run${t.candidates === 1 ? '' : 's'})</small>`;
  const rest = t.hidden.length
    ? `<details><summary>${esc(hiddenNote(t.hidden).replace(/ in result\.json$/, ''))}</summary>${table(t.hidden.map(baselineRow))}</details>`
    : '';
  const method = checks.find((c) => c.baseline)?.baseline?.method;
  const note = `regression = beyond the tolerance and clear of run-to-run noise; confidence = 1 − p${method ? ` (${method})` : ''}`;
  return `<section class="card" id="vs-baseline"><h2>vs baseline${pool}</h2>${table(t.rows)}${rest}<p class="note">${esc(note)}</p></section>`;
}

function table(rows: BaselineRow[]): string {
  const body = rows.map((row) => {
    const cells = [row.median, row.spread, row.candidate, row.change, row.confidence].map((v, i) => `<td class="n${i === 2 ? ' m' : ''}">${esc(v)}</td>`);
    const title = row.check.reason ? ` title="${esc(row.check.reason)}"` : '';
    return `<tr class="${row.check.status}"><td${title}>${esc(row.metric)}</td>${cells.join('')}<td><span class="pill ${PILL[row.verdict]}">${esc(row.verdict)}</span></td></tr>`;
  });
  const head = HEAD.map((h, i) => `<th${i >= 1 && i <= 5 ? ' class="n"' : ''}>${h}</th>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** The bands the charts draw: derived from the overall baseline checks, then opts.baseline on top. */
export function baselineData(r: RunResult, opts: HtmlOptions): Pick<ChartData, 'baseline'> {
  const derived: BaselineBands = {};
  for (const m of ['p95', 'p50', 'rps'] as const) {
    const band = overallSpread(r, m);
    if (band) derived[m] = band;
  }
  const bands = { ...derived, ...opts.baseline };
  if (!bands.p95 && !bands.p50 && !bands.rps) return {};
  const runs = r.checks.find((c) => c.kind === 'baseline' && c.baseline)?.baseline?.runs;
  return { baseline: { ...bands, ...(runs ? { runs } : {}) } };
}
