// The k6-side scenario code, checked two ways: its `shape` exports as the Node planner sees them
// (k6 modules stubbed), and one short real k6 run against a local server with a hand-written Plan.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Plan, ShapeSpec } from '../src/plan/types.js';

vi.mock('k6', () => ({ check: vi.fn(), sleep: vi.fn() }));
vi.mock('k6/http', () => ({ default: { request: vi.fn(), expectedStatuses: vi.fn() } }));
vi.mock('k6/execution', () => ({ default: { instance: {}, test: { abort: vi.fn() } } }));

const root = resolve(import.meta.dirname, '..');
const k6Bin = join(root, '.tools/bin/k6');

function ms(d: string | number): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+)(ms|s|m|h)$/.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

const expected: Record<string, { phases: string[]; totalMs: number }> = {
  ramp: { phases: ['ramp-up', 'ramp-down'], totalMs: ms('5m') + ms('30s') },
  sustained: { phases: ['warm-up', 'steady'], totalMs: ms('30m') + ms('30s') },
  // 30s + 1m + 10s + 1m + 10s + 2m, as the stages are specified
  spike: { phases: ['warm-up', 'base', 'spike', 'drop', 'recovery'], totalMs: ms('4m') + ms('50s') },
  soak: { phases: ['warm-up', 'steady'], totalMs: ms('1h') + ms('2m') },
  chaos: { phases: ['warm-up', 'baseline', 'fault', 'recovery'], totalMs: ms('9m') },
  scaling: { phases: Array.from({ length: 10 }, (_, i) => `step-${i + 1}`), totalMs: ms('10m') },
};

describe('scenario shapes (imported in Node, k6 stubbed)', () => {
  for (const [name, want] of Object.entries(expected)) {
    it(`${name} exposes a valid shape and empty options`, async () => {
      const mod = (await import(`../scenarios/${name}.ts`)) as { shape: ShapeSpec; options: object; default: unknown };
      expect(mod.options).toEqual({});
      expect(typeof mod.default).toBe('function');
      const { shape } = mod;
      expect(shape.summary).toBeTruthy();
      expect(['vus', 'arrival']).toContain(shape.model);
      const stages = shape.stages(shape.params);
      const phases = stages.map((s) => s.phase).filter((p, i, a) => a[i - 1] !== p);
      expect(phases).toEqual(want.phases);
      expect(stages.reduce((t, s) => t + ms(s.duration), 0)).toBe(want.totalMs);
      for (const s of stages) expect(s.target).toBeGreaterThanOrEqual(0);
    });
  }

  it('spike and scaling follow their params', async () => {
    const spike = (await import('../scenarios/spike.ts')).shape;
    expect(Math.max(...spike.stages({ base: 10, factor: 5 }).map((s) => s.target))).toBe(50);
    const scaling = (await import('../scenarios/scaling.ts')).shape;
    const st = scaling.stages({ start: 5, step: 5, steps: 3, stepSeconds: 20 });
    expect(st.map((s) => s.target)).toEqual([5, 5, 10, 10, 15, 15]);
  });
});

describe('a real k6 run of scenarios/spike.ts', () => {
  const TOKEN = 'test-token-3f9a';
  const seen = { auth: 0, badAuth: 0, polls: new Map<string, number>(), done: 0 };
  let server: ReturnType<typeof createServer>;
  let baseUrl = '';
  let dir = '';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? '';
    if (url === '/health') return json(res, 200, { ok: true });
    if (url === '/secure') {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        seen.badAuth++;
        return json(res, 401, {});
      }
      seen.auth++;
      return json(res, 200, { ok: true });
    }
    if (req.method === 'POST' && url === '/jobs') {
      const id = `job ${seen.polls.size + 1}`; // a space, so the path placeholder must be encoded
      seen.polls.set(id, 0);
      return json(res, 201, { id });
    }
    const m = /^\/jobs\/([^/]+)$/.exec(url);
    if (req.method === 'GET' && m) {
      const id = decodeURIComponent(m[1]!);
      const n = seen.polls.get(id);
      if (n === undefined) return json(res, 404, {});
      seen.polls.set(id, n + 1);
      if (n + 1 === 3) seen.done++;
      return json(res, 200, { id, status: n + 1 >= 3 ? 'done' : 'running' });
    }
    json(res, 404, {});
  }

  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), 'loadctl-k6-'));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function plan(): Plan {
    return {
      planVersion: 1,
      scenario: { name: 'spike', file: 'scenarios/spike.ts', kind: 'scenario', summary: 'test' },
      target: { name: 'test', profileFile: null, baseUrl, managed: 'none' },
      shape: null,
      k6Scenarios: {
        spike: {
          executor: 'ramping-vus',
          startVUs: 0,
          stages: [
            { duration: '1s', target: 2 },
            { duration: '2s', target: 2 },
          ],
          gracefulRampDown: '1s',
          gracefulStop: '2s',
          exec: 'default',
        },
      },
      phases: [
        { name: 'warm-up', startMs: 0, endMs: 1000 },
        { name: 'base', startMs: 1000, endMs: 3000 },
      ],
      durationMs: 3000,
      workload: {
        thinkTimeMs: 20,
        headers: { 'X-Test': 'loadctl' },
        requests: [
          { name: 'health', path: '/health' },
          { name: 'secure', path: '/secure', headers: { Authorization: 'Bearer ${TEST_TOKEN}' }, expect: 200 },
        ],
        journeys: [
          {
            name: 'job',
            weight: 2,
            steps: [
              { name: 'job start', method: 'POST', path: '/jobs', body: { kind: 'x' }, expect: 201, capture: { jobId: 'id' } },
              { name: 'job status', path: '/jobs/{{jobId}}', until: { path: 'status', equals: 'done' }, pollIntervalMs: 50, maxPolls: 10 },
            ],
          },
        ],
      },
      envRefs: ['TEST_TOKEN'],
      sla: {},
      safety: {},
      baseline: {},
      overrides: {},
      k6: {},
      bucketMs: 1000,
      metricTags: [],
    };
  }

  it('tags every request with name and phase, polls until done, sends the token, fails nothing', async () => {
    const out = join(dir, 'out.json');
    const args = ['run', '--quiet', '--summary-mode=compact', '--no-usage-report', '--out', `json=${out}`, 'scenarios/spike.ts'];
    const env = { ...process.env, LOADCTL_PLAN: JSON.stringify(plan()), BASE_URL: baseUrl, TEST_TOKEN: TOKEN, NO_COLOR: '1' };
    // Async on purpose: the target server lives in this process and must keep answering.
    const run = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile(k6Bin, args, { cwd: root, env, timeout: 30_000 }, (_err, _stdout, stderr) =>
        done({ code: child.exitCode, stderr }),
      );
    });
    expect(run.stderr).not.toContain(TOKEN); // the secret never shows in k6's output
    expect(run.code, run.stderr).toBe(0);

    type Point = { type: string; metric: string; data: { value: number; tags: Record<string, string> } };
    const points = (await readFile(out, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Point)
      .filter((p) => p.type === 'Point');
    const reqs = points.filter((p) => p.metric === 'http_reqs');
    expect(reqs.length).toBeGreaterThan(10);
    for (const r of reqs) {
      expect(r.data.tags.name).toMatch(/^(health|secure|job start|job status)$/);
      expect(['warm-up', 'base']).toContain(r.data.tags.phase);
      // Lean systemTags took effect: only what loadctl reads (each tag costs k6 on every sample).
      expect(r.data.tags.url).toBeUndefined();
      expect(r.data.tags.scenario).toBeUndefined();
      expect(r.data.tags.status).toMatch(/^2\d\d$/);
    }
    expect(new Set(reqs.map((r) => r.data.tags.phase))).toEqual(new Set(['warm-up', 'base']));

    const byName = (n: string) => reqs.filter((r) => r.data.tags.name === n).length;
    expect(byName('job start')).toBeGreaterThan(0);
    expect(byName('job status')).toBeGreaterThanOrEqual(3 * seen.done);
    expect(seen.done).toBeGreaterThan(0);
    // A job is only polled past 3 if the until loop failed to stop at "done".
    for (const n of seen.polls.values()) expect(n).toBeLessThanOrEqual(3);

    expect(seen.auth).toBeGreaterThan(0);
    expect(seen.badAuth).toBe(0);
    expect(points.filter((p) => p.metric === 'http_req_failed' && p.data.value !== 0)).toEqual([]);
    const checks = points.filter((p) => p.metric === 'checks');
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((p) => p.data.value !== 1)).toEqual([]);
  }, 40_000);
});
