// End to end: the built CLI runs real k6 against the built-in demo target and writes result.json.
// Needs `npx tsc -p tsconfig.json` and .tools/bin/k6 (scripts/install-k6.sh).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultProblems } from '../src/results/validate.js';
import { fileTree, realK6, repoRoot, runCli, tempProject } from './helpers/cli.js';

interface ResultFile {
  status: string;
  samples: { parsed: number; malformed: number; format: string };
  phases: { name: string; startMs: number; endMs: number }[];
  checks: { name: string; kind: string; scope: string; status: string; measured: number | null; reason?: string }[];
  metrics: { http: { requests: number; errorRate: number; byName: Record<string, { requests: number }> } };
}

const readResult = (dir: string): ResultFile => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as ResultFile;

let project = '';
beforeAll(() => {
  project = tempProject();
});

// Phase names as each scenario's shape declares them, in order (repeated stages merge into one),
// and the seconds of load each gets: chaos needs enough of its recovery phase to see the injected
// fault heal; 8 s does for the rest. (A soak this short is too short to judge latency drift: its
// drift checks say so, inconclusive — see below.)
const SCENARIOS: [string, string[], number][] = [
  ['ramp', ['ramp-up', 'ramp-down'], 8],
  ['sustained', ['warm-up', 'steady'], 8],
  ['spike', ['warm-up', 'base', 'spike', 'drop', 'recovery'], 8],
  ['soak', ['warm-up', 'steady'], 8],
  ['chaos', ['warm-up', 'baseline', 'fault', 'recovery'], 16],
  ['scaling', Array.from({ length: 10 }, (_, i) => `step-${i + 1}`), 8],
];

describe('run <scenario> --target local', () => {
  it.each(SCENARIOS)('%s passes and writes a valid result.json with its phases', async (name, phaseNames, seconds) => {
    const out = join(project, 'out', name);
    const r = await runCli(['run', name, '--target', 'local', '--duration', `${seconds}s`, '--out', out], { cwd: project });
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const result = readResult(out);
    expect(resultProblems(result)).toEqual([]);
    // Everything passes; on the 8 s soak the latency drift checks (on by default for soak) have too
    // few time buckets to judge a trend, and say so.
    const open = result.checks.filter((c) => c.status !== 'pass');
    if (name === 'soak') {
      expect(open.every((c) => c.kind === 'drift' && /too few points/.test(c.reason ?? '')), JSON.stringify(open)).toBe(true);
      expect(['pass', 'inconclusive']).toContain(result.status);
    } else {
      expect(open, JSON.stringify(open)).toEqual([]);
      expect(r.stdout).toMatch(/^PASS /m);
      expect(result.status).toBe('pass');
    }
    expect(result.metrics.http.requests).toBeGreaterThan(0);
    expect(result.phases.map((p) => p.name)).toEqual(phaseNames);
    // The phases tile the whole (rescaled) run.
    expect(result.phases[0]!.startMs).toBe(0);
    expect(result.phases.at(-1)!.endMs).toBe(seconds * 1000);
    for (let i = 1; i < result.phases.length; i++) expect(result.phases[i]!.startMs).toBe(result.phases[i - 1]!.endMs);
  });
});

describe('run spike with a slow target', () => {
  it('fails the p95 check, names it with the measured value, exits 1', async () => {
    const out = join(project, 'out', 'slow');
    const r = await runCli(['run', 'spike', '--target', 'local', '--duration', '8s', '--set', 'demo.delayMs=800', '--out', out], { cwd: project });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const row = r.stdout.split('\n').find((l) => l.includes('p95 latency (overall)') && l.includes('FAIL'));
    expect(row, r.stdout).toBeDefined();
    const measured = /([\d.]+) ms\s*$/.exec(row!)?.[1];
    expect(Number(measured)).toBeGreaterThanOrEqual(800);
    expect(r.stdout).toMatch(/^FAIL .*p95 latency \(overall\)/m);

    const result = readResult(out);
    expect(resultProblems(result)).toEqual([]);
    expect(result.status).toBe('fail');
    const check = result.checks.find((c) => c.name === 'p95 latency (overall)');
    expect(check?.status).toBe('fail');
    expect(check?.measured).toBeGreaterThanOrEqual(800);
  });
});

describe('a per-request SLA limit', () => {
  // As with k6 thresholds (`http_req_duration` vs `http_req_duration{name:slow}`), a per-request
  // limit is judged on that request alone and the overall limits on every request, that one
  // included. Half the requests here take ~255 ms and have their own 400 ms limit; the rest ~10 ms.
  const profile = [
    'demo: { delayMs: 5, jitterMs: 5 }',
    'scale: 0.1',
    'workload:',
    '  thinkTimeMs: 50',
    '  requests:',
    '    - { name: fast, path: /items/42, weight: 1 }',
    '    - { name: slow, path: /slow, weight: 1 }',
    'sla:',
    '  p95: 200',
    '  errorRate: 0.01',
    '  requests:',
    '    slow: { p95: 400 }',
    '',
  ].join('\n');

  it('is judged on that request alone, on top of the overall limits', async () => {
    const dir = tempProject({ 'profiles/override.yaml': profile });
    const out = join(dir, 'out');
    const r = await runCli(['run', 'sustained', '--target', 'override', '--duration', '5s', '--out', out], { cwd: dir });
    const result = readResult(out);
    expect(result.metrics.http.byName.fast?.requests).toBeGreaterThan(0);
    expect(result.metrics.http.byName.slow?.requests).toBeGreaterThan(0);
    expect(result.checks.find((c) => c.name === 'p95 latency (slow)')?.status).toBe('pass');
    const overall = result.checks.find((c) => c.name === 'p95 latency (overall)');
    expect(overall?.status, r.stdout).toBe('fail');
    expect(overall?.measured).toBeGreaterThan(200);
    expect(result.status).toBe('fail');
    expect(r.exitCode).toBe(1);
  });
});

describe('run a plain k6 script', () => {
  const script = join(repoRoot, 'test', 'fixtures', 'plain-script.js');

  it('runs it with its own options against local, naming requests by URL', async () => {
    const out = join(project, 'out', 'plain-local');
    const r = await runCli(['run', script, '--target', 'local', '--out', out], { cwd: project });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const result = readResult(out);
    expect(resultProblems(result)).toEqual([]);
    expect(result.metrics.http.requests).toBeGreaterThan(0);
    expect(result.metrics.http.errorRate).toBe(0);
    expect(result.phases).toEqual([]);
    // k6 names a request by its URL when the script gives no name tag.
    const names = Object.keys(result.metrics.http.byName).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/health$/);
    expect(names[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/items\/1$/);
    // Every check passes. local.yaml's per-request limit on its workload's `slow` request is for
    // that workload: a plain script runs its own requests, so it is not judged here.
    for (const c of result.checks) expect(c.status, c.name).toBe('pass');
    expect(result.checks.some((c) => c.scope === 'slow')).toBe(false);
    expect(result.status).toBe('pass');
  });

  describe('against an ad-hoc URL', () => {
    let demo: ResultPromise | undefined;
    let url = '';
    beforeAll(async () => {
      demo = execa(process.execPath, [join(repoRoot, 'dist', 'demo', 'main.js'), '--port', '0'], { reject: false, buffer: false });
      // The demo's only stdout line is {"ready":true,"url":...}.
      url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        demo!.stdout!.on('data', (b: Buffer) => {
          buf += b.toString();
          const nl = buf.indexOf('\n');
          if (nl !== -1) resolve((JSON.parse(buf.slice(0, nl)) as { url: string }).url);
        });
        void demo!.then(() => reject(new Error('demo target exited before it was ready')));
      });
    });
    afterAll(async () => {
      demo?.kill('SIGTERM');
      await demo;
    });

    it('passes under the ad-hoc SLA', async () => {
      const out = join(project, 'out', 'plain-adhoc');
      const r = await runCli(['run', script, '--target', url, '--out', out], { cwd: project });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      const result = readResult(out);
      expect(resultProblems(result)).toEqual([]);
      expect(result.status).toBe('pass');
      expect(result.metrics.http.requests).toBeGreaterThan(0);
      expect(Object.keys(result.metrics.http.byName).sort()).toEqual([`${url}/health`, `${url}/items/1`]);
    });
  });
});

describe('run --dry-run', () => {
  it('prints the plan as JSON and writes nothing', async () => {
    const dir = tempProject();
    const before = fileTree(dir);
    const r = await runCli(['run', 'spike', '--target', 'local', '--dry-run', '--duration', '20s'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { durationMs: number; k6Scenarios: Record<string, { executor: string }> };
    expect(plan.durationMs).toBe(20000);
    expect(plan.k6Scenarios.spike?.executor).toBe('ramping-vus');
    expect(existsSync(join(dir, 'reports'))).toBe(false);
    expect(fileTree(dir)).toEqual(before);
  });
});

describe('the sample stream', () => {
  it("is k6's own json from the stock k6, with loadctl's GOGC default (the user's wins); the former extension's stream is refused", async () => {
    // The real stock k6 behind a wrapper that logs the GOGC it was started with.
    const logged = join(project, 'stock-k6');
    const gogcLog = join(project, 'k6-gogc.log');
    writeFileSync(logged, `#!/bin/sh\n[ "$1" = run ] && echo "GOGC=$GOGC" >> "${gogcLog}"\nexec "${realK6}" "$@"\n`);
    chmodSync(logged, 0o755);
    const out = join(project, 'out', 'stream-json');
    const r = await runCli(['run', 'sustained', '--target', 'local', '--duration', '5s', '--out', out], { cwd: project, env: { LOADCTL_K6: logged } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const result = readResult(out);
    expect(resultProblems(result)).toEqual([]);
    expect(result.samples.format).toBe('json');
    expect(result.samples.malformed).toBe(0);
    expect(result.samples.parsed).toBeGreaterThan(result.metrics.http.requests);
    expect(JSON.stringify(result)).toContain('"metric":"iteration_duration"');
    const again = await runCli(['run', 'sustained', '--target', 'local', '--duration', '3s', '--out', `${out}-gogc`], { cwd: project, env: { LOADCTL_K6: logged, GOGC: '150' } });
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(readFileSync(gogcLog, 'utf8').trim().split('\n')).toEqual(['GOGC=200', 'GOGC=150']);
    const forced = await runCli(['run', 'sustained', '--target', 'local', '--duration', '5s'], { cwd: project, env: { LOADCTL_K6: logged, LOADCTL_SAMPLE_FORMAT: 'loadctl' } });
    expect(forced.exitCode).toBe(2);
    expect(forced.stderr).toMatch(/built without loadctl's output/);
  });
});
