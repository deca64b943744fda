// Opens report.html, rendered from a real run's result.json, in headless Chromium with the network
// off, and checks that every chart is drawn and the page logs no error. Needs Chromium:
//   apt-get install -y chromium        (or set LOADCTL_CHROMIUM to another Chromium binary)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChartAssets } from '../src/pipeline/chart-assets.js';
import { renderHtml } from '../src/report/html.js';
import { analyseCapacity } from '../src/capacity/analyse.js';
import type { RunResult } from '../src/results/types.js';

const root = new URL('..', import.meta.url).pathname;
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/result-spike.json'), 'utf8')) as RunResult;
// A real run judged against a pool of 3 baseline runs (see test/fixtures/README.md).
const withBase = JSON.parse(readFileSync(join(root, 'test/fixtures/result-sustained-baseline.json'), 'utf8')) as RunResult;
const executablePath = process.env.LOADCTL_CHROMIUM ?? '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'loadctl-report-'));
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it with \`apt-get update && apt-get install -y chromium\` (or set LOADCTL_CHROMIUM)`);
  }
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Band {
  label: string;
  top: number;
  bottom: number;
  tinted: number; // share of sampled pixels inside the band that carry its colour
}

interface PageReport {
  charts: { id: string; points: number; series: number; coloured: number; area: number; bands: Band[] }[];
  errors: string[];
  requests: string[];
}

async function open(html: string, screenshot?: string): Promise<PageReport> {
  const file = join(dir, `report-${Date.now()}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => r.url() !== url && requests.push(r.url()));
  await context.route('**', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-charts]');
  const charts = await page.evaluate(() => {
    type Drawn = { label: string; top: number; bottom: number; left: number; right: number; colour: string };
    type Plot = { root: HTMLElement; data: unknown[][]; ctx: CanvasRenderingContext2D; loadctlBands?: Drawn[] };
    const plots = (window as unknown as { loadctlCharts: Plot[] }).loadctlCharts;
    return plots.map((u) => {
      const { width, height } = u.ctx.canvas;
      const px = u.ctx.getImageData(0, 0, width, height).data;
      // Series are drawn in saturated colours; grid, bands and text are grey. Count the former.
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) {
        const [r, g, b, a] = [px[i]!, px[i + 1]!, px[i + 2]!, px[i + 3]!];
        if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
      }
      // A band is tinted towards its colour: sample a grid inside it and count the pixels that lean
      // to the band colour's dominant channel more than plain white or the grey phase shading does.
      const bands = (u.loadctlBands ?? []).map((b) => {
        const rgb = [1, 3, 5].map((i) => parseInt(b.colour.slice(i, i + 2), 16));
        const lead = rgb.indexOf(Math.max(...rgb));
        let hits = 0;
        let total = 0;
        for (let y = Math.ceil(b.top) + 2; y < b.bottom - 2; y += Math.max(1, Math.floor((b.bottom - b.top) / 8))) {
          for (let x = Math.ceil(b.left) + 2; x < b.right - 2; x += 17) {
            const i = (y * width + x) * 4;
            const c = [px[i]!, px[i + 1]!, px[i + 2]!];
            total++;
            if (c[lead]! - Math.min(...c) > 8) hits++;
          }
        }
        return { label: b.label, top: b.top, bottom: b.bottom, tinted: total ? hits / total : 0 };
      });
      return { id: u.root.parentElement!.id, points: u.data[0]!.length, series: u.data.length - 1, coloured, area: width * height, bands };
    });
  });
  if (screenshot) {
    mkdirSync(join(screenshot, '..'), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
  }
  await context.close();
  return { charts, errors, requests };
}

describe('report.html in a browser', () => {
  it('draws every chart from a real run, offline, without errors', async () => {
    const html = renderHtml(fixture, loadChartAssets(), { baseline: { p95: [12, 22] } });
    const shot = join(root, 'bench/out/report-screenshot.png');
    const page = await open(html, shot);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.map((c) => c.id)).toEqual(['chart-latency', 'chart-rps', 'chart-errors', 'chart-vus']);
    for (const c of page.charts) {
      expect(c.points, c.id).toBe(fixture.series.length);
      expect(c.coloured, `${c.id} has drawn series`).toBeGreaterThan(200);
    }
    expect(page.charts[0]!.series).toBe(3);
    expect(existsSync(shot)).toBe(true);
  });

  it('draws the baseline pool bands of a real run on the latency and throughput charts', async () => {
    const html = renderHtml(withBase, loadChartAssets());
    const shot = join(root, 'bench/out/report-baseline-screenshot.png');
    const page = await open(html, shot);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]);
    const [latency, rps, errors, vus] = page.charts;
    for (const c of page.charts) expect(c.coloured, `${c.id} has drawn series`).toBeGreaterThan(200);
    expect(latency!.bands.map((b) => b.label)).toEqual(['baseline p50 (3 runs)', 'baseline p95 (3 runs)']);
    expect(rps!.bands.map((b) => b.label)).toEqual(['baseline req/s (3 runs)']);
    expect([errors!.bands, vus!.bands]).toEqual([[], []]);
    for (const b of [...latency!.bands, ...rps!.bands]) {
      expect(b.bottom - b.top, `${b.label} has height`).toBeGreaterThan(4);
      expect(b.tinted, `${b.label} is shaded`).toBeGreaterThan(0.5);
    }
    // p95's band sits above p50's (y grows downwards).
    expect(latency!.bands[1]!.top).toBeLessThan(latency!.bands[0]!.top);
    expect(existsSync(shot)).toBe(true);
  });

  it('draws a capacity run: achieved vs offered per step, the step table, and a probe series with a gap', async () => {
    const rates = [100, 200, 300, 400, 500];
    const steps = rates.map((offered, i) => {
      const requests = offered * 8;
      const failed = Math.max(0, offered - 320) * 8; // a 320/s service
      return { name: `step-${i + 1}`, offered, startMs: i * 10_000, endMs: (i + 1) * 10_000, judgeFromMs: i * 10_000 + 2000, measure: { seconds: 8, requests, failed, dropped: 0, latency: { p50: 20, p90: 30, p95: 35 + i * 20, p99: 60 + i * 30 } } };
    });
    const analysis = analyseCapacity(steps, { sla: { errorRate: 0.01 } });
    const t0 = Date.parse(fixture.startedAt);
    const points = Array.from({ length: 20 }, (_, i) => (i === 7 ? { atMs: t0 + i * 1000, value: null, error: 'HTTP 503' } : { atMs: t0 + i * 1000, value: i < 12 ? 1 : 2 }));
    const run: RunResult = { ...fixture, capacity: analysis.capacity!, scaling: { analysis }, probes: [{ name: 'replicas', type: 'prometheus', intervalMs: 1000, points }] };
    const shot = join(root, 'bench/out/report-capacity-screenshot.png');
    const html = renderHtml(run, loadChartAssets());
    const page = await open(html, shot);
    expect(page.errors).toEqual([]);
    expect(page.charts.map((c) => c.id)).toEqual(['chart-latency', 'chart-rps', 'chart-errors', 'chart-vus', 'chart-capacity', 'chart-probe-0']);
    const [capacity, probe] = page.charts.slice(4);
    expect([capacity!.points, capacity!.series]).toEqual([5, 2]);
    expect([probe!.points, probe!.series]).toEqual([20, 1]);
    for (const c of [capacity!, probe!]) expect(c.coloured, `${c.id} has drawn series`).toBeGreaterThan(200);
    expect(html).toContain('Probe: replicas (prometheus, 1 gap)');
    expect(html).toMatch(/<section class="card" id="capacity"><h2>Capacity<\/h2><p>capacity 300 iterations\/s/);
    expect(html).toContain('SLA broken</span> errors 20.0% &gt; 1.0%');
  });

  it('would notice a page that reaches for the network', async () => {
    const leaky = renderHtml(fixture, loadChartAssets()).replace('</body>', '<img src="https://example.com/x.png"></body>');
    const page = await open(leaky.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    expect(page.requests).toEqual(['https://example.com/x.png']);
    expect(page.errors.join('\n')).toContain('request failed: https://example.com/x.png');
  });

  it('shows a clear message instead of charts when a run recorded nothing', async () => {
    const empty: RunResult = { ...fixture, status: 'error', reason: 'k6 exited with code 107', checks: [], series: [] };
    const page = await open(renderHtml(empty, loadChartAssets()));
    expect(page.errors).toEqual([]);
    expect(page.charts).toEqual([]);
  });
});
