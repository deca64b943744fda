// The demo target in-process (sources), and the target lifecycle through the built code: spawning
// needs dist/demo/main.js, so those tests run against dist (`npx tsc -p tsconfig.json` first).
import { statSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, createDemoServer, dither, listen, type MutableSettings } from '../src/demo/server.js';
import type * as TargetModule from '../src/target/index.js';

const distMain = fileURLToPath(new URL('../dist/demo/main.js', import.meta.url));

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function expectTargetError(e: unknown, pattern: RegExp): void {
  // dist and src each have their own TargetError class, so match on name and exit code.
  expect(e).toMatchObject({ name: 'TargetError', exitCode: 3 });
  expect((e as Error).message).toMatch(pattern);
}

describe('demo delay', () => {
  it('waits whole milliseconds whose mean is the fractional delay asked for', () => {
    const draws = Array.from({ length: 20_000 }, () => dither(42.3));
    expect(new Set(draws)).toEqual(new Set([42, 43]));
    const mean = draws.reduce((a, x) => a + x, 0) / draws.length;
    expect(mean).toBeGreaterThan(42.27); // 42.3 ± 9 standard errors
    expect(mean).toBeLessThan(42.33);
    expect(dither(40)).toBe(40);
  });
});

describe('demo server', () => {
  let url = '';
  let live: MutableSettings;
  const servers: import('node:http').Server[] = [];

  async function start(settings: Parameters<typeof createDemoServer>[0] = {}): Promise<string> {
    const demo = createDemoServer(settings);
    servers.push(demo.server);
    live = demo.settings;
    url = await listen(demo.server, '127.0.0.1', 0);
    return url;
  }
  const post = (path: string, body?: unknown, raw?: string) =>
    fetch(url + path, { method: 'POST', body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  it('answers health, items and unknown paths as JSON', async () => {
    await start();
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toBe('application/json');
    expect(await health.json()).toEqual({ status: 'ok' });
    const a = await (await fetch(`${url}/items/42?x=1`)).json();
    expect(a).toEqual(await (await fetch(`${url}/items/42`)).json());
    expect(a).toMatchObject({ id: 42, name: 'item-42', price: expect.any(Number) });
    expect((await fetch(`${url}/items/abc`)).status).toBe(404);
    const nope = await fetch(`${url}/nope`);
    expect(nope.status).toBe(404);
    expect(await nope.json()).toEqual({ error: 'not found' });
  });

  it('creates items and rejects bad JSON', async () => {
    await start();
    const res = await post('/items', { name: 'x', price: 2 });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'x', price: 2, id: expect.any(Number) });
    expect((await post('/items', undefined, '{nope')).status).toBe(400);
    expect((await post('/items', [1, 2])).status).toBe(400);
  });

  it('delays requests but never health or admin', async () => {
    // A delay far above any scheduling hiccup, so a busy machine cannot blur the two cases.
    await start({ delayMs: 1500 });
    let t = performance.now();
    await fetch(`${url}/items/1`);
    expect(performance.now() - t).toBeGreaterThanOrEqual(1490);
    t = performance.now();
    await fetch(`${url}/health`);
    await fetch(`${url}/admin/settings`);
    expect(performance.now() - t).toBeLessThan(1490);
    live.delayMs = 0;
    t = performance.now();
    expect((await fetch(`${url}/slow`)).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(245);
  });

  it('injects errors at the configured rate, changeable live', async () => {
    await start({ errorRate: 1 });
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${url}/items/${i}`)));
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(500));
    expect(await all[0]!.json()).toEqual({ error: 'injected' });
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const put = await fetch(`${url}/admin/settings`, { method: 'PUT', body: JSON.stringify({ errorRate: 0 }) });
    expect(await put.json()).toEqual({ delayMs: 0, jitterMs: 0, errorRate: 0 });
    const none = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${url}/items/${i}`)));
    expect(none.every((r) => r.status === 200)).toBe(true);

    for (const bad of [{ errorRate: 2 }, { delayMs: -1 }, { colour: 'red' }]) {
      const res = await fetch(`${url}/admin/settings`, { method: 'PUT', body: JSON.stringify(bad) });
      expect(res.status).toBe(400);
    }
    await fetch(`${url}/admin/settings`, { method: 'PUT', body: JSON.stringify({ delayMs: 60 }) });
    expect(await (await fetch(`${url}/admin/settings`)).json()).toEqual({ delayMs: 60, jitterMs: 0, errorRate: 0 });
    const t = performance.now();
    await fetch(`${url}/items/1`);
    expect(performance.now() - t).toBeGreaterThanOrEqual(55);
  });

  it('enforces the token except on health and admin', async () => {
    await start({ token: 's3cret', errorRate: 0 });
    expect((await fetch(`${url}/items/1`)).status).toBe(401);
    expect((await fetch(`${url}/items/1`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/items/1`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/admin/settings`)).status).toBe(200);
  });

  it('runs jobs to completion', async () => {
    await start();
    const created = await post('/jobs', { workMs: 1500 }); // long enough to be seen pending on a busy machine
    expect(created.status).toBe(202);
    const job = (await created.json()) as { id: string; status: string };
    expect(job.status).toBe('pending');
    expect(await (await fetch(`${url}/jobs/${job.id}`)).json()).toEqual({ id: job.id, status: 'pending' });
    // Poll as a client would until the job is done (bounded generously, to catch a hang).
    const deadline = Date.now() + 10_000;
    let status = 'pending';
    while (status === 'pending' && Date.now() < deadline) {
      status = ((await (await fetch(`${url}/jobs/${job.id}`)).json()) as { status: string }).status;
    }
    expect(status).toBe('done');
    const dflt = (await (await post('/jobs')).json()) as { id: string };
    expect(await (await fetch(`${url}/jobs/${dflt.id}`)).json()).toMatchObject({ status: 'pending' });
    expect((await fetch(`${url}/jobs/job-999999`)).status).toBe(404);
    expect((await post('/jobs', { workMs: 'soon' })).status).toBe(400);
  });

  it('walks the wizard through three answers', async () => {
    await start();
    const first = await post('/wizard');
    expect(first.status).toBe(201);
    const w = (await first.json()) as { id: string; step: number; question: string };
    expect(w).toMatchObject({ step: 1, question: expect.any(String) });
    expect((await post(`/wizard/${w.id}/answer`, {})).status).toBe(400);
    expect(await (await post(`/wizard/${w.id}/answer`, { answer: 'a' })).json()).toMatchObject({ id: w.id, step: 2 });
    expect(await (await post(`/wizard/${w.id}/answer`, { answer: 'b' })).json()).toMatchObject({ step: 3 });
    const done = await post(`/wizard/${w.id}/answer`, { answer: 'c' });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ id: w.id, done: true });
    expect((await post('/wizard/wiz-0/answer', { answer: 'a' })).status).toBe(404);
  });
});

describe('targets (built code)', () => {
  let target: typeof TargetModule;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    for (const name of ['demo/main', 'demo/server', 'target/index', 'target/demo', 'target/command', 'target/child', 'target/group', 'target/reachable']) {
      const src = fileURLToPath(new URL(`../src/${name}.ts`, import.meta.url));
      const out = fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
      const built = statSync(out, { throwIfNoEntry: false });
      if (!built || built.mtimeMs < statSync(src).mtimeMs) {
        throw new Error(`dist/${name}.js is missing or stale: run npx tsc -p tsconfig.json first`);
      }
    }
    target = (await import(new URL('../dist/target/index.js', import.meta.url).href)) as typeof TargetModule;
  });
  afterAll(async () => {
    await Promise.all(stops.splice(0).map((s) => s()));
  });

  it('starts the demo target, passes the token, and frees the port on stop', async () => {
    const t = await target.startDemoTarget({ delayMs: 0 }, { env: { LOADCTL_DEMO_TOKEN: 'tok' } });
    stops.push(t.stop);
    expect(t.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${t.baseUrl}/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${t.baseUrl}/items/1`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/items/1`, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
    await t.stop();
    await t.stop(); // idempotent
    await expect(target.checkReachable(t.baseUrl, 1000)).rejects.toMatchObject({ name: 'TargetError' });
  });

  it('fails with a TargetError when the demo target is not ready in time', async () => {
    const err = await target.startDemoTarget({}, { timeoutMs: 1 }).catch((e: unknown) => e);
    expectTargetError(err, /not ready after 1 ms/);
  });

  it('rejects bad demo arguments with exit 2', async () => {
    const r = await execa(process.execPath, [distMain, '--error-rate', '1.5'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--error-rate must be a number from 0 to 1/);
    const h = await execa(process.execPath, [distMain, '--host', '0.0.0.0'], { reject: false });
    expect(h.exitCode).toBe(2);
    expect(h.stderr).toMatch(/loopback/);
  });

  it('starts a command target in its own process group and stops all of it', async () => {
    const port = await freePort();
    // `& wait` puts the server in a grandchild, which only a process-group kill reaches.
    const command = `"${process.execPath}" "${distMain}" --port ${port} & wait`;
    const t = await target.startCommandTarget({ command, readyUrl: `http://127.0.0.1:${port}/health`, timeoutMs: 5000 });
    stops.push(t.stop);
    expect(t.baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`${t.baseUrl}/items/3`)).status).toBe(200);
    await t.stop();
    await t.stop();
    await expect(target.checkReachable(t.baseUrl, 1000)).rejects.toMatchObject({ name: 'TargetError' });
  });

  it('gives up on a command that never becomes ready, and kills it', async () => {
    const port = await freePort();
    const command = `"${process.execPath}" -e "setInterval(() => {}, 1000)"`;
    const t0 = Date.now();
    const err = await target
      .startCommandTarget({ command, readyUrl: `http://127.0.0.1:${port}/ready`, timeoutMs: 600 })
      .catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(3000);
    expectTargetError(err, new RegExp(`setInterval.*http://127\\.0\\.0\\.1:${port}/ready.*timed out.*ECONNREFUSED`));
  });

  it('reports a command that exits early with its stderr', async () => {
    const err = await target
      .startCommandTarget({ command: 'echo boom >&2; exit 3', readyUrl: 'http://127.0.0.1:9/', timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expectTargetError(err, /exited with code 3[\s\S]*boom/);
  });

  it('checkReachable passes for an open port and fails fast for a closed one', async () => {
    const demo = createDemoServer({});
    const url = await listen(demo.server, '127.0.0.1', 0);
    await target.checkReachable(url);
    await closeServer(demo.server);
    const port = await freePort();
    const t0 = Date.now();
    const err = await target.checkReachable(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(2000);
    expectTargetError(err, new RegExp(`^target http://127\\.0\\.0\\.1:${port}/ is unreachable: connect ECONNREFUSED`));
    expect(err).toMatchObject({ hint: 'start the service, or check baseUrl in the profile' });
  });
});

describe('demo command', () => {
  it('refuses a non-loopback host and bad settings before listening', async () => {
    const { demoCommand } = await import('../src/commands/demo/index.js');
    await expect(demoCommand({ host: '0.0.0.0' })).rejects.toMatchObject({ name: 'UsageError', exitCode: 2 });
    await expect(demoCommand({ errorRate: 2 })).rejects.toThrow(/--error-rate must be a number from 0 to 1/);
    await expect(demoCommand({ port: 70000 })).rejects.toThrow(/--port/);
  });
});
