// The demo target's capacity under real k6 load (short constant-arrival-rate runs): about its limit
// served, the rest refused fast. Spawns dist/demo/main.js: build first (`npm run build`).
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoSettings } from '../src/config/types.js';
import type { RunningTarget } from '../src/target/index.js';
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
  // The autoscaler's reaction seen through a /metrics probe, and the capacity search, are tested
  // end to end through the CLI in e2e-scaling.test.ts.
});
