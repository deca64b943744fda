// report.html of a run with faults, in headless Chromium with the network off: the fault window is
// shaded on every chart, the fault table is there, and the page logs no error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRecord } from '../src/chaos/types.js';
import { chaosVerdict } from '../src/judge/analyses/chaos-checks.js';
import { loadChartAssets } from '../src/pipeline/chart-assets.js';
import { renderHtml } from '../src/report/html.js';
import type { RunResult } from '../src/results/types.js';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loadctl-chaos-report-'));
let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.LOADCTL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A real run's result (test/fixtures/result-spike.json) with a fault over its middle third. */
function resultWithFault(): RunResult {
  const r = JSON.parse(readFileSync(join(root, 'test/fixtures/result-spike.json'), 'utf8')) as RunResult;
  const end = r.series.at(-1)!.tMs + r.bucketMs;
  const origin = Date.parse(r.startedAt);
  const f: FaultRecord = { id: 'f1-latency', kind: 'latency', params: { latencyMs: 1000 }, provider: 'toxiproxy', plannedStartMs: end / 3, plannedEndMs: (2 * end) / 3, injectedAt: origin + Math.round(end / 3), revertedAt: origin + Math.round((2 * end) / 3), status: 'reverted' };
  const { faults, checks } = chaosVerdict({ series: r.series, originMs: origin, bucketMs: r.bucketMs, faults: [f], sla: {} });
  return { ...r, faults, checks: [...r.checks, ...checks] };
}

describe('report.html with faults (Chromium)', () => {
  it('shades the fault window on every chart and lists the fault', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(resultWithFault(), loadChartAssets()));
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts]');
    const charts = await page.evaluate(() => {
      type Fault = { label: string; left: number; right: number; top: number; bottom: number };
      const plots = (window as unknown as { loadctlCharts: { ctx: CanvasRenderingContext2D; loadctlFaults?: Fault[] }[] }).loadctlCharts;
      return plots.map((u) => {
        const [f] = u.loadctlFaults ?? [];
        if (!f) return { faults: 0, reddish: 0, reddishOutside: 0 };
        // Share of sampled pixels that lean red, inside the window and just left of it.
        const share = (x0: number, x1: number) => {
          const d = u.ctx.getImageData(Math.round(x0), Math.round(f.top), Math.max(1, Math.round(x1 - x0)), Math.round(f.bottom - f.top)).data;
          let red = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i]! - Math.max(d[i + 1]!, d[i + 2]!) > 12) red++;
          return red / (d.length / 4);
        };
        const w = f.right - f.left;
        return { faults: u.loadctlFaults!.length, reddish: share(f.left + w * 0.25, f.left + w * 0.75), reddishOutside: share(Math.max(0, f.left - w * 0.3), f.left - w * 0.05) };
      });
    });
    const tableRows = await page.$$eval('section.card h2', (hs) => hs.map((h) => h.textContent));
    await context.close();
    expect(errors).toEqual([]);
    expect(charts).toHaveLength(4);
    for (const c of charts) {
      expect(c.faults).toBe(1);
      // A filled series (VUs) covers part of the band: tinted is judged against just outside it.
      expect(c.reddish).toBeGreaterThan(0.2);
      expect(c.reddish).toBeGreaterThan(4 * c.reddishOutside);
    }
    expect(tableRows).toContain('Faults');
  });
});
