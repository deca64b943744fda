// The ordinary SLA judges the run outside its fault windows: FaultAwareAggregator keeps a second
// aggregate of the samples outside them, decided live as the records of inject and revert change.
import { describe, expect, it } from 'vitest';
import { FaultAwareAggregator, touchesFault } from '../src/chaos/outside-aggregator.js';
import type { FaultRecord } from '../src/chaos/types.js';
import { bucketsInFaults } from '../src/judge/chaos.js';

const T0 = 1_700_000_000_000;
const fault: FaultRecord = { id: 'f1-latency', kind: 'latency', params: { latencyMs: 500 }, provider: 'toxiproxy', plannedStartMs: 2000, plannedEndMs: 4000, injectedAt: null, revertedAt: null, status: 'skipped' };

describe('touchesFault', () => {
  it('a window is open from inject until revert; never-injected faults have none', () => {
    const open = { ...fault, injectedAt: T0 + 2000 };
    const closed = { ...open, revertedAt: T0 + 4000 };
    expect(touchesFault([fault], T0 + 3000, T0 + 3000)).toBe(false);
    expect(touchesFault([open], T0 + 1999, T0 + 1999)).toBe(false);
    expect(touchesFault([open], T0 + 99_000, T0 + 99_000)).toBe(true);
    expect(touchesFault([closed], T0 + 3999, T0 + 3999)).toBe(true);
    expect(touchesFault([closed], T0 + 4000, T0 + 4000)).toBe(false);
    expect(touchesFault([closed], T0 + 1500, T0 + 2499)).toBe(true); // a slot overlapping the start
  });
});

describe('FaultAwareAggregator', () => {
  it('keeps per-request numbers outside the fault windows, decided as the records change', () => {
    const rec = { ...fault };
    const agg = new FaultAwareAggregator({ bucketMs: 1000 }, () => [rec]);
    for (let t = 0; t < 6000; t += 100) {
      // The timeline records the inject and the revert while samples stream in.
      if (t === 2000) Object.assign(rec, { injectedAt: T0 + 2000, status: 'reverted' });
      if (t === 4000) rec.revertedAt = T0 + 4000;
      const slow = t >= 2000 && t < 4000;
      const name = t % 200 === 0 ? 'read' : 'write';
      agg.add({ metric: 'http_reqs', timeMs: T0 + t, value: 1, name });
      agg.add({ metric: 'http_req_failed', timeMs: T0 + t, value: slow ? 1 : 0, name });
      agg.add({ metric: 'http_req_duration', timeMs: T0 + t, value: slow ? 500 : 10, name });
    }
    const whole = agg.finish();
    expect(whole.metrics.http.requests).toBe(60);
    expect(whole.metrics.http.byName.read!.latencyMs.p95).toBeGreaterThan(490);
    const inFault = bucketsInFaults(whole.series, whole.startMs, 1000, [rec]);
    expect(inFault).toEqual([false, false, true, true, false, false]);
    const out = agg.outsideMetrics(inFault);
    expect(out.http).toMatchObject({ requests: 40, failed: 0, errorRate: 0, rps: 10 });
    expect(out.http.latencyMs.max).toBeLessThan(11);
    expect(out.http.byName.read).toMatchObject({ requests: 20, rps: 5 });
    expect(out.http.byName.write!.latencyMs.p95).toBeLessThan(11);
  });
});
