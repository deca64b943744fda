// The demo target's capacity gate and autoscaler on a fake clock: queueing and refusals at the
// limit, replicas added after the delay while load stays high (up to the maximum), and removed
// after load stays low. The real-time behaviour under k6 is in demo-capacity.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAutoscaler } from '../src/demo/autoscaler.js';
import { createCapacityGate } from '../src/demo/capacity.js';

const now = () => Date.now();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Offers `rps` requests per second for `seconds`, evenly spaced; counts what was served and refused. */
function offer(gate: ReturnType<typeof createCapacityGate>, rps: number, seconds: number) {
  const out = { served: 0, refused: 0 };
  for (let i = 0; i < rps * seconds; i++) {
    gate.admit(() => out.served++, () => out.refused++);
    vi.advanceTimersByTime(1000 / rps);
  }
  return out;
}

describe('capacity gate', () => {
  it('serves concurrency × replicas / serviceMs, queues up to the limit, refuses the rest at once', () => {
    const gate = createCapacityGate({ rps: 100, concurrency: 5, queue: 20 }, now);
    const under = offer(gate, 80, 5);
    vi.advanceTimersByTime(1000);
    expect(under).toEqual({ served: 400, refused: 0 });
    const over = offer(gate, 200, 5);
    vi.advanceTimersByTime(1000);
    // 100/s for 5 s, plus what the queue held when the offer stopped.
    expect(over.served).toBeGreaterThanOrEqual(500);
    expect(over.served).toBeLessThanOrEqual(500 + 20 + 5);
    expect(over.served + over.refused).toBe(1000);
    expect(gate.gauges()).toMatchObject({ replicas: 1, capacityRps: 100, inFlight: 0, queueDepth: 0, served: under.served + over.served, rejected: over.refused });
  });

  it('shows the queue building up while overloaded', () => {
    const gate = createCapacityGate({ rps: 100, concurrency: 5, queue: 20 }, now);
    for (let i = 0; i < 40; i++) gate.admit(() => {}, () => {});
    expect(gate.gauges()).toMatchObject({ inFlight: 5, queueDepth: 20, rejected: 15 });
  });
});

describe('autoscaler', () => {
  it('adds a replica after load stays high for the delay, again while it stays high, up to the maximum', () => {
    const gate = createCapacityGate({ rps: 100 }, now);
    const stop = startAutoscaler(gate, { reactionSeconds: 3, maxReplicas: 3 }, now);
    offer(gate, 100, 2.9); // at 80 % within the first second, so high from ~0.8 s
    expect(gate.gauges().replicas).toBe(1);
    offer(gate, 100, 1.2);
    expect(gate.gauges().replicas).toBe(2);
    // 250/s is above 80 % of two replicas too (from ~0.4 s after the change, once the last second
    // of arrivals holds 160): a third comes 3 s after that, and no fourth.
    offer(gate, 250, 3.1);
    expect(gate.gauges().replicas).toBe(2);
    offer(gate, 250, 0.7);
    expect(gate.gauges()).toMatchObject({ replicas: 3, capacityRps: 300 });
    offer(gate, 290, 8);
    expect(gate.gauges().replicas).toBe(3);
    stop();
  });

  it('removes a replica after load stays below half the threshold, only when asked to', () => {
    const gate = createCapacityGate({ rps: 100 }, now);
    const stop = startAutoscaler(gate, { reactionSeconds: 1, scaleDownSeconds: 4 }, now);
    offer(gate, 150, 3);
    const peak = gate.gauges().replicas;
    expect(peak).toBeGreaterThanOrEqual(2);
    offer(gate, 10, 3.5); // 10/s is under 40 % of any capacity here
    expect(gate.gauges().replicas).toBe(peak);
    offer(gate, 10, 1.5);
    expect(gate.gauges().replicas).toBe(peak - 1);
    stop();
    const fixed = createCapacityGate({ rps: 100 }, now);
    const stopFixed = startAutoscaler(fixed, { reactionSeconds: 1 }, now);
    offer(fixed, 150, 3);
    offer(fixed, 0.5, 20);
    expect(fixed.gauges().replicas).toBeGreaterThanOrEqual(2);
    stopFixed();
  });
});
