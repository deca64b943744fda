// The Toxiproxy provider against the real toxiproxy-server (scripts/install-toxiproxy.sh) and a
// real local HTTP server: faults are measured with real requests.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultTimeline } from '../src/chaos/fault-task.js';
import { JOURNAL_FILE, readJournal } from '../src/chaos/journal.js';
import { ownToxiproxy, prepareChaos } from '../src/chaos/prepare.js';
import type { Plan } from '../src/plan/types.js';
import { RuntimeError, UsageError } from '../src/util/errors.js';
import { ToxiproxyProvider } from '../src/chaos/toxiproxy.js';
import { locateToxiproxy, TOXIPROXY_TESTED, toxiproxyCandidates } from '../src/chaos/toxiproxy-server.js';
import type { ChaosPlan, PlannedFault } from '../src/chaos/types.js';
import { noLive } from './helpers/beside.js';
import type { BesideContext } from '../src/pipeline/beside.js';
import { okServer, timedGet, until } from './helpers/chaos.js';
import { tempProject } from './helpers/cli.js';

type Own = Awaited<ReturnType<typeof ownToxiproxy>>;
let own: Own;
let provider: ToxiproxyProvider;
let target: Awaited<ReturnType<typeof okServer>>;

beforeAll(async () => {
  target = await okServer();
  own = await ownToxiproxy(target.url, 'loadctl-test', { cwd: process.cwd(), env: process.env });
  provider = new ToxiproxyProvider({ name: 'toxiproxy', url: own.server.url, proxy: own.proxy, ownedServerPid: own.server.pid });
});
afterAll(async () => {
  await own?.server.stop();
});

const fault = (id: string, kind: PlannedFault['kind'], params: PlannedFault['params'], startMs = 0, endMs = 1000): PlannedFault => ({ id, kind, params, at: `${startMs}ms`, startMs, endMs, source: 'test' });

async function medianMs(url: string, n = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await timedGet(url)).ms);
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

describe('Toxiproxy provider (real toxiproxy-server)', () => {
  it('routes through its own proxy, adds latency on inject and removes it on revert', async () => {
    expect(own.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
    expect(Number(new URL(own.baseUrl).port)).not.toBe(target.port); // k6 aims at the proxy, not the target
    expect((await own.server.api.proxy(own.proxy))?.upstream).toBe(`127.0.0.1:${target.port}`);
    const before = await medianMs(own.baseUrl);
    const f = fault('f1-latency', 'latency', { latencyMs: 400, jitterMs: 0 });
    await provider.inject(f);
    expect(await provider.status(f)).toBe('active');
    const during = await medianMs(own.baseUrl);
    await provider.revert(f);
    expect(await provider.status(f)).toBe('inactive');
    const after = await medianMs(own.baseUrl);
    expect(before).toBeLessThan(200);
    expect(during).toBeGreaterThanOrEqual(400);
    expect(after).toBeLessThan(200);
    await provider.revert(f); // idempotent
  });

  it('takes the target down and brings it back', async () => {
    const f = fault('f2-down', 'down', {});
    await provider.inject(f);
    expect((await timedGet(own.baseUrl)).status).toBe(0);
    expect((await own.server.api.proxy(own.proxy))?.enabled).toBe(false);
    await provider.revert(f);
    expect((await timedGet(own.baseUrl)).status).toBe(200);
  });

  it('injects reset and timeout as toxics that make requests fail', async () => {
    for (const f of [fault('f3-reset', 'reset', { timeoutMs: 0 }), fault('f4-timeout', 'timeout', { timeoutMs: 200 })]) {
      await provider.inject(f);
      expect((await timedGet(own.baseUrl, 3000)).status).toBe(0);
      await provider.revert(f);
      expect((await timedGet(own.baseUrl)).status).toBe(200);
    }
    expect(await own.server.api.toxics(own.proxy)).toEqual([]);
  });
});

function context(startedAtMs: number, logs: string[], stops: string[]): BesideContext & { abort(): void } {
  const ac = new AbortController();
  return {
    plan: {} as BesideContext['plan'],
    clock: { startedAtMs, now: () => Date.now() },
    log: (l) => logs.push(l),
    stopRun: (r) => stops.push(r),
    live: noLive,
    signal: ac.signal,
    abort: () => ac.abort(),
  };
}

describe('fault timeline task (real Toxiproxy, real clock)', () => {
  it('injects and reverts on schedule, journals while active and records the times', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false });
    const chaos: ChaosPlan = { provider: 'toxiproxy', faults: [fault('f1-latency', 'latency', { latencyMs: 300 }, 300, 1300), fault('f2-down', 'down', {}, 1500, 2300)] };
    const task = faultTimeline({ chaos, provider, journal: { file: `${dir}/${JOURNAL_FILE}`, profile: 'local', runId: 'r1' } });
    const logs: string[] = [];
    const ctx = context(Date.now(), logs, []);
    await task.start(ctx);
    await until(async () => (await own.server.api.toxics(own.proxy)).length === 1);
    const journal = await readJournal(`${dir}/${JOURNAL_FILE}`);
    expect(journal?.active.map((f) => f.id)).toEqual(['f1-latency']);
    expect((await timedGet(own.baseUrl)).ms).toBeGreaterThanOrEqual(300);
    await until(async () => (await own.server.api.proxy(own.proxy))?.enabled === false);
    await until(async () => (await own.server.api.proxy(own.proxy))?.enabled === true);
    await task.stop();
    const recs = task.result();
    expect(recs.map((r) => [r.status, r.endedBy])).toEqual([
      ['reverted', 'schedule'],
      ['reverted', 'schedule'],
    ]);
    for (const r of recs) {
      expect(r.injectedAt! - ctx.clock.startedAtMs).toBeGreaterThanOrEqual(r.plannedStartMs);
      expect(r.revertedAt!).toBeGreaterThan(r.injectedAt!);
      expect(r.revertedAt! - ctx.clock.startedAtMs).toBeGreaterThanOrEqual(r.plannedEndMs);
    }
    expect(await readJournal(`${dir}/${JOURNAL_FILE}`)).toBeNull(); // nothing active: no journal
    expect(logs.filter((l) => /injected at/.test(l))).toHaveLength(2);
  });

  it('stop() mid-fault (SIGINT, k6 gone, an exception) reverts at once and skips what had not started', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false });
    const chaos: ChaosPlan = { provider: 'toxiproxy', faults: [fault('f1-latency', 'latency', { latencyMs: 300 }, 0, 60_000), fault('f2-down', 'down', {}, 30_000, 40_000)] };
    const task = faultTimeline({ chaos, provider, journal: { file: `${dir}/${JOURNAL_FILE}`, profile: 'local', runId: 'r2' } });
    const ctx = context(Date.now(), [], []);
    await task.start(ctx);
    await until(async () => (await own.server.api.toxics(own.proxy)).length === 1);
    ctx.abort();
    await Promise.all([task.stop(), task.stop()]);
    expect(await own.server.api.toxics(own.proxy)).toEqual([]);
    expect((await own.server.api.proxy(own.proxy))?.enabled).toBe(true);
    const [f1, f2] = task.result();
    expect(f1).toMatchObject({ status: 'reverted', endedBy: 'stop' });
    expect(f1!.revertedAt! - ctx.clock.startedAtMs).toBeLessThan(30_000);
    expect(f2).toMatchObject({ status: 'skipped', injectedAt: null, revertedAt: null });
  });
});

describe('fault timeline task: no journal, no fault', () => {
  it('when the journal cannot be written the fault is not injected and the run is stopped', async () => {
    const dir = tempProject({ 'not-a-dir': 'x' }, { scenarios: false, localProfile: false });
    const chaos: ChaosPlan = { provider: 'toxiproxy', faults: [fault('f1-latency', 'latency', { latencyMs: 300 }, 0, 5000)] };
    const task = faultTimeline({ chaos, provider, journal: { file: `${dir}/not-a-dir/${JOURNAL_FILE}`, profile: 'local', runId: 'r3' } });
    const stops: string[] = [];
    await task.start(context(Date.now(), [], stops));
    await until(() => stops.length > 0);
    await task.stop();
    expect(stops[0]).toMatch(/^fault f1-latency was not injected: the chaos journal could not be written: EEXIST: file already exists, mkdir /);
    expect(task.result()[0]).toMatchObject({ status: 'inject-failed', injectedAt: null });
    expect(await own.server.api.toxics(own.proxy)).toEqual([]);
  });
});

describe('prepareChaos', () => {
  const planWith = (chaos: Plan['chaos']) => ({ target: { name: 'shop' }, chaos }) as Plan;
  const setup = () => ({ baseUrl: target.url, runDir: tempProject({}, { scenarios: false, localProfile: false }), runId: 'r', cwd: process.cwd(), env: process.env });

  it('with an existing Toxiproxy named in the profile: k6 keeps baseUrl, faults go to that proxy, nothing is started', async () => {
    const chaos: Plan['chaos'] = { provider: 'toxiproxy', toxiproxy: { url: own.server.url, proxy: own.proxy }, faults: [fault('f1-latency', 'latency', { latencyMs: 100 })] };
    const prepared = await prepareChaos(planWith(chaos), setup());
    expect(prepared?.baseUrl).toBe(target.url);
    expect(prepared?.provider.ref).toEqual({ name: 'toxiproxy', url: own.server.url, proxy: own.proxy });
    await prepared?.cleanup(); // leaves someone else's Toxiproxy alone
    expect(await own.server.api.proxy(own.proxy)).not.toBeNull();
  });

  it('an existing Toxiproxy without that proxy is a RuntimeError; no faults means no chaos', async () => {
    const chaos: Plan['chaos'] = { provider: 'toxiproxy', toxiproxy: { url: own.server.url, proxy: 'nope' }, faults: [fault('f1-down', 'down', {})] };
    const e = (await prepareChaos(planWith(chaos), setup()).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toBe(`Toxiproxy at ${own.server.url} has no proxy "nope"`);
    expect(await prepareChaos(planWith(undefined), setup())).toBeNull();
  });

  it('refuses to put its own Toxiproxy in front of an https target, before starting anything', async () => {
    const e = (await ownToxiproxy('https://shop.example.com', 'p', { cwd: process.cwd(), env: { PATH: '' } }).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(/cannot sit in front of https:\/\/shop\.example\.com: it forwards TCP/);
  });
});

describe('finding toxiproxy-server', () => {
  const repo = process.cwd();
  it('looks in each place once (in this repository the project and the package are one)', () => {
    const { own, onPath } = toxiproxyCandidates({ PATH: '/usr/local/bin:/usr/bin' }, repo, '/home/u/.cache/loadctl');
    expect(own).toEqual([join(repo, '.tools', 'bin', 'toxiproxy-server'), '/home/u/.cache/loadctl/bin/toxiproxy-server']);
    expect(onPath).toEqual(['/usr/local/bin/toxiproxy-server', '/usr/bin/toxiproxy-server']);
  });

  it('when it is missing, says where it looked and every way to get it', () => {
    const e = (() => {
      try {
        return locateToxiproxy({ LOADCTL_TOXIPROXY: '/nonexistent/toxiproxy-server' }, repo);
      } catch (x) {
        return x;
      }
    })() as RuntimeError;
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toBe('toxiproxy-server not found (tried LOADCTL_TOXIPROXY=/nonexistent/toxiproxy-server); the chaos scenario and profiles with a chaos: block need it');
    expect(e.hint).toContain('bash scripts/install-toxiproxy.sh');
    expect(e.hint).toContain(`go install github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_TESTED}`);
    expect(e.hint).toMatch(/brew install toxiproxy.*releases.*ghcr\.io\/shopify\/toxiproxy/);
  });
});
