// The in-page script of report.html: reads the JSON data island and draws four uPlot charts with
// the scenario's phases as shaded bands, SLA limits as dashed lines and the baseline pool's spread
// (p50/p95 latency, throughput) as coloured bands.
// Plain ES5-ish JavaScript kept as text, because it runs in the browser, not in Node.

export const CHART_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('loadctl-data').textContent);
  var charts = [];
  window.loadctlCharts = charts;
  var HEIGHT = 240;
  var px = function (n) { return n * (window.uPlot.pxRatio || 1); };
  var lastT = data.t.length ? data.t[data.t.length - 1] : 0;
  var xMax = data.phases.reduce(function (m, p) { return Math.max(m, p.end); }, lastT);

  function fmt(v, unit) {
    if (v == null) return '–';
    if (unit === 'ms') return (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)) + ' ms';
    if (unit === '%') return (v < 1 ? v.toFixed(2) : v.toFixed(1)) + '%';
    if (unit === 'req/s') return v.toFixed(1) + ' req/s';
    return String(Math.round(v));
  }

  function dashed(ctx, x0, y0, x1, y1, colour) {
    ctx.strokeStyle = colour; ctx.lineWidth = px(1); ctx.setLineDash([px(4), px(4)]);
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke(); ctx.setLineDash([]);
  }

  // Under the series: phase bands, phase boundaries, the baseline band.
  function under(extra) { return function (u) {
    var ctx = u.ctx, b = u.bbox, right = b.left + b.width;
    ctx.save();
    data.phases.forEach(function (p, i) {
      var x0 = Math.max(b.left, u.valToPos(p.start, 'x', true));
      var x1 = Math.min(right, u.valToPos(p.end, 'x', true));
      if (x1 <= x0) return;
      if (i % 2 === 0) { ctx.fillStyle = 'rgba(84,101,128,0.08)'; ctx.fillRect(x0, b.top, x1 - x0, b.height); }
      if (i > 0) dashed(ctx, x0, b.top, x0, b.top + b.height, 'rgba(84,101,128,0.45)');
    });
    // Fault windows: red bands over the whole height, so cause and effect line up on every chart.
    u.loadctlFaults = [];
    (data.faults || []).forEach(function (f) {
      var x0 = Math.max(b.left, u.valToPos(f.start, 'x', true));
      var x1 = Math.min(right, u.valToPos(f.end, 'x', true));
      if (x1 > x0) { ctx.fillStyle = 'rgba(207,34,46,0.12)'; ctx.fillRect(x0, b.top, x1 - x0, b.height); }
      u.loadctlFaults.push({ label: f.label, left: x0, right: x1, top: b.top, bottom: b.top + b.height });
    });
    // Baseline bands: the pool's [min, max] of a metric, shaded in its series' colour, with thin edges.
    var drawn = [];
    (extra.bands || []).forEach(function (band) {
      var yHi = u.valToPos(band.hi, 'y', true), yLo = u.valToPos(band.lo, 'y', true);
      var h = Math.max(px(2), yLo - yHi);
      ctx.globalAlpha = 0.16; ctx.fillStyle = band.colour; ctx.fillRect(b.left, yHi, b.width, h);
      ctx.globalAlpha = 0.6; ctx.strokeStyle = band.colour; ctx.lineWidth = px(1);
      ctx.beginPath(); ctx.moveTo(b.left, yHi); ctx.lineTo(right, yHi); ctx.moveTo(b.left, yHi + h); ctx.lineTo(right, yHi + h); ctx.stroke();
      ctx.globalAlpha = 1;
      drawn.push({ label: band.label, top: yHi, bottom: yHi + h, left: b.left, right: right, colour: band.colour });
    });
    u.loadctlBands = drawn;
    ctx.restore();
  }; }

  // Over the series: phase names, limit lines and their labels.
  function over(extra) { return function (u) {
    var ctx = u.ctx, b = u.bbox, right = b.left + b.width;
    ctx.save();
    ctx.font = px(11) + 'px system-ui, -apple-system, sans-serif';
    ctx.textBaseline = 'top';
    data.phases.forEach(function (p) {
      var x0 = Math.max(b.left, u.valToPos(p.start, 'x', true));
      var x1 = Math.min(right, u.valToPos(p.end, 'x', true));
      if (x1 - x0 > ctx.measureText(p.name).width + px(8)) {
        ctx.fillStyle = '#59636e'; ctx.fillText(p.name, x0 + px(4), b.top + px(3));
      }
    });
    (data.faults || []).forEach(function (f) {
      var x0 = Math.max(b.left, u.valToPos(f.start, 'x', true));
      var x1 = Math.min(right, u.valToPos(f.end, 'x', true));
      if (x1 - x0 > ctx.measureText(f.label).width + px(8)) {
        ctx.fillStyle = '#a40e26'; ctx.textBaseline = 'bottom'; ctx.fillText(f.label, x0 + px(4), b.top + b.height - px(3)); ctx.textBaseline = 'top';
      }
    });
    ctx.textAlign = 'right'; ctx.textBaseline = 'bottom';
    // Labels sit just above their line, below the phase names (a limit above the chart: at its top,
    // with an arrow); one that would overlap a label already drawn moves down a line.
    var used = [];
    function free(y) {
      while (used.some(function (v) { return Math.abs(v - y) < px(13); })) y += px(14);
      used.push(y);
      return y;
    }
    function label(text, y) { // on a light backing, so a series under it cannot hide it
      var w = ctx.measureText(text).width;
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(right - px(7) - w, y - px(13), w + px(6), px(13));
      ctx.fillStyle = '#cf222e';
      ctx.fillText(text, right - px(4), y - px(1));
    }
    (extra.limits || []).slice().sort(function (a, c) { return c.value - a.value; }).forEach(function (l) {
      var y = u.valToPos(l.value, 'y', true);
      if (y < b.top) { label(l.label + ' (above) \u2191', free(b.top + px(30))); return; }
      dashed(ctx, b.left, y, right, y, '#cf222e');
      label(l.label, free(Math.max(y - px(2), b.top + px(30))));
    });
    // Fitted drift lines: dotted, red when their drift check failed.
    (extra.trends || []).forEach(function (l) {
      ctx.strokeStyle = l.failed ? '#cf222e' : '#59636e'; ctx.lineWidth = px(2); ctx.setLineDash([px(2), px(3)]);
      ctx.beginPath(); ctx.moveTo(u.valToPos(l.x0, 'x', true), u.valToPos(l.y0, 'y', true)); ctx.lineTo(u.valToPos(l.x1, 'x', true), u.valToPos(l.y1, 'y', true)); ctx.stroke(); ctx.setLineDash([]);
    });
    ctx.textAlign = 'left';
    (extra.bands || []).forEach(function (band) {
      // Above the band's top edge, or just inside it when that would clash with the phase names.
      var y = u.valToPos(band.hi, 'y', true) - px(2);
      ctx.fillStyle = band.colour;
      if (y - px(12) < b.top + px(16)) { ctx.textBaseline = 'top'; y = Math.max(y + px(4), b.top + px(17)); }
      ctx.fillText(band.label, b.left + px(4), y);
      ctx.textBaseline = 'bottom';
    });
    ctx.restore();
  }; }

  // A limit far above the data would flatten it against the floor: such a limit stays off the
  // chart and is named at its top edge instead.
  function yTop(max, extra) {
    var hi = max;
    (extra.limits || []).forEach(function (l) { if (l.value <= Math.max(max, 0) * 2 || max <= 0) hi = Math.max(hi, l.value); });
    (extra.bands || []).forEach(function (band) { hi = Math.max(hi, band.hi); });
    return hi;
  }

  // extra.x: other x values than the run's time buckets (probe samples; offered rates with
  // extra.xUnit, which also leaves the phase bands off: they are times).
  function chart(id, unit, series, extra) {
    var el = document.getElementById('chart-' + id);
    var xs = extra.x || data.t;
    if (!xs.length) { el.innerHTML = '<p class="empty">No samples were recorded.</p>'; return; }
    var xUnit = extra.xUnit || ' s';
    var xHi = extra.xUnit ? xs[xs.length - 1] * 1.05 : Math.max(xMax, xs[xs.length - 1]);
    var opts = {
      width: el.clientWidth || 600,
      height: HEIGHT,
      scales: {
        x: { time: false, range: function () { return [0, xHi || 1]; } },
        y: { range: function (u, min, max) { var hi = yTop(max || 0, extra); return [0, hi > 0 ? hi * 1.1 : 1]; } },
      },
      axes: [
        { stroke: '#59636e', grid: { stroke: '#eaeef2' }, ticks: { stroke: '#d1d9e0' }, values: function (u, vs) { return vs.map(function (v) { return v + xUnit; }); } },
        { stroke: '#59636e', grid: { stroke: '#eaeef2' }, ticks: { stroke: '#d1d9e0' }, size: 56 },
      ],
      series: [{ label: extra.xLabel || 'time', value: function (u, v) { return v == null ? '–' : v.toFixed(1) + xUnit; } }].concat(series.map(function (s) {
        var out = { label: s.label, stroke: s.colour, width: 2, points: { show: !!s.points }, value: function (u, v) { return fmt(v, unit); } };
        if (s.dash) out.dash = s.dash;
        if (s.fill) out.fill = s.fill;
        if (s.stepped && window.uPlot.paths && window.uPlot.paths.stepped) out.paths = window.uPlot.paths.stepped({ align: 1 });
        return out;
      })),
      hooks: extra.xUnit ? { draw: [over({ limits: extra.limits })] } : { drawClear: [under(extra)], draw: [over(extra)] },
    };
    var u = new window.uPlot(opts, [xs].concat(series.map(function (s) { return s.values; })), el);
    u.loadctl = { el: el };
    charts.push(u);
  }

  // The baseline pool's spread of an overall metric, as a band; none when the run has no baseline.
  var base = data.baseline || {};
  var pool = base.runs ? ' (' + base.runs + ' runs)' : '';
  function band(key, label, colour) {
    var r = base[key];
    return r ? [{ lo: r[0], hi: r[1], label: 'baseline ' + label + pool, colour: colour }] : [];
  }

  chart('latency', 'ms', [
    { label: 'p50', colour: '#0969da', values: data.p50 },
    { label: 'p95', colour: '#bc4c00', values: data.p95 },
    { label: 'p99', colour: '#8250df', values: data.p99 },
  ], { limits: data.limits.latency, bands: band('p50', 'p50', '#0969da').concat(band('p95', 'p95', '#bc4c00')), trends: data.trends.latency });
  chart('rps', 'req/s', [{ label: 'req/s', colour: '#1a7f37', fill: 'rgba(26,127,55,0.12)', values: data.rps }], { limits: data.limits.rps, bands: band('rps', 'req/s', '#8250df'), trends: data.trends.rps });
  chart('errors', '%', [{ label: 'errors', colour: '#cf222e', fill: 'rgba(207,34,46,0.12)', values: data.errorPct }], { limits: data.limits.errorPct, trends: data.trends.errorPct });
  chart('vus', 'n', [{ label: 'VUs', colour: '#0969da', fill: 'rgba(9,105,218,0.10)', stepped: true, values: data.vus }], {});
  // A capacity run: successful req/s per step against the rate offered (the dashed diagonal).
  if (data.capacity) {
    var c = data.capacity;
    chart('capacity', 'req/s', [
      { label: 'all served', colour: '#8c959f', dash: [px(4), px(4)], values: c.offered },
      { label: 'achieved', colour: '#1a7f37', points: true, values: c.achieved },
    ], { x: c.offered, xUnit: '/s', xLabel: 'offered', limits: c.capacity == null ? [] : [{ label: 'capacity ' + c.capacity + '/s', value: c.capacity }] });
  }
  // Probes: one chart each on the run's time axis; a gap (a failed sample) breaks the line.
  (data.probes || []).forEach(function (p, i) {
    chart('probe-' + i, 'n', [{ label: p.name, colour: '#8250df', stepped: true, points: true, values: p.values }], { x: p.t });
  });

  // Custom k6 metrics: one chart each on the run's time axis.
  (data.k6Metrics || []).forEach(function (m, i) {
    chart('k6-' + i, m.unit, [{ label: m.name, colour: '#bc4c00', values: m.values }], {});
  });

  var pending;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (u) { u.setSize({ width: u.loadctl.el.clientWidth, height: HEIGHT }); });
    }, 100);
  });
  document.body.setAttribute('data-charts', String(charts.length));
})();
`;
