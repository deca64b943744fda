// Drift checks in the reports: the fitted lines on report.html's charts, their rows in the
// console/Markdown/JUnit check tables, and never an SLA limit line of their own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeDrift } from '../src/judge/analyses/drift.js';
import { plain } from '../src/report/paint.js';
import { renderConsole } from '../src/report/console.js';
import { chartData } from '../src/report/html.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { RunResult } from '../src/results/types.js';
import { repoRoot } from './helpers/cli.js';

// A real run's result with its p95 made to leak: ×(1 + 2·t/T) over the run.
const real = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/result-spike.json'), 'utf8')) as RunResult;
const leaking: RunResult = {
  ...real,
  phases: [{ name: 'warm-up', startMs: 0, endMs: 0 }],
  series: Array.from({ length: 40 }, (_, i) => ({ ...real.series[i % real.series.length]!, tMs: i * 1000, p95: 20 * (1 + (2 * i) / 40) })),
};
const drift = judgeDrift(leaking, { metrics: ['p95', 'rps'] });
const withDrift: RunResult = { ...leaking, status: 'fail', checks: [...real.checks, ...drift] };

describe('drift in the reports', () => {
  it('puts each fitted line on its chart, in chart units, at bucket middles', () => {
    const data = chartData(withDrift);
    const p95 = drift.find((c) => c.metric === 'p95')!;
    expect(p95.status).toBe('fail');
    expect(data.trends.latency).toHaveLength(1);
    expect(data.trends.latency[0]).toMatchObject({ label: 'p95 trend', failed: true, y0: p95.drift!.from, y1: p95.drift!.to });
    expect(data.trends.latency[0]!.x0).toBeCloseTo((p95.drift!.startMs + real.bucketMs / 2) / 1000, 6);
    expect(data.trends.rps).toHaveLength(1);
    // The SLA limit lines are the profile's levels only, not the drift tolerances.
    expect(data.limits.latency.map((l) => l.value)).toEqual(chartData(real).limits.latency.map((l) => l.value));
  });

  it('lists drift checks with the SLA checks in console, Markdown and JUnit', () => {
    const text = renderConsole(withDrift, plain);
    expect(text).toMatch(/p95 latency drift \(overall\)\s+<= \+20\.0%\s+\d+\.\d%/);
    expect(renderMarkdown(withDrift)).toContain('p95 latency drift (overall)');
    expect(renderJunit(withDrift)).toMatch(/<testcase[^>]*name="p95 latency drift \(overall\)"[^>]*>\s*<failure/);
  });
});
