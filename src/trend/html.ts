// `loadctl history --html`: one self-contained page with the nightly series charted (uPlot, inlined
// like report.html, no network) and each change point marked where its new level starts. Pure.

import { jsonForScript, pageHead, rawText } from '../report/html-page.js';
import type { ChartAssets } from '../report/html-types.js';
import { escapeHtml as esc, formatValue } from '../util/format.js';
import { HISTORY_METRICS } from './analyse.js';
import { verdictLine, type HistoryView } from './view.js';

// Plain browser JavaScript kept as text. One chart per metric; x is the night number.
const SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('loadctl-history').textContent);
  var charts = 0;
  data.charts.forEach(function (c) {
    var el = document.getElementById('chart-' + c.metric);
    var marks = data.changes.filter(function (x) { return x.metric === c.metric; });
    var draw = function (u) {
      var ctx = u.ctx, b = u.bbox, px = window.uPlot.pxRatio || 1;
      ctx.save();
      ctx.font = (11 * px) + 'px system-ui, sans-serif';
      marks.forEach(function (m) {
        var x = u.valToPos(m.index + 1, 'x', true);
        ctx.strokeStyle = m.kind === 'regression' ? '#cf222e' : '#1a7f37';
        ctx.setLineDash([4 * px, 4 * px]); ctx.lineWidth = px;
        ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke(); ctx.setLineDash([]);
        ctx.fillStyle = ctx.strokeStyle; ctx.fillText(m.label, x + 4 * px, b.top + 12 * px);
      });
      ctx.restore();
    };
    new window.uPlot({
      width: el.clientWidth || 600, height: 220,
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.15 : 1]; } } },
      axes: [{ values: function (u, vs) { return vs.map(function (v) { return Number.isInteger(v) ? '#' + v : ''; }); } }, { size: 60 }],
      series: [{ label: 'night' }, { label: c.label, stroke: c.colour, width: 2, points: { show: true, size: 5 } }],
      hooks: { draw: [draw] },
    }, [data.nights, c.values], el);
    charts++;
  });
  document.body.setAttribute('data-charts', String(charts));
})();
`;

const CHARTS = {
  p95: { label: 'p95 (ms)', colour: '#bc4c00' },
  p99: { label: 'p99 (ms)', colour: '#8250df' },
  errorRate: { label: 'error rate (%)', colour: '#cf222e' },
  rps: { label: 'throughput (req/s)', colour: '#1a7f37' },
} as const;

export function historyHtml(v: HistoryView, assets: ChartAssets): string {
  const a = v.analysis;
  const status = a.status === 'regressed' ? 'fail' : 'pass';
  const data = {
    nights: v.records.map((_, i) => i + 1),
    charts: HISTORY_METRICS.map((m) => ({
      metric: m,
      ...CHARTS[m],
      values: a.metrics[m].map((x) => (x === null ? null : m === 'errorRate' ? x * 100 : x)),
    })),
    changes: a.changes.map((c) => ({ metric: c.metric, index: c.index, kind: c.kind, label: `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)}${c.metric === 'errorRate' ? ' pts' : '%'} from #${c.index + 1}` })),
  };
  const rows = v.records
    .map((r, i) => `<tr><td class="n">${i + 1}</td><td>${esc(r.startedAt)}</td><td><code>${esc(r.runId)}</code></td><td>${esc(r.status)}</td><td class="n">${formatValue(r.p95, 'ms')}</td><td class="n">${formatValue(r.p99, 'ms')}</td><td class="n">${formatValue(r.errorRate, 'ratio')}</td><td class="n">${formatValue(r.rps, 'req/s')}</td><td>${esc((r.driftFailed ?? []).join(', '))}</td></tr>`)
    .reverse()
    .join('');
  return `${pageHead(`loadctl history · ${v.scenario} → ${v.profile}`, assets)}
<body>
<header class="banner ${status}"><div class="word">${status === 'fail' ? 'REGRESSED' : 'OK'}</div><div><h1>${esc(v.scenario)} → ${esc(v.profile)}: ${a.nights} nights</h1><p>${esc(verdictLine(v))}</p></div></header>
<main>
<section class="charts">${HISTORY_METRICS.map((m) => `<div class="card"><h2>${esc(CHARTS[m].label)}</h2><div class="plot" id="chart-${m}"></div></div>`).join('')}</section>
<section class="card"><h2>Nights (newest first)</h2><table><thead><tr><th class="n">#</th><th>started</th><th>run</th><th>status</th><th class="n">p95</th><th class="n">p99</th><th class="n">errors</th><th class="n">throughput</th><th>drift</th></tr></thead><tbody>${rows}</tbody></table></section>
</main>
<script type="application/json" id="loadctl-history">${jsonForScript(data)}</script>
<script>${rawText(assets.chartJs, 'script')}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
