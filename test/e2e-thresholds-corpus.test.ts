// Acceptance (issue 12): a corpus of threshold expressions (test/fixtures/thresholds-corpus.js)
// gets the same pass/fail from loadctl as from k6. Real k6 runs it once judging the thresholds
// itself (handleSummary records each one's ok) with `--out json`; loadctl's judge must agree on
// those very samples, and a `loadctl run` of the script (k6 thresholds off, loadctl judging on its
// own aggregates) must agree run to run — the corpus keeps every expression far from its edge.
// An abortOnFail threshold stops a 20 s run early under both. Build first (dist/ for the demo).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/results/types.js';
import { judgeThresholds } from '../src/thresholds/evaluate.js';
import { AGGREGATIONS, parseThresholds, thresholdName } from '../src/thresholds/parse.js';
import { realK6, repoRoot, runCli, tempProject } from './helpers/cli.js';
import { metricsFromSamples, samplesFromNdjson } from './helpers/thresholds-metrics.js';

const corpus = join(repoRoot, 'test', 'fixtures', 'thresholds-corpus.js');
const abortScript = join(repoRoot, 'test', 'fixtures', 'thresholds-abort.js');
const demoMain = join(repoRoot, 'dist', 'demo', 'main.js');

interface Summary {
  metrics: Record<string, { thresholds?: Record<string, { ok: boolean }> }>;
  state: { testRunDurationMs: number };
}

let dir = '';
let demo: ResultPromise | undefined;
let baseUrl = '';

/** Runs bare k6 on a script with k6 judging its thresholds: exit code, summary, samples. */
async function k6Judges(script: string, tag: string): Promise<{ exitCode: number | undefined; summary: Summary; samples: string; wallMs: number }> {
  const summaryFile = join(dir, `${tag}-summary.json`);
  const samples = join(dir, `${tag}-samples.json`);
  const started = Date.now();
  const run = await execa(realK6, ['run', '--quiet', '--no-color', '--no-usage-report', '--out', `json=${samples}`, script], {
    cwd: dir,
    env: { BASE_URL: baseUrl, SUMMARY_FILE: summaryFile, K6_NO_USAGE_REPORT: 'true' },
    reject: false,
    timeout: 90_000,
  });
  if (!existsSync(summaryFile)) throw new Error(`k6 wrote no summary (exit ${run.exitCode}):\n${run.stderr}`);
  return { exitCode: run.exitCode, summary: JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary, samples: readFileSync(samples, 'utf8'), wallMs: Date.now() - started };
}

/** k6's verdict per threshold, named as k6 prints it (`key: expression`). */
function verdicts(s: Summary): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [key, m] of Object.entries(s.metrics)) for (const [expr, t] of Object.entries(m.thresholds ?? {})) out.set(`${key}: ${expr}`, t.ok);
  return out;
}

function corpusThresholds(s: Summary): Record<string, string[]> {
  const raw: Record<string, string[]> = {};
  for (const [key, m] of Object.entries(s.metrics)) if (m.thresholds) raw[key] = Object.keys(m.thresholds);
  return raw;
}

let judged: Awaited<ReturnType<typeof k6Judges>>;
let byK6: Map<string, boolean>;

beforeAll(async () => {
  if (!existsSync(demoMain)) throw new Error(`${demoMain} is missing: run npx tsc -p tsconfig.json first`);
  dir = mkdtempSync(join(tmpdir(), 'loadctl-thresholds-'));
  // The local profile's demo settings, so the loadctl run below meets the same target.
  demo = execa(process.execPath, [demoMain, '--port', '0', '--delay-ms', '5', '--jitter-ms', '5'], { stdin: 'ignore', stderr: 'inherit', buffer: false, reject: false });
  baseUrl = await new Promise<string>((resolve, reject) => {
    demo!.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(String(d)) as { url: string }).url));
    void demo!.then(() => reject(new Error('demo target exited before it listened')));
  });
  judged = await k6Judges(corpus, 'corpus');
  byK6 = verdicts(judged.summary);
}, 120_000);

afterAll(async () => {
  if (demo) {
    demo.kill('SIGTERM');
    await demo;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the threshold corpus', () => {
  it('is what the issue asks for, and k6 fails the run on it', () => {
    expect(judged.exitCode).toBe(99);
    const names = [...byK6.keys()];
    expect(names.length).toBeGreaterThanOrEqual(20);
    const metrics = new Set(names.map((n) => n.split(/[{:]/)[0]));
    expect(metrics.size).toBeGreaterThanOrEqual(6);
    for (const m of ['http_req_duration', 'http_req_failed', 'http_reqs', 'vus_max', 'cart_value', 'step_latency', 'payment_ok', 'orders', 'queue_depth']) expect(metrics).toContain(m);
    const ts = parseThresholds(corpusThresholds(judged.summary), 'thresholds-corpus.js');
    expect(new Set(ts.map((t) => t.expression.aggregation))).toEqual(new Set(AGGREGATIONS));
    expect(new Set(ts.flatMap((t) => Object.keys(t.selector.tags)))).toEqual(new Set(['name', 'group', 'scenario', 'check']));
    expect([...byK6.values()].filter((ok) => ok).length).toBeGreaterThanOrEqual(10);
    expect([...byK6.values()].filter((ok) => !ok).length).toBeGreaterThanOrEqual(10);
  });

  it("gets k6's pass/fail for every expression from loadctl's judge on the same samples", () => {
    const ts = parseThresholds(corpusThresholds(judged.summary), 'thresholds-corpus.js');
    const metrics = metricsFromSamples(samplesFromNdjson(judged.samples), judged.summary.state.testRunDurationMs);
    const ours = new Map(judgeThresholds(ts, metrics).map((j) => [thresholdName(j.threshold), j.unknown ? 'unknown' : j.passed]));
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(byK6));
  });

  it("gets k6's pass/fail for every expression from a loadctl run with k6's thresholds off", async () => {
    const project = tempProject();
    const out = join(project, 'out');
    const r = await runCli(['run', corpus, '-t', 'local', '--out', out, '--baseline', 'none'], { cwd: project, timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.k6.exitCode).toBe(0); // k6 ran with --no-thresholds
    const ours = new Map(result.checks.filter((c) => byK6.has(c.name)).map((c) => [c.name, c.status === 'pass']));
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(byK6));
    expect(r.stdout).toContain('http_req_duration{name:read}: max<5');
  });
});

describe('abortOnFail', () => {
  it('stops a 20 s run early under k6 judging it', async () => {
    const k6 = await k6Judges(abortScript, 'abort');
    expect(k6.exitCode).toBe(99);
    expect(k6.summary.state.testRunDurationMs).toBeLessThan(15_000);
  });

  it('stops a 20 s run early under loadctl', async () => {
    const project = tempProject();
    const out = join(project, 'out');
    const r = await runCli(['run', abortScript, '-t', 'local', '--out', out, '--baseline', 'none'], { cwd: project, timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.durationMs).toBeLessThan(15_000);
    expect(result.reason).toMatch(/abortOnFail \(http_req_duration: max<0.001\)/);
    expect(result.checks.find((c) => c.name === 'http_req_duration: p(95)<5000')?.status).toBe('pass');
  });
});

describe('a malformed threshold', () => {
  it('stops the run with exit 2 before any load, naming the script, the threshold and the fix', async () => {
    const project = tempProject({
      'load.js': "import http from 'k6/http';\nexport const options = { vus: 1, duration: '5s', thresholds: { 'http_req_duration{name:checkout}': ['p(95)<500', 'p95 < 500'] } };\nexport default function () { http.get(__ENV.BASE_URL); }\n",
    });
    const r = await runCli(['run', 'load.js', '-t', 'local', '--baseline', 'none'], { cwd: project });
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('load.js: options.thresholds["http_req_duration{name:checkout}"]: "p95 < 500" is malformed');
    expect(r.stderr).toContain("'p(95)<500'");
    expect(existsSync(join(project, 'reports'))).toBe(false);
  });
});
