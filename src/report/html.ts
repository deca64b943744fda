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
import { capacitySection, scalingCards, scalingChartData, type ScalingChartData } from './html-scaling.js';
import { trendLines, type TrendLines } from './html-drift.js';

export interface ChartAssets {
  chartJs: string;
  chartCss?: string;
}

/**
 * The baseline pool's [min, max] bands drawn on the charts: p95/p50 in ms on the latency chart, rps
 * on the throughput chart. Derived from the run's own baseline checks; HtmlOptions.baseline overrides.
 */
export interface BaselineBands {
  p95?: [number, number];
  p50?: [number, number];
  rps?: [number, number];
}

/** Overrides for overlays that need more than one run. */
export interface HtmlOptions {
  baseline?: BaselineBands;
}

/** What the in-page chart script reads (see html-charts.ts). Times in seconds from the first sample. */
export interface ChartData extends ScalingChartData, K6ChartData {
  t: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  rps: number[];
  errorPct: number[];
  vus: number[];
  phases: { name: string; start: number; end: number }[];
  faults: { label: string; start: number; end: number }[]; // fault windows, shaded on every chart
  limits: { latency: Limit[]; rps: Limit[]; errorPct: Limit[] };
  baseline?: BaselineBands & { runs?: number };
  trends: TrendLines; // fitted drift lines (html-drift.ts)
}
interface Limit {
  label: string;
  value: number;
}

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

/**
 * The start of a self-contained page up to </head>: no network (a strict CSP), the chart library's
 * CSS and the page's own inlined. Shared by report.html and the history page.
 */
export function pageHead(title: string, assets: ChartAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${rawText(assets.chartCss ?? '', 'style')}</style>
<style>${PAGE_CSS}</style>
</head>`;
}

/** JSON inside <script>: escaping `<` keeps `</script>` and `<!--` in the data from ending it early. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Library text inlined as raw text: only a closing tag could end the element early. */
export function rawText(s: string, tag: 'script' | 'style'): string {
  return s.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

export const PAGE_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
.banner{display:flex;gap:24px;align-items:center;padding:20px 32px;color:#fff}
.banner.pass{background:var(--ok)}.banner.fail,.banner.error{background:var(--bad)}.banner.inconclusive,.banner.interrupted{background:var(--warn)}
.banner .word{font-size:30px;font-weight:700;letter-spacing:.04em;padding:4px 16px;border:2px solid rgba(255,255,255,.7);border-radius:8px}
.banner h1{margin:0;font-size:22px;font-weight:600}.banner p{margin:2px 0 0;opacity:.92}
main{max-width:1280px;margin:0 auto;padding:16px 32px 48px}
.sub{color:var(--muted);margin:0 0 16px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff2f5;padding:1px 5px;border-radius:4px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px;margin-bottom:16px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.tile span{display:block;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.tile b{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px;margin-bottom:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin-bottom:16px;overflow-x:auto}
.charts .card{margin:0}
h2{font-size:15px;margin:0 0 10px;font-weight:600}
.plot{min-height:250px}
.split{display:grid;grid-template-columns:1fr 1fr;gap:32px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eaeef2;white-space:nowrap}
th{color:var(--muted);font-weight:500;font-size:12px}
td.n,th.n{text-align:right}td.why{white-space:normal;color:var(--muted)}
tr.total td{font-weight:600}tr.fail td.m{color:var(--bad);font-weight:600}
.pill{display:inline-block;min-width:44px;text-align:center;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.pill.pass{background:var(--ok)}.pill.fail{background:var(--bad)}.pill.inconclusive{background:var(--warn)}.pill.improved{background:#0969da}
details summary{cursor:pointer;color:var(--muted);margin-top:8px}.card p.note{color:var(--muted);margin:8px 0 0;font-size:12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dt{color:var(--muted)}dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.empty{color:var(--muted);margin:0}
.uplot{width:100%}.u-legend{font-size:12px}
@media (max-width:720px){.split{grid-template-columns:1fr}.charts{grid-template-columns:1fr}main{padding:12px}}
`;
