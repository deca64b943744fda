// Real k6 through loadctl's own Toxiproxy (prepareChaos): the fault timeline, on the run's clock,
// slows k6's own requests inside the window and only there; and when k6 is killed mid-fault,
// stopping the task (what the pipeline does on every exit path) reverts it.
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../src/chaos/journal.js';
import { prepareChaos } from '../src/chaos/prepare.js';
import { ToxiproxyApi } from '../src/chaos/toxiproxy-api.js';
import type { LoadedProfile } from '../src/config/types.js';
import { noLive } from './helpers/beside.js';
import type { BesideContext } from '../src/pipeline/beside.js';
import { chaosVerdict } from '../src/judge/analyses/chaos-checks.js';
import { buildPlan } from '../src/plan/plan.js';
import { Aggregator } from '../src/results/aggregator.js';
import { consumeSamples } from '../src/k6/stream.js';
import { okServer, until } from './helpers/chaos.js';
import { realK6, tempProject } from './helpers/cli.js';

const SCRIPT = `import http from 'k6/http';
import { sleep } from 'k6';
export const options = { vus: 2, duration: __ENV.DURATION };
export default function () { http.get(__ENV.BASE_URL); sleep(0.05); }
`;

async function setUp(fault: string, durationMs: number) {
  const target = await okServer();
  const dir = tempProject({ 'load.js': SCRIPT }, { scenarios: false, localProfile: false });
  const profile: LoadedProfile = { name: 'svc', file: 'profiles/svc.yaml', envRefs: [], profile: { baseUrl: target.url, workload: {} } };
  const plan = buildPlan({ scenario: { name: 'load', file: 'load.js', spec: null }, profile, flags: { durationMs, faults: [fault] } });
  const chaos = (await prepareChaos(plan, { baseUrl: target.url, runDir: dir, runId: 'k6-test', cwd: dir, env: process.env }))!;
  const ac = new AbortController();
  const startK6 = (out: string) => {
    const k6 = execa(realK6, ['run', '--quiet', '--no-usage-report', '--out', `json=${out}`, join(dir, 'load.js')], {
      env: { ...process.env, BASE_URL: chaos.baseUrl, DURATION: `${durationMs / 1000}s`, K6_NO_USAGE_REPORT: 'true' },
      reject: false,
      timeout: 60_000,
    });
    const ctx: BesideContext = { plan, clock: { startedAtMs: Date.now(), now: () => Date.now() }, log: () => {}, stopRun: () => {}, signal: ac.signal, live: noLive };
    return { k6, ctx };
  };
  return { dir, chaos, startK6, abort: () => ac.abort(), target };
}

/** k6's http_req_duration samples: [epoch ms at completion, ms]. */
function durations(file: string): [number, number][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"Point"') && l.includes('"http_req_duration"'))
    .map((l) => JSON.parse(l) as { data: { time: string; value: number } })
    .map((p) => [Date.parse(p.data.time), p.data.value]);
}

describe('chaos with real k6 (own Toxiproxy in front of a local server)', () => {
  it('k6 requests are slowed inside the fault window and not outside it; the analysis sees it recover', async () => {
    const s = await setUp('latency=300ms@3s+3s', 12_000);
    const out = join(s.dir, 'samples.json');
    const { k6, ctx } = s.startK6(out);
    await s.chaos.task.start(ctx);
    const r = await k6;
    s.abort();
    await s.chaos.task.stop();
    await s.chaos.cleanup();
    expect(r.exitCode).toBe(0);
    const [rec] = s.chaos.task.result();
    expect(rec).toMatchObject({ id: 'f1-latency', status: 'reverted' });
    const samples = durations(out);
    // Samples are stamped when the response completes. Margins of 400 ms: a request in flight at
    // inject is delayed at most once, and one in flight at revert is let through early.
    const inside = samples.filter(([t]) => t >= rec!.injectedAt! + 400 && t <= rec!.revertedAt! - 400).map(([, v]) => v);
    const outside = samples.filter(([t]) => t < rec!.injectedAt! || t >= rec!.revertedAt! + 400).map(([, v]) => v);
    expect(inside.length).toBeGreaterThan(5);
    expect(outside.length).toBeGreaterThan(20);
    expect(Math.min(...inside)).toBeGreaterThanOrEqual(300);
    expect(outside.sort((a, b) => a - b)[Math.floor(outside.length / 2)]).toBeLessThan(50);

    // The same samples through loadctl's aggregator and the chaos judge.
    const agg = new Aggregator({ bucketMs: 1000 });
    await consumeSamples(createReadStream(out), 'json', agg, { parsed: 0, malformed: 0 });
    const a = agg.finish();
    const { faults, checks } = chaosVerdict({ series: a.series, originMs: a.startMs, bucketMs: 1000, faults: s.chaos.task.result(), sla: { p95: 100 } });
    expect(faults[0]!.during!.p95).toBeGreaterThanOrEqual(300);
    expect(faults[0]!.baseline!.p95).toBeLessThan(50);
    expect(faults[0]!.recovery.status).toBe('recovered');
    expect(faults[0]!.recovery.timeToRecoverMs).toBeLessThanOrEqual(1000);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['recovery time (f1-latency)', 'pass'],
      ['error rate during fault (f1-latency)', 'pass'],
    ]);
  });

  it('k6 SIGKILLed mid-fault: stopping the task reverts the fault and removes the journal; cleanup stops the own Toxiproxy', async () => {
    const s = await setUp('latency=300ms@1s+20s', 30_000);
    const { k6, ctx } = s.startK6(join(s.dir, 'samples.json'));
    await s.chaos.task.start(ctx);
    const ref = s.chaos.provider.ref as { url: string; proxy: string };
    const api = new ToxiproxyApi(ref.url);
    await until(async () => (await api.toxics(ref.proxy)).length === 1);
    expect(JSON.parse(readFileSync(join(s.dir, JOURNAL_FILE), 'utf8')).active).toHaveLength(1);
    k6.kill('SIGKILL');
    const r = await k6;
    expect(r.signal).toBe('SIGKILL');
    s.abort(); // the run is over
    await s.chaos.task.stop();
    expect(await api.toxics(ref.proxy)).toEqual([]);
    expect((await api.proxy(ref.proxy))?.enabled).toBe(true);
    const [rec] = s.chaos.task.result();
    expect(rec!.status).toBe('reverted');
    expect(rec!.revertedAt! - ctx.clock.startedAtMs).toBeLessThan(rec!.plannedEndMs);
    expect(() => readFileSync(join(s.dir, JOURNAL_FILE))).toThrow(/ENOENT/);
    await s.chaos.cleanup();
    await expect(api.version()).rejects.toThrow(/did not answer/);
  });
});
