// One self-contained report.html: opens offline, from a file or a CI artifact. The chart library
// (uPlot) arrives as text in `assets` and is inlined; the chart data travels as an inline JSON
// script; a Content-Security-Policy forbids every network fetch. Pure: returns text.

import { k6ChartCards, k6ChartData, type K6ChartData } from './html-k6-metrics.js';
import { K6_METRIC_HEADER, k6MetricRows } from './k6-metric-rows.js';
import { STATUS_WORD } from './paint.js';
import { escapeHtml as esc, formatValue, thousands } from '../util/format.js';
import type { Check, HttpStats, RunResult, RunStatus } from '../results/types.js';
import { slaChecks } from './baseline-rows.js';
import { baselineData, baselineSection } from './html-baseline.js';
import { CHART_SCRIPT } from './html-charts.js';
import { faultBands, faultTableHtml } from './faults.js';
import { capacitySection, scalingCards, scalingChartData, type ScalingChartData } from '../capacity/html.js';
import { trendLines } from './html-drift.js';
import type { ChartAssets, ChartData, HtmlOptions, Limit } from './html-types.js';
import { jsonForScript, pageHead, rawText } from './html-page.js';

export type { BaselineBands, ChartAssets, ChartData, HtmlOptions } from './html-types.js';
export { jsonForScript } from './html-page.js';

const WORD = STATUS_WORD;

export function renderHtml(r: RunResult, assets: ChartAssets, opts: HtmlOptions = {}): string {
  const http = r.metrics.http;
  const title = `loadctl · ${r.scenario} → ${r.target} · ${WORD[r.status]}`;
  const tiles: [string, string][] = [
    ['Duration', `${(r.durationMs / 1000).toFixed(1)} s`],
    ['Requests', thousands(http.requests)],
    ['Throughput', `${http.rps.toFixed(1)} req/s`],
    ['Errors', formatValue(http.errorRate, 'ratio')],
    ['p95', http.requests ? formatValue(http.latencyMs.p95, 'ms') : '–'],
    ['p99', http.requests ? formatValue(http.latencyMs.p99, 'ms') : '–'],
    ['Max VUs', String(r.metrics.vusMax)],
  ];
  return `${pageHead(title, assets)}
<body>
<header class="banner ${r.status}">
  <div class="word">${WORD[r.status]}</div>
  <div>
    <h1>${esc(r.scenario)} → ${esc(r.target)}</h1>
    <p>${esc(summaryLine(r))}</p>
  </div>
</header>
<main>
<p class="sub">${esc(r.baseUrl)} · started ${esc(r.startedAt)} · run <code>${esc(r.runId)}</code></p>
<section class="tiles">${tiles.map(([k, v]) => `<div class="tile"><span>${k}</span><b>${esc(v)}</b></div>`).join('')}</section>
<section class="charts">
${chartCard('latency', 'Latency percentiles (ms)')}
${chartCard('rps', 'Throughput (req/s)')}
${chartCard('errors', 'Error rate (%)')}
${chartCard('vus', 'Virtual users')}
${scalingCards(r, chartCard, esc)}
${k6ChartCards(r, chartCard, esc)}
</section>
<section class="card"><h2>Checks</h2>${checksTable(r.checks.length ? slaChecks(r) : [], r.checks.length > 0)}</section>
${faultTableHtml(r.faults, r.checks, esc)}
${capacitySection(r, esc)}
${baselineSection(r)}
<section class="card"><h2>Requests</h2>${requestsTable(r)}</section>
${k6MetricsCard(r)}
<section class="card split">
  <div><h2>Phases</h2>${phasesTable(r)}</div>
  <div><h2>Run</h2>${metaList(r)}</div>
</section>
</main>
<script type="application/json" id="loadctl-data">${jsonForScript(chartData(r, opts))}</script>
<script>${rawText(assets.chartJs, 'script')}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

export function chartData(r: RunResult, opts: HtmlOptions = {}): ChartData {
  const half = r.bucketMs / 2;
  const sec = (ms: number) => Math.round(ms) / 1000;
  // Limit lines come from SLA checks only: a drift check's limit is a relative change, not a level.
  const overall = (metric: string) => slaChecks(r).filter((c) => c.kind === 'sla' && (c.scope === 'overall' || c.scope === 'outside faults') && c.metric === metric);
  const limit = (c: Check, scale = 1): Limit => ({ label: `SLA ${c.metric} ${c.limit}`, value: c.limitValue * scale });
  return {
    t: r.series.map((p) => sec(p.tMs + half)),
    p50: r.series.map((p) => p.p50),
    p95: r.series.map((p) => p.p95),
    p99: r.series.map((p) => p.p99),
    rps: r.series.map((p) => p.rps),
    errorPct: r.series.map((p) => p.errorRate * 100),
    vus: r.series.map((p) => p.vus),
    phases: r.phases.map((p) => ({ name: p.name, start: sec(p.startMs), end: sec(p.endMs) })),
    faults: faultBands(r.faults),
    limits: {
      latency: ['p50', 'p90', 'p95', 'p99'].flatMap((m) => overall(m).map((c) => limit(c))),
      rps: overall('rps').map((c) => limit(c)),
      errorPct: overall('errorRate').map((c) => limit(c, 100)),
    },
    ...baselineData(r, opts),
    ...scalingChartData(r),
    ...k6ChartData(r),
    trends: trendLines(r),
  };
}

function summaryLine(r: RunResult): string {
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  if (r.status === 'pass') return `all ${r.checks.length} checks passed`;
  const reason = r.reason ?? (r.status === 'fail' ? `${failed} of ${r.checks.length} checks failed` : `status: ${r.status}`);
  return reason;
}

function chartCard(id: string, heading: string): string {
  return `<div class="card chart"><h2>${heading}</h2><div class="plot" id="chart-${id}" data-chart="${id}"></div></div>`;
}

const MARK: Record<Check['status'], string> = { pass: 'pass', fail: 'fail', inconclusive: 'n/a' };

function checksTable(checks: Check[], onlyBaseline = false): string {
  if (checks.length === 0) return `<p class="empty">${onlyBaseline ? 'No SLA checks were configured; see vs baseline.' : 'No checks were judged for this run.'}</p>`;
  const rows = checks.map((c) => {
    const measured = c.measured === null ? '–' : formatValue(c.measured, c.unit);
    return `<tr class="${c.status}"><td><span class="pill ${c.status}">${MARK[c.status]}</span></td><td>${esc(c.name)}</td>` +
      `<td class="n">${esc(c.limit)}</td><td class="n m">${esc(measured)}</td><td>${esc(c.kind)}</td><td class="why">${esc(c.reason ?? '')}</td></tr>`;
  });
  return `<table><thead><tr><th></th><th>check</th><th class="n">limit</th><th class="n">measured</th><th>kind</th><th>note</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function requestsTable(r: RunResult): string {
  const http = r.metrics.http;
  const row = (name: string, s: HttpStats, cls = '') => {
    const l = s.latencyMs;
    const ms = (v: number) => (s.requests ? formatValue(v, 'ms') : '–');
    const cells = [thousands(s.requests), s.rps.toFixed(1), formatValue(s.errorRate, 'ratio'), ms(l.p50), ms(l.p90), ms(l.p95), ms(l.p99), ms(l.max)];
    return `<tr class="${cls}"><td>${esc(name)}</td>${cells.map((c) => `<td class="n">${esc(c)}</td>`).join('')}</tr>`;
  };
  const names = Object.keys(http.byName).sort();
  const head = ['request', 'reqs', 'req/s', 'errors', 'p50', 'p90', 'p95', 'p99', 'max'].map((h, i) => `<th${i ? ' class="n"' : ''}>${h}</th>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${row('overall', http, 'total')}${names.map((n) => row(n, http.byName[n]!)).join('')}</tbody></table>`;
}

function k6MetricsCard(r: RunResult): string {
  const rows = k6MetricRows(r.metrics.k6);
  if (rows.length === 0) return '';
  const head = K6_METRIC_HEADER.map((h) => `<th>${h}</th>`).join('');
  const body = rows.map((m) => `<tr><td><code>${esc(m.metric.trim())}</code></td><td>${esc(m.type)}</td><td>${esc(m.values)}</td></tr>`).join('');
  return `<section class="card"><h2>Other k6 metrics</h2><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></section>`;
}

function phasesTable(r: RunResult): string {
  if (r.phases.length === 0) return '<p class="empty">This scenario declares no phases.</p>';
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rows = r.phases.map((p) => `<tr><td>${esc(p.name)}</td><td class="n">${s(p.startMs)}</td><td class="n">${s(p.endMs)}</td></tr>`);
  return `<table><thead><tr><th>phase</th><th class="n">from</th><th class="n">to</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function metaList(r: RunResult): string {
  const items: [string, string | undefined][] = [
    ['run id', r.runId],
    ['started', r.startedAt],
    ['loadctl', r.meta.loadctlVersion],
    ['k6', r.meta.k6Version],
    ['node', r.meta.node],
    ['git sha', r.meta.gitSha],
    ['plan hash', r.meta.planHash],
    ['host', r.meta.host],
    ['k6 exit', `${r.k6.exitCode ?? 'none'}${r.k6.signal ? ` (${r.k6.signal})` : ''}`],
    ['samples', `${thousands(r.samples.parsed)} parsed, ${r.samples.malformed} malformed${r.samples.format ? ` (${r.samples.format} stream)` : ''}`],
    ['iterations', `${thousands(r.metrics.iterations)} (${r.metrics.droppedIterations} dropped)`],
  ];
  return `<dl>${items.filter(([, v]) => v !== undefined).map(([k, v]) => `<dt>${k}</dt><dd>${esc(v!)}</dd>`).join('')}</dl>`;
}
