// Acceptance: loadctl's aggregate agrees with k6's own end-of-test summary of the same run. Real
// stock k6 (.tools/bin/k6) runs a small script against the demo target (built: `npx tsc -p
// tsconfig.json` first) with two outputs at once — `--out json=<file>` (what loadctl reads) and
// `--out csv=<file>` (unix_milli, LOADCTL_SAMPLE_FORMAT=csv) — and a handleSummary that writes k6's
// summary data. Each stream goes through consumeSamples + Aggregator; both must agree with k6, and
// with each other on every count.
// Percentiles (p50/p90/p95/p99, overall and per name) must agree within 1 % relative; request and
// failure counts exactly. The target adds 5 ms + 0..10 ms so latencies are realistic (sub-ms ones
// make a relative error meaningless).
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregator } from '../src/results/aggregator.js';
import type { AggregateResult } from '../src/results/series-types.js';
import { consumeSamples } from '../src/k6/stream.js';
import type { LatencySummary, SampleCounts } from '../src/results/types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const k6Bin = join(root, '.tools', 'bin', 'k6');
const demoMain = join(root, 'dist', 'demo', 'main.js');
const NAMES = ['read', 'create', 'missing'] as const;

// GET /items/42 → 200, POST /items → 201 (expected), GET /items/x → 404 (failed, still delayed);
// the target also answers 8 % of all requests 500, so every name has failures.
const SCRIPT = `import http from 'k6/http';
import { check, sleep } from 'k6';

const BASE = __ENV.BASE_URL;
const names = ${JSON.stringify(NAMES)};
const thresholds = {};
for (const n of names) {
  // Always true: they only make k6 compute per-name submetrics for the summary.
  thresholds['http_req_duration{name:' + n + '}'] = ['max>=0'];
  thresholds['http_reqs{name:' + n + '}'] = ['count>=0'];
  thresholds['http_req_failed{name:' + n + '}'] = ['rate>=0'];
}

export const options = {
  vus: 3,
  duration: '5s',
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  thresholds,
};

export default function () {
  const r = http.get(BASE + '/items/42', { tags: { name: 'read' } });
  check(r, { 'read is 200': (x) => x.status === 200 });
  http.post(BASE + '/items', JSON.stringify({ name: 'w', price: 1 }), {
    headers: { 'Content-Type': 'application/json' },
    tags: { name: 'create' },
    responseCallback: http.expectedStatuses(201),
  });
  if (Math.random() < 0.3) http.get(BASE + '/items/x', { tags: { name: 'missing' } });
  sleep(0.005);
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY_FILE]: JSON.stringify(data) };
}
`;

type Values = Record<string, number>;
interface Summary {
  metrics: Record<string, { values: Values }>;
}

let dir = '';
let demo: ResultPromise | undefined;
let summary: Summary;
const FORMATS = ['json', 'csv'] as const;
type Format = (typeof FORMATS)[number];
const aggs = {} as Record<Format, AggregateResult>;
const countsOf = {} as Record<Format, SampleCounts>;

beforeAll(async () => {
  if (!existsSync(k6Bin)) throw new Error(`${k6Bin} is missing (scripts/install-k6.sh)`);
  if (!existsSync(demoMain)) throw new Error(`${demoMain} is missing: run npx tsc -p tsconfig.json first`);
  dir = mkdtempSync(join(tmpdir(), 'loadctl-agreement-'));
  const script = join(dir, 'script.js');
  const csv = join(dir, 'samples.csv');
  const json = join(dir, 'samples.json');
  const summaryFile = join(dir, 'summary.json');
  writeFileSync(script, SCRIPT);

  demo = execa(process.execPath, [demoMain, '--port', '0', '--delay-ms', '5', '--jitter-ms', '10', '--error-rate', '0.08'], {
    stdin: 'ignore',
    stderr: 'inherit',
    buffer: false,
    reject: false,
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    demo!.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(String(d)) as { url: string }).url));
    void demo!.then(() => reject(new Error('demo target exited before it listened')));
  });
  expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  const run = await execa(k6Bin, ['run', '--quiet', '--no-color', '--no-usage-report', '--out', `csv=${csv}`, '--out', `json=${json}`, script], {
    cwd: dir,
    env: { BASE_URL: baseUrl, SUMMARY_FILE: summaryFile, K6_CSV_TIME_FORMAT: 'unix_milli', K6_NO_USAGE_REPORT: 'true' },
    reject: false,
    timeout: 60_000,
  });
  if (run.exitCode !== 0) throw new Error(`k6 exited ${run.exitCode}:\n${run.stderr}`);
  summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;

  for (const [format, file] of [['json', json], ['csv', csv]] as const) {
    const aggregator = new Aggregator({ bucketMs: 1000 });
    countsOf[format] = { parsed: 0, malformed: 0 };
    await consumeSamples(createReadStream(file), format, aggregator, countsOf[format]);
    aggs[format] = aggregator.finish();
  }
}, 90_000);

afterAll(async () => {
  if (demo) {
    demo.kill('SIGTERM'); // a no-op if it already exited
    await demo;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const k6 = (metric: string): Values => {
  const m = summary.metrics[metric];
  if (!m) throw new Error(`k6's summary has no ${metric} (has: ${Object.keys(summary.metrics).join(', ')})`);
  return m.values;
};

function expectWithin1Pct(ours: number, theirs: number, what: string): void {
  const rel = Math.abs(ours - theirs) / Math.abs(theirs);
  expect(rel, `${what}: loadctl ${ours} ms vs k6 ${theirs} ms`).toBeLessThanOrEqual(0.01);
}

function expectPercentilesAgree(ours: LatencySummary, theirs: Values, label: string): void {
  // The latencies must be realistic, or a relative comparison says little.
  expect(theirs.med!, `${label} median`).toBeGreaterThan(4);
  expectWithin1Pct(ours.p50, theirs.med!, `${label} p50`);
  expectWithin1Pct(ours.p90, theirs['p(90)']!, `${label} p90`);
  expectWithin1Pct(ours.p95, theirs['p(95)']!, `${label} p95`);
  expectWithin1Pct(ours.p99, theirs['p(99)']!, `${label} p99`);
  // Min/max/mean come from exact counters; the csv prints values with 6 decimals.
  expect(Math.abs(ours.min - theirs.min!)).toBeLessThan(1e-5);
  expect(Math.abs(ours.max - theirs.max!)).toBeLessThan(1e-5);
  expect(Math.abs(ours.mean - theirs.avg!)).toBeLessThan(1e-5);
}

describe.each(FORMATS)('loadctl aggregate (%s stream) vs k6 summary (same real k6 run)', (format) => {
  let agg: AggregateResult;
  beforeAll(() => {
    agg = aggs[format];
  });

  it('reads every sample', () => {
    expect(countsOf[format].malformed).toBe(0);
    expect(countsOf[format].parsed).toBeGreaterThan(1000);
    expect(agg.lateSamples).toBe(0);
    expect(agg.ignoredSamples).toBe(0);
  });

  it('counts requests, failures and iterations exactly', () => {
    const http = agg.metrics.http;
    expect(http.requests).toBe(k6('http_reqs').count);
    expect(http.failed).toBe(k6('http_req_failed').passes); // a Rate's passes = failed requests
    expect(http.failed).toBeGreaterThan(0);
    expect(http.failed).toBeLessThan(http.requests);
    expect(agg.metrics.iterations).toBe(k6('iterations').count);
    expect(k6('http_req_duration').count).toBe(http.requests);
  });

  it('agrees on overall p50/p90/p95/p99 within 1 %', () => {
    expectPercentilesAgree(agg.metrics.http.latencyMs, k6('http_req_duration'), 'overall');
  });

  it.each(NAMES)('agrees per name (%s): counts exactly, percentiles within 1 %', (name) => {
    const ours = agg.metrics.http.byName[name];
    expect(ours, `no byName entry for ${name}`).toBeDefined();
    expect(ours!.requests).toBe(k6(`http_reqs{name:${name}}`).count);
    expect(ours!.failed).toBe(k6(`http_req_failed{name:${name}}`).passes);
    expect(ours!.requests).toBe(k6(`http_req_duration{name:${name}}`).count);
    expectPercentilesAgree(ours!.latencyMs, k6(`http_req_duration{name:${name}}`), name);
  });

  it('agrees with k6 on every percentile of every request within 1 % (table printed for the record)', () => {
    const pairs = [['p50', 'med'], ['p90', 'p(90)'], ['p95', 'p(95)'], ['p99', 'p(99)']] as const;
    const worst = (ours: LatencySummary, theirs: Values) => Math.max(...pairs.map(([o, t]) => Math.abs(ours[o] - theirs[t]!) / theirs[t]!));
    const http = agg.metrics.http;
    const rows = [{ label: 'overall', requests: http.requests, diff: worst(http.latencyMs, k6('http_req_duration')) }];
    for (const n of NAMES) rows.push({ label: n, requests: http.byName[n]!.requests, diff: worst(http.byName[n]!.latencyMs, k6(`http_req_duration{name:${n}}`)) });
    console.table(rows.map((r) => ({ ...r, diff: `${(r.diff * 100).toFixed(4)} %` })));
    for (const r of rows) expect(r.diff, r.label).toBeLessThan(0.01);
  });

  it('names exactly the requests k6 made', () => {
    expect(Object.keys(agg.metrics.http.byName).sort()).toEqual([...NAMES].sort());
    const sum = NAMES.reduce((s, n) => s + agg.metrics.http.byName[n]!.requests, 0);
    expect(sum).toBe(agg.metrics.http.requests);
  });
});

describe('the json stream and the csv stream of the same run', () => {
  it('carry the same samples, requests, failures and names', () => {
    expect(countsOf.json.parsed).toBe(countsOf.csv.parsed);
    const a = aggs.json.metrics.http;
    const b = aggs.csv.metrics.http;
    expect(a.requests).toBe(b.requests);
    expect(a.failed).toBe(b.failed);
    for (const n of NAMES) expect([a.byName[n]!.requests, a.byName[n]!.failed]).toEqual([b.byName[n]!.requests, b.byName[n]!.failed]);
    expect(aggs.json.metrics.k6!.series.map((x) => [x.metric, x.count])).toEqual(aggs.csv.metrics.k6!.series.map((x) => [x.metric, x.count]));
    expect(aggs.json.metrics.k6!.series.length).toBeGreaterThan(15);
  });

  it('agree on every percentile to the histogram step (csv prints 6 decimals, json the full value)', () => {
    const pairs = ['p50', 'p90', 'p95', 'p99'] as const;
    for (const p of pairs) expect(Math.abs(aggs.json.metrics.http.latencyMs[p] - aggs.csv.metrics.http.latencyMs[p]) / aggs.csv.metrics.http.latencyMs[p]).toBeLessThanOrEqual(0.001);
  });
});
