// The demo target's optional slow leak: the pure growth model, the server's hook and gauge, and
// how bad values are refused at every entry point (profile, `loadctl demo`, the server itself).
import { afterAll, describe, expect, it } from 'vitest';
import { validateProfile } from '../src/config/validate.js';
import { createLeak, LEAK_BASE_BYTES, LEAK_FLOOR_MS, leakProblem } from '../src/demo/leak.js';
import { closeServer, createDemoServer, listen } from '../src/demo/server.js';
import { runCli } from './helpers/cli.js';

describe('leak model', () => {
  it('grows the injected wait and the reported memory linearly, by the given percent a minute', () => {
    const leak = createLeak(10, 1_000_000);
    expect(leak.grow(20, 1_000_000)).toBe(20);
    // 5 minutes at 10 %/min: ×1.5, plus half the floor so a zero delay leaks too.
    expect(leak.grow(20, 1_000_000 + 5 * 60_000)).toBeCloseTo(30 + 0.5 * LEAK_FLOOR_MS, 9);
    expect(leak.grow(0, 1_000_000 + 10 * 60_000)).toBeCloseTo(LEAK_FLOOR_MS, 9);
    expect(leak.report(1_000_000 + 10 * 60_000)).toEqual({ leakPctPerMin: 10, minutes: 10, latencyFactor: 2, memoryBytes: 2 * LEAK_BASE_BYTES });
    expect(createLeak(0, 0).grow(7, 3_600_000)).toBe(7);
  });

  it('refuses values that are not a percentage from 0 to 1000', () => {
    expect(leakProblem(undefined)).toBeNull();
    expect(leakProblem(2.5)).toBeNull();
    expect(leakProblem(-1)).toMatch(/leakPctPerMin must be a number from 0 to 1000 \(got -1\)/);
    expect(leakProblem('5')).toMatch(/got "5"/);
    expect(() => createDemoServer({ leakPctPerMin: -1 })).toThrow(RangeError);
  });
});

describe('leaking demo server', () => {
  const servers: import('node:http').Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map(closeServer));
  });

  it('reports its leak at GET /admin/leak and answers as before', async () => {
    const demo = createDemoServer({ leakPctPerMin: 50 });
    servers.push(demo.server);
    const url = await listen(demo.server, '127.0.0.1', 0);
    expect((await fetch(`${url}/items/7`)).status).toBe(200);
    const body = (await (await fetch(`${url}/admin/leak`)).json()) as Record<string, number>;
    expect(body.leakPctPerMin).toBe(50);
    expect(body.latencyFactor).toBeGreaterThanOrEqual(1);
    expect(body.memoryBytes).toBeGreaterThanOrEqual(LEAK_BASE_BYTES);
  });
});

describe('leak settings at the edges', () => {
  it('a profile takes demo.leakPctPerMin and names the field when it is wrong', () => {
    const base = { demo: {}, workload: { requests: [{ name: 'a', path: '/' }] } };
    expect(validateProfile({ ...base, demo: { leakPctPerMin: 5 } }, 'profiles/x.yaml').demo?.leakPctPerMin).toBe(5);
    expect(() => validateProfile({ ...base, demo: { leakPctPerMin: -2 } }, 'profiles/x.yaml')).toThrow(/profiles\/x\.yaml: \/demo\/leakPctPerMin: must be >= 0/);
  });

  it('`loadctl demo --leak-pct-per-min -1` exits 2 naming the flag', async () => {
    const r = await runCli(['demo', '--port', '0', '--leak-pct-per-min', '-1']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--leak-pct-per-min must be a number from 0 to 1000');
  });
});
