// The demo target's capacity and autoscaler under real k6 load (short constant-arrival-rate runs),
// the autoscaler timed through a real probe of its /metrics, and the capacity search driven by real
// k6 steps. Spawns dist/demo/main.js: build first (`npm run build`).
import { afterAll, describe, expect, it } from 'vitest';
import { analyseCapacity } from '../src/judge/capacity.js';
import { reactionTimes } from '../src/judge/scaling.js';
import { probeRunner } from '../src/probes/runner.js';
import { toProbes } from '../src/probes/settings.js';
import { searchCapacity } from '../src/search/driver.js';
import type { DemoSettings, Sla } from '../src/config/types.js';
import type { RunningTarget } from '../src/target/index.js';
import { besideContext } from './helpers/beside.js';
import { k6Step } from './helpers/k6-step.js';

// The built target: it spawns dist/demo/main.js (npm test builds first).
const { startDemoTarget } = (await import(new URL('../dist/target/index.js', import.meta.url).href)) as typeof import('../src/target/index.js');
const targets: RunningTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((t) => t.stop()));
});
async function demo(settings: DemoSettings): Promise<string> {
  const t = await startDemoTarget(settings);
  targets.push(t);
  return t.baseUrl;
}
const goodput = (m: { requests: number; failed: number; seconds: number }) => (m.requests - m.failed) / m.seconds;
const SLA: Sla = { p95: 250, errorRate: 0.01 };

describe('demo target capacity under real k6', () => {
  it.each([300, 600])('serves about %i req/s when offered one and a half times that, the rest fast 503s', async (limit) => {
    const url = await demo({ capacity: { rps: limit } });
    const over = await k6Step(`${url}/items/1`, limit * 1.5, 8000);
    expect(goodput(over.measure)).toBeGreaterThan(limit * 0.9);
    expect(goodput(over.measure)).toBeLessThan(limit * 1.1);
    expect(over.measure.failed / over.measure.requests).toBeGreaterThan(0.2);
    const under = await k6Step(`${url}/items/1`, limit * 0.6, 5000);
    expect(under.measure.failed).toBe(0);
    // Under the limit a request takes its service time (concurrency / rps), not a queue's worth.
    expect(under.measure.latency!.p95).toBeLessThan((10_000 / limit) * 2 + 20);
  }, 60_000);

  it('the autoscaler adds a replica after the configured delay, seen through a /metrics probe', async () => {
    const reactionSeconds = 4;
    const url = await demo({ capacity: { rps: 200 }, autoscaler: { reactionSeconds, maxReplicas: 3 } });
    const { ctx, abort } = besideContext(url);
    const probes = probeRunner(
      toProbes([
        // As a profile aimed at the demo writes it: the target's own /metrics (its port is chosen at start).
        { name: 'replicas', type: 'prometheus', url: '/metrics', metric: 'loadctl_demo_replicas', intervalSeconds: 0.25 },
        { name: 'capacity', type: 'prometheus', url: `${url}/metrics`, metric: 'loadctl_demo_capacity_rps', intervalSeconds: 0.25 },
      ]),
    );
    await probes.start(ctx);
    const step = await k6Step(`${url}/items/1`, 300, 10_000); // 150 % of one replica, 75 % of two
    abort();
    await probes.stop();
    const [replicas, capacity] = probes.result();
    const r = reactionTimes([{ name: 'load', atMs: step.startedAtMs, offered: 300 }], replicas!.points, step.endedAtMs);
    expect(r[0]!.replicasBefore).toBe(1);
    expect(r[0]!.replicasAfter).toBe(2);
    expect(Math.abs(r[0]!.reactionMs! - reactionSeconds * 1000)).toBeLessThanOrEqual(2000);
    // Two replicas carry 300/s below the threshold, so it stops there; capacity followed replicas.
    expect(Math.max(...replicas!.points.map((p) => p.value ?? 0))).toBe(2);
    expect(Math.max(...capacity!.points.map((p) => p.value ?? 0))).toBe(400);
    expect(replicas!.points.every((p) => p.value !== null)).toBe(true);
  }, 60_000);

  it('the capacity search finds the limit within 15 % with real k6 steps', async () => {
    const limit = 300;
    const url = await demo({ capacity: { rps: limit } });
    const result = await searchCapacity(
      async (rate, ms) => {
        const { measure } = await k6Step(`${url}/items/1`, rate, ms);
        const [row] = analyseCapacity([{ name: `${rate}/s`, offered: rate, startMs: 0, endMs: ms, judgeFromMs: 0, measure }], { sla: SLA }).steps;
        return { sustained: row!.verdict === 'sustained', reason: row!.reason, achievedRps: row!.achievedRps, p95: row!.latency?.p95 ?? null };
      },
      { start: 100, ceiling: 2000, precision: 0.1, stepMs: 4000, budgetMs: 150_000 },
    );
    expect(result.stop).toBe('converged');
    expect(result.capacity!).toBeGreaterThanOrEqual(limit * 0.85);
    expect(result.capacity!).toBeLessThanOrEqual(limit * 1.15);
    // The first failed rate above it was refused for a reason in words.
    expect(result.trials.find((t) => t.rate === result.bracket[1])?.reason).toMatch(/errors|p95|achieved|dropped/);
  }, 180_000);
});
