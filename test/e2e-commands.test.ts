// End to end: the commands around `run` — list, validate, doctor, build, demo, report — and two run
// behaviours (a profile's own `start` command, `--progress json`, the `safety.abort` rule). Built
// CLI, real k6 (stock 1.1.0), traffic to 127.0.0.1 only. Needs `npx tsc -p tsconfig.json` and .tools/bin/k6.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileTree, realK6, repoRoot, runCli, tempProject } from './helpers/cli.js';

const demoMain = join(repoRoot, 'dist', 'demo', 'main.js');

/** A port nothing listens on right now (the OS picks it; we release it at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Live processes whose command line contains `needle` (read from /proc). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmd.includes(needle) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Resolves with the first stdout line of `child` that matches `re` (the match), rejects if it exits first. */
function firstLine(child: ResultPromise, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      for (const line of buf.split('\n')) {
        const m = re.exec(line);
        if (m) return resolve(m);
      }
    });
    void child.then((r) => reject(new Error(`exited before printing ${re}: ${r.stdout ?? ''} ${r.stderr ?? ''}`)));
  });
}

/** The demo target as its own process (`dist/demo/main.js --port 0`); stop it with `.kill()`. */
async function startDemo(): Promise<{ url: string; child: ResultPromise }> {
  const child = execa(process.execPath, [demoMain, '--port', '0'], { reject: false, buffer: false, stdin: 'ignore' });
  const m = await firstLine(child, /^(\{.*\})$/);
  const line = JSON.parse(m[1]!) as { ready: boolean; url: string };
  expect(line.ready).toBe(true);
  return { url: line.url, child };
}

/** A small workload every demo target serves. */
const WORKLOAD = [
  'scale: 0.1',
  'workload:',
  '  thinkTimeMs: 50',
  '  requests:',
  '    - { name: health, path: /health, weight: 1 }',
  '    - { name: read-item, path: /items/42, weight: 5 }',
  'sla: { p95: 300, errorRate: 0.01 }',
  '',
].join('\n');

const SCENARIOS: { name: string; model: 'vus' | 'arrival'; duration: string; phases: string[] }[] = [
  { name: 'chaos', model: 'arrival', duration: '9m', phases: ['warm-up', 'baseline', 'fault', 'recovery'] },
  { name: 'ramp', model: 'vus', duration: '5m30s', phases: ['ramp-up', 'ramp-down'] },
  { name: 'scaling', model: 'arrival', duration: '10m', phases: Array.from({ length: 10 }, (_, i) => `step-${i + 1}`) },
  { name: 'soak', model: 'vus', duration: '1h2m', phases: ['warm-up', 'steady'] },
  { name: 'spike', model: 'vus', duration: '4m50s', phases: ['warm-up', 'base', 'spike', 'drop', 'recovery'] },
  { name: 'sustained', model: 'vus', duration: '30m30s', phases: ['warm-up', 'steady'] },
];

/** The `summary:` a scenario file declares. */
const summaryOf = (name: string): string => {
  const m = /summary:\s*'([^']+)'/.exec(readFileSync(join(repoRoot, 'scenarios', `${name}.ts`), 'utf8'));
  expect(m, name).not.toBeNull();
  return m![1]!;
};

// The cheap commands run side by side with each other and with the k6 runs below, which stay
// one at a time.
describe.concurrent('loadctl commands', () => {
  describe('list', () => {
    it('shows the six scenarios with model, default duration and summary, and the profiles', async () => {
      const r = await runCli(['list']);
      expect(r.exitCode, r.stderr).toBe(0);
      const lines = r.stdout.split('\n');
      for (const s of SCENARIOS) {
        const row = lines.find((l) => new RegExp(`^\\s+${s.name}\\s`).test(l));
        expect(row, `${s.name} in\n${r.stdout}`).toBeDefined();
        expect(row).toContain(`${s.model === 'vus' ? 'VUs' : 'arrival rate'}, ${s.duration}`);
        expect(row).toContain(summaryOf(s.name));
      }
      const profiles = lines.slice(lines.findIndex((l) => l.startsWith('Profiles')));
      const prow = (name: string) => profiles.find((l) => new RegExp(`^\\s+${name.replace('.', '\\.')}\\s`).test(l));
      expect(prow('local'), r.stdout).toBeDefined();
      expect(prow('local')).not.toContain('protected');
      expect(prow('staging.example'), r.stdout).toBeDefined();
      expect(prow('staging.example')).not.toMatch(/\bprotected\b/);
      expect(prow('production.example'), r.stdout).toMatch(/\bprotected\b/);
    });

    it('--json parses and has the six scenarios with their phases', async () => {
      const r = await runCli(['list', '--json']);
      expect(r.exitCode, r.stderr).toBe(0);
      const data = JSON.parse(r.stdout) as {
        scenarios: { name: string; model: string; defaultDuration: string; summary: string; phases: string[] }[];
        profiles: { name: string; protected?: boolean }[];
      };
      expect(data.scenarios).toHaveLength(6);
      for (const s of SCENARIOS) {
        const got = data.scenarios.find((x) => x.name === s.name);
        expect(got, s.name).toBeDefined();
        expect(got!.model).toBe(s.model);
        expect(got!.defaultDuration).toBe(s.duration);
        expect(got!.summary).toBe(summaryOf(s.name));
        expect(got!.phases).toEqual(s.phases);
      }
      expect(data.profiles.map((p) => p.name).sort()).toEqual(['local', 'production.example', 'staging.example']);
      expect(data.profiles.find((p) => p.name === 'production.example')?.protected).toBe(true);
      expect(data.profiles.find((p) => p.name === 'local')?.protected).toBeFalsy();
    });
  });

  describe('validate', () => {
    it('exits 0 in the repo; profiles whose secrets are unset are reported as needing them', async () => {
      const r = await runCli(['validate'], { env: { STAGING_API_TOKEN: undefined, PROD_API_TOKEN: undefined } });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^✓ profiles\/local\.yaml$/m);
      expect(r.stdout).toMatch(/^✓ profiles\/staging\.example\.yaml \(needs STAGING_API_TOKEN set when it runs\)$/m);
      expect(r.stdout).toMatch(/^✓ profiles\/production\.example\.yaml \(needs PROD_API_TOKEN set when it runs\)$/m);
      expect(r.stdout).toMatch(/^✓ 6 scenarios type-check against @types\/k6$/m);
      expect(r.stdout).not.toMatch(/^✗/m);
      expect(r.stdout).toMatch(/all valid/);
    });

    it('with a secret unset (and a relative XDG_CACHE_HOME), validate and a refused run leave the project byte for byte as it was', async () => {
      const project = tempProject({
        'package.json': '{"name":"svc","private":true}\n',
        'profiles/staging.yaml': 'baseUrl: http://127.0.0.1:9\nworkload:\n  headers:\n    Authorization: Bearer ${SVC_TOKEN}\n  requests:\n    - { name: root, path: / }\nsla: { p95: 500 }\n',
      });
      const home = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
      const snapshot = () => fileTree(project).map((p) => {
        const abs = join(project, p);
        return statSync(abs).isDirectory() ? `${p}/` : `${p} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
      });
      const before = snapshot();
      const env = { SVC_TOKEN: undefined, HOME: home, XDG_CACHE_HOME: 'placeholder', LOADCTL_TOOLS_DIR: undefined };
      const v = await runCli(['validate'], { cwd: project, env });
      expect(v.exitCode, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toMatch(/^✓ profiles\/staging\.yaml \(needs SVC_TOKEN set when it runs\)$/m);
      const r = await runCli(['run', 'spike', '-t', 'staging', '-d', '5s'], { cwd: project, env });
      expect(r.exitCode, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(/profiles\/staging\.yaml: \/workload\/headers\/Authorization: environment variable SVC_TOKEN is not set/);
      expect(snapshot()).toEqual(before);
    });

    describe('in a project with a broken profile and a scenario with a type error', () => {
      // Line 19 of typed-wrong.ts holds the type error (column 7: the declared name).
      const sustained = readFileSync(join(repoRoot, 'scenarios', 'sustained.ts'), 'utf8');
      const typedWrong = sustained.replace('export default function () {', "const x: number = 'a';\nexport default function () {");
      const errorLine = typedWrong.split('\n').findIndex((l) => l.startsWith('const x: number')) + 1;
      let project = '';
      let r: Awaited<ReturnType<typeof runCli>>;
      beforeAll(async () => {
        expect(typedWrong).not.toBe(sustained);
        project = tempProject({
          'profiles/unknown-key.yaml': ['demo: {}', 'workload:', '  requests:', '    - { name: a, path: /health }', 'timeoutz: 5', ''].join('\n'),
          'scenarios/typed-wrong.ts': typedWrong,
        });
        r = await runCli(['validate'], { cwd: project });
      });

      it('exits 2 and names both: the profile with its key, the type error as file:line', () => {
        expect(r.exitCode, r.stdout + r.stderr).toBe(2);
        expect(r.stdout).toMatch(/^✗ profiles\/unknown-key\.yaml: .*unknown key "timeoutz"/m);
        expect(r.stdout).toMatch(new RegExp(`^✗ type error: scenarios/typed-wrong\\.ts:${errorLine}:\\d+: Type 'string' is not assignable to type 'number'`, 'm'));
        expect(r.stdout).toMatch(/^✓ profiles\/local\.yaml$/m);
        expect(r.stdout).toMatch(/problems found/);
      });

      it('flags those two and nothing else (the unchanged scenarios copied from the repo are valid), each named once', () => {
        const bad = r.stdout.split('\n').filter((l) => l.startsWith('✗') && !/^✗ \d+ scenarios type-check/.test(l));
        expect(bad, r.stdout).toHaveLength(2);
        expect(bad[0]).toBe('✗ profiles/unknown-key.yaml: /: unknown key "timeoutz" (allowed: description, baseUrl, scale, demo, start, workload, sla, metricTags, safety, baseline, chaos, search, probes, scenarios, outputs)');
      });
    });
  });

  describe('doctor', () => {
    it('exits 0 and names k6 v1.1.0 and node', async () => {
      const r = await runCli(['doctor']);
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^✓ k6 v1\.1\.0 /m);
      expect(r.stdout).toMatch(/^✓ node v\d+\.\d+\.\d+/m);
      expect(r.stdout).toMatch(/^ready$/m);
    });

    it('with LOADCTL_K6=/nonexistent: exits 3 with the install hint', async () => {
      const r = await runCli(['doctor'], { env: { LOADCTL_K6: '/nonexistent' } });
      expect(r.exitCode, r.stdout + r.stderr).toBe(3);
      expect(r.stdout).toMatch(/^✗ k6 not found .*\/nonexistent/m);
      expect(r.stdout).toMatch(/brew install k6.*grafana\/k6/);
      expect(r.stdout).toMatch(/not ready/);
    });

    it('-t http://127.0.0.1:9: exits 3 naming the unreachable target', async () => {
      const r = await runCli(['doctor', '-t', 'http://127.0.0.1:9']);
      expect(r.exitCode, r.stdout + r.stderr).toBe(3);
      expect(r.stdout).toMatch(/^✗ target http:\/\/127\.0\.0\.1:9\/? is unreachable/m);
      expect(r.stdout).toMatch(/^✓ k6 v1\.1\.0 /m);
    });
  });

  describe('demo', () => {
    it('--port 0 serves /health and exits 0 on SIGINT', async () => {
      const child = execa(process.execPath, [join(repoRoot, 'bin', 'loadctl.js'), 'demo', '--port', '0'], {
        reject: false,
        buffer: false,
        stdin: 'ignore',
        env: { NO_COLOR: '1' },
      });
      try {
        const m = await firstLine(child, /^demo target listening on (http:\/\/127\.0\.0\.1:\d+) \(Ctrl-C to stop\)$/);
        const res = await fetch(`${m[1]}/health`);
        expect(res.status).toBe(200);
        await res.body?.cancel();
        child.kill('SIGINT');
        const done = await child;
        expect(done.exitCode).toBe(0);
        expect(done.signal).toBeUndefined();
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  });

  describe('report', () => {
    const fixture = join(repoRoot, 'test', 'fixtures', 'result-spike.json');

    it('re-renders report.html, report.md and junit.xml from result.json alone', async () => {
      const project = tempProject({}, { scenarios: false, localProfile: false });
      const run = join(project, 'run-1');
      mkdirSync(run);
      copyFileSync(fixture, join(run, 'result.json'));
      const before = readFileSync(join(run, 'result.json'));
      const result = JSON.parse(before.toString()) as { runId: string; status: string };
      const r = await runCli(['report', run], { cwd: project, env: { LOADCTL_K6: '/nonexistent' } });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^${result.status.toUpperCase()} ${result.runId}: wrote 3 reports`, 'm'));
      for (const f of ['report.html', 'report.md', 'junit.xml']) {
        expect(existsSync(join(run, f)), f).toBe(true);
        expect(statSync(join(run, f)).size, f).toBeGreaterThan(0);
      }
      expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain(result.runId);
      expect(readFileSync(join(run, 'report.md'), 'utf8')).toMatch(/spike/);
      expect(readFileSync(join(run, 'junit.xml'), 'utf8')).toMatch(/<testsuite[\s>]/);
      expect(readFileSync(join(run, 'result.json')).equals(before)).toBe(true);
    });

    it.each([
      ['missing result.json', null, /run-x\/result\.json: not found/],
      ['malformed result.json', '{"status": "pass",', /run-x\/result\.json: .*not valid JSON/],
      ['a JSON file that is no result', '{"hello": 1}', /run-x\/result\.json: /],
    ] as const)('%s: exit 2 naming the file, nothing written', async (_name, content, says) => {
      const project = tempProject({}, { scenarios: false, localProfile: false });
      const run = join(project, 'run-x');
      mkdirSync(run);
      if (content !== null) writeFileSync(join(run, 'result.json'), content);
      const before = fileTree(project);
      const r = await runCli(['report', 'run-x'], { cwd: project });
      expect(r.exitCode, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^error: /m);
      expect(r.stderr).toMatch(says);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(fileTree(project)).toEqual(before);
    });
  });

  // Real k6 runs, one at a time.
  describe.sequential('with real k6', () => {
    describe('build', () => {
      let demo: { url: string; child: ResultPromise } | undefined;
      let project = '';
      beforeAll(async () => {
        demo = await startDemo();
        project = tempProject({ 'profiles/ext.yaml': `baseUrl: ${demo.url}\n${WORKLOAD}` });
      });
      afterAll(async () => {
        demo?.child.kill('SIGTERM');
        await demo?.child;
      });

      /** Runs real k6 on a bundle with exactly this environment (nothing inherited). */
      const k6 = (file: string, env: Record<string, string>) =>
        execa(realK6, ['run', '--quiet', '--no-color', file], {
          cwd: project,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
          extendEnv: false,
          reject: false,
          stdin: 'ignore',
          timeout: 60_000,
        });
      const requestsIn = (summary: string): number => Number(/http_reqs\.*:\s*(\d+)/.exec(summary)?.[1] ?? 0);

      it('build sustained --out DIR: real k6 runs DIR/sustained.js with LOADCTL_PLAN and BASE_URL', async () => {
        const b = await runCli(['build', 'sustained', '--out', 'bundles'], { cwd: project });
        expect(b.exitCode, b.stdout + b.stderr).toBe(0);
        const bundle = join(project, 'bundles', 'sustained.js');
        expect(existsSync(bundle)).toBe(true);
        expect(b.stdout).toContain('bundles/sustained.js');

        const dry = await runCli(['run', 'sustained', '-t', 'local', '--dry-run', '-d', '3s'], { cwd: project });
        expect(dry.exitCode, dry.stderr).toBe(0);
        const plan = JSON.parse(dry.stdout) as { target: { baseUrl: string } };
        plan.target.baseUrl = demo!.url;

        const r = await k6(bundle, { LOADCTL_PLAN: JSON.stringify(plan), BASE_URL: demo!.url });
        expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
        expect(requestsIn(r.stdout), r.stdout).toBeGreaterThan(0);
        expect(r.stdout).toMatch(/http_req_failed\.*:\s*0\.00%/);
      });

      it('build spike -t <profile> -d 3s bakes the plan: plain `k6 run` with no environment at all runs it', async () => {
        const b = await runCli(['build', 'spike', '-t', 'ext', '-d', '3s', '--out', 'baked'], { cwd: project });
        expect(b.exitCode, b.stdout + b.stderr).toBe(0);
        const bundle = join(project, 'baked', 'spike.js');
        expect(readFileSync(bundle, 'utf8')).toContain(demo!.url);

        const started = Date.now();
        const r = await k6(bundle, {});
        expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
        expect(requestsIn(r.stdout), r.stdout).toBeGreaterThan(0);
        expect(r.stdout).toMatch(/http_req_failed\.*:\s*0\.00%/);
        // The baked plan's 3 s, not the scenario's default 4 m 50 s.
        expect(Date.now() - started).toBeLessThan(30_000);
      });
    });

    describe('a profile that starts its own service (start: {command, readyUrl}), with --progress json', () => {
      let port = 0;
      let project = '';
      let r: Awaited<ReturnType<typeof runCli>>;
      beforeAll(async () => {
        port = await freePort();
        const command = `${process.execPath} ${demoMain} --port ${port}`;
        project = tempProject({
          'profiles/svc.yaml': [
            `baseUrl: http://127.0.0.1:${port}`,
            `start: { command: ${JSON.stringify(command)}, readyUrl: "http://127.0.0.1:${port}/health" }`,
            WORKLOAD,
          ].join('\n'),
        });
        expect(await listening(port)).toBe(false);
        r = await runCli(['run', 'sustained', '-t', 'svc', '-d', '4s', '--out', 'out', '--progress', 'json'], { cwd: project });
      }, 90_000);

      it('starts the service, passes, and the service is gone afterwards (port free)', async () => {
        expect(r.exitCode, r.stdout + r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^PASS /m);
        const result = JSON.parse(readFileSync(join(project, 'out', 'result.json'), 'utf8')) as { status: string; metrics: { http: { requests: number; errorRate: number } } };
        expect(result.status).toBe('pass');
        expect(result.metrics.http.requests).toBeGreaterThan(0);
        expect(result.metrics.http.errorRate).toBe(0);
        expect(await listening(port)).toBe(false);
        expect(processesWith(`--port ${port}`)).toEqual([]);
      });

      it('--progress json writes JSON lines to stderr: a start event, then progress events with phase, rps, p95', () => {
        const events = r.stderr
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(events[0], r.stderr).toMatchObject({ type: 'start', scenario: 'sustained', target: 'svc', baseUrl: `http://127.0.0.1:${port}`, totalMs: 4000 });
        const progress = events.filter((e) => e.type === 'progress');
        expect(progress.length, r.stderr).toBeGreaterThanOrEqual(2);
        for (const e of progress) {
          expect(['warm-up', 'steady']).toContain(e.phase);
          expect(typeof e.rps).toBe('number');
          expect(e.p95 === null || typeof e.p95 === 'number').toBe(true);
        }
        expect(progress.some((e) => typeof e.p95 === 'number' && (e.rps as number) > 0), r.stderr).toBe(true);
        expect(events.every((e) => e.type === 'start' || e.type === 'progress')).toBe(true);
      });
    });

    it('safety.abort {errorRate: 0.5, forSeconds: 2} stops a 20 s run early: exit 1, status fail, "safety stop"', async () => {
      const local = readFileSync(join(repoRoot, 'profiles', 'local.yaml'), 'utf8');
      const failing = local
        .replace(/^ {2}errorRate: 0 #.*$/m, '  errorRate: 0.9')
        .replace(/abort: \{[^}]*\}/, 'abort: { errorRate: 0.5, forSeconds: 2 }');
      expect(failing).toMatch(/^ {2}errorRate: 0\.9$/m);
      expect(failing).toContain('abort: { errorRate: 0.5, forSeconds: 2 }');
      const project = tempProject({ 'profiles/failing.yaml': failing });
      const r = await runCli(['run', 'sustained', '-t', 'failing', '-d', '20s', '--out', 'out', '--progress', 'none'], { cwd: project });
      expect(r.exitCode, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^FAIL safety stop: error rate above 50% for 2 s/m);
      const result = JSON.parse(readFileSync(join(project, 'out', 'result.json'), 'utf8')) as { status: string; reason: string; durationMs: number };
      expect(result.status).toBe('fail');
      expect(result.reason).toMatch(/^safety stop/);
      expect(result.durationMs).toBeLessThan(15_000);
    });
  });
});
