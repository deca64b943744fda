// A run sent to a real Prometheus (scripts/install-prometheus.sh, pinned v0.316.0, remote-write
// receiver on loopback) through k6's experimental-prometheus-rw output: the run's request count
// there is the number loadctl reports, and the Grafana dashboard in examples/ queries only series
// k6 really writes. Real k6, real demo target, ~8 s of load. `npm run build` first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempProject } from './helpers/cli.js';
import { startPrometheus, type LocalPrometheus } from './helpers/prometheus.js';

let prom: LocalPrometheus;
beforeAll(async () => {
  prom = await startPrometheus();
}, 90_000);
afterAll(async () => {
  await prom?.stop();
});

/** What the run left behind in Prometheus, read once by the first test and used by the second. */
let written: { runId: string; names: string[] } | undefined;

const profile = (writeUrl: string) => `demo: {}
workload:
  thinkTimeMs: 10
  requests:
    - { name: home, path: / }
    - { name: item, path: /items/1 }
outputs:
  - type: experimental-prometheus-rw
    url: ${writeUrl}
    trendStats: ["p(95)", "p(99)", "avg"]
    pushInterval: 1s
`;

describe('Prometheus remote write (real Prometheus, real k6)', () => {
  it("has the run's request count under its testid, equal to result.json's", async () => {
    const dir = tempProject({ 'profiles/prom.yaml': profile(prom.writeUrl) });
    const r = await runCli(['run', 'sustained', '-t', 'prom', '--vus', '3', '-d', '8s', '--quiet', '--report', 'json'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const resultFile = /results: (\S+)/.exec(r.stdout)?.[1];
    expect(resultFile, r.stdout).toBeDefined();
    const result = JSON.parse(readFileSync(join(resultFile!, 'result.json'), 'utf8')) as { runId: string; metrics: { http: { requests: number } } };
    expect(result.metrics.http.requests).toBeGreaterThan(100);

    // k6 pushes every second and flushes the rest when it stops, before loadctl's run ends; the
    // receiver appends synchronously, so the count is already complete here.
    const sel = `testid="${result.runId}"`;
    const total = await prom.query(`sum(k6_http_reqs_total{${sel}})`);
    expect(total).toHaveLength(1);
    expect(Number(total[0]!.value[1])).toBe(result.metrics.http.requests);

    // One run, labelled so a dashboard can split it: per request name, and nothing under another id.
    const byName = await prom.query(`sum by (name) (k6_http_reqs_total{${sel}})`);
    expect(byName.map((s) => s.metric.name).sort()).toEqual(['home', 'item']);
    expect(await prom.query(`k6_http_reqs_total{testid!="${result.runId}"}`)).toEqual([]);
    // Trend stats as asked for, in seconds.
    const p95 = await prom.query(`max(k6_http_req_duration_p95{${sel}})`);
    expect(Number(p95[0]!.value[1])).toBeGreaterThan(0);
    expect(Number(p95[0]!.value[1])).toBeLessThan(5);

    written = { runId: result.runId, names: await prom.metricNames(`{${sel}}`) };
  }, 180_000);

  it('the Grafana dashboard is valid JSON, picks the run by testid and queries only series k6 wrote', () => {
    expect(written, 'needs the run of the test above').toBeDefined();
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'examples', 'grafana', 'loadctl-k6.json'), 'utf8')) as {
      templating: { list: { name: string; definition?: string }[] };
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const vars = dashboard.templating.list;
    const testid = vars.find((v) => v.name === 'testid');
    expect(testid?.definition).toMatch(/^label_values\((k6_\w+), testid\)$/);
    const exprs = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...vars.flatMap((v) => (v.definition ? [v.definition] : [])),
    ];
    const used = [...new Set(exprs.flatMap((e) => [...e.matchAll(/\bk6_[a-z0-9_]+/g)].map((m) => m[0])))];
    // `k6_.+` in the metric variable is a pattern, not a name.
    const names = used.filter((n) => n !== 'k6_');
    expect(names.length).toBeGreaterThanOrEqual(8);
    const missing = names.filter((n) => !written!.names.includes(n));
    expect(missing, `queried but not written by k6 (written: ${written!.names.join(', ')})`).toEqual([]);
    // Every panel that queries a run filters on it.
    for (const p of dashboard.panels) for (const t of p.targets) expect(t.expr, p.title).toContain('testid=~"$testid"');
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
    for (const word of ['request rate', 'p95', 'error', 'virtual users', 'checks', 'custom metric']) expect(titles).toContain(word);
  });
});
