// Every k6 metric, judged by loadctl (real k6): a plain script's custom Trend, Rate, Counter and
// Gauge and its checks reach result.json, the console and report.html, and an SLA on the custom
// Trend's p95 fails the run when breached.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempProject } from './helpers/cli.js';

const profile = (metrics: string) => `
demo: { delayMs: 2, jitterMs: 2 }
workload:
  requests: [{ name: health, path: /health }]
sla:
  p95: 1000
  metrics:
${metrics}
`;

describe('custom metrics through a real run', () => {
  it('are recorded, shown and judged; a breached p95 on a custom Trend fails the run', async () => {
    const dir = tempProject({
      'profiles/metrics.yaml': profile(`    tunnel_setup: { p95: 200, avg: "< 200" }
    checks: { rate: 0.99 }
    business_errors: { rate: 0.2 }
    jobs_created: { count: "> 10" }
    "http_req_duration{group:::wizard}": { "p(95)": 1000 }`),
    });
    const out = join(dir, 'out');
    const r = await runCli(['run', join(repoRoot, 'test', 'fixtures', 'custom-metrics.js'), '-t', 'metrics', '--out', out, '--baseline', 'none'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);

    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    const k6 = result.metrics.k6;
    const series = (metric: string) => k6.series.filter((s: { metric: string }) => s.metric === metric);
    expect(series('tunnel_setup')[0]).toMatchObject({ type: 'trend', contains: 'time' });
    expect(series('business_errors')[0]).toMatchObject({ type: 'rate' });
    expect(series('jobs_created')[0]).toMatchObject({ type: 'counter' });
    expect(series('queue_depth')[0]).toMatchObject({ type: 'gauge' });
    expect(series('checks')[0].tags).toMatchObject({ check: 'status is 200', group: '::wizard' });
    const iterations = result.metrics.iterations;
    expect(iterations).toBeGreaterThan(20);
    expect(series('jobs_created').reduce((n: number, s: { sum: number }) => n + s.sum, 0)).toBe(2 * iterations);

    const check = (name: string) => result.checks.find((c: { name: string }) => c.name === name);
    expect(check('p95 of tunnel_setup')).toMatchObject({ status: 'fail', unit: 'ms' });
    expect(check('p95 of tunnel_setup').measured).toBeGreaterThan(250);
    expect(check('avg of tunnel_setup').status).toBe('pass'); // (3 × 40 + 300) / 4 = 105 ms
    expect(check('rate of checks')).toMatchObject({ status: 'pass', measured: 1, limit: '>= 99.0%' });
    expect(check('rate of business_errors')).toMatchObject({ status: 'pass' });
    expect(check('count of jobs_created')).toMatchObject({ status: 'pass', measured: 2 * iterations });
    expect(check('p(95) of http_req_duration{group:::wizard}')).toMatchObject({ status: 'pass' });
    expect(result.status).toBe('fail');

    expect(r.stdout).toMatch(/tunnel_setup\s+trend\s+avg/);
    expect(r.stdout).toMatch(/✗ FAIL\s+p95 of tunnel_setup\s+<= 200 ms/);
    expect(r.stdout).toMatch(/checks\{check:status is 200\}\s+rate\s+100\.0%/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Other k6 metrics');
    expect(html).toContain('<code>business_errors</code>');
    // One chart per custom metric over time (from the per-bucket values).
    for (let i = 0; i < 4; i++) expect(html).toContain(`id="chart-k6-${i}"`);
    expect(html).toContain('tunnel_setup (p95, ms)');
    // The per-bucket values chart-ready in the series.
    expect(result.series.some((p: { metrics?: Record<string, number> }) => (p.metrics?.tunnel_setup ?? 0) > 0)).toBe(true);
  }, 150_000);

  it('refuses an unknown aggregation or a malformed selector before running, naming the field', async () => {
    const dir = tempProject({
      'profiles/bad-agg.yaml': profile('    tunnel_setup: { p96x: 200 }'),
      'profiles/bad-sel.yaml': profile('    "http_req_duration{group": { p95: 200 }'),
      'profiles/bad-type.yaml': profile('    http_reqs: { p95: 200 }'),
      'profiles/bad-cmp.yaml': profile('    checks: { rate: "about 0.9" }'),
    });
    const script = join(repoRoot, 'test', 'fixtures', 'custom-metrics.js');
    const cases: Array<[string, RegExp]> = [
      ['bad-agg', /\/sla\/metrics\/tunnel_setup\/p96x: "p96x" is not an aggregation k6 knows[\s\S]*avg, min, max, med, p\(N\)/],
      ['bad-sel', /\/sla\/metrics\/http_req_duration\{group: "http_req_duration\{group" has unbalanced braces/],
      ['bad-type', /\/sla\/metrics\/http_reqs\/p95: http_reqs is a counter: it has no p95[\s\S]*count, rate/],
      ['bad-cmp', /\/sla\/metrics\/checks\/rate: "about 0.9" is not a limit/],
    ];
    for (const [name, message] of cases) {
      const r = await runCli(['run', script, '-t', name, '--baseline', 'none'], { cwd: dir });
      expect(r.exitCode, name + r.stdout + r.stderr).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr, name).toContain(`profiles/${name}.yaml`);
    }
  }, 60_000);
});
