// The SLA of a chaos run is judged outside its fault windows: numbers rebuilt from the per-bucket
// histograms (overall and per request name) with the excluded buckets left out.
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/results/aggregator.js';
import { metricsExcluding } from '../src/results/excluding.js';

const T0 = 1_700_000_000_000;

/** 10 s of 1 s buckets: `read` at 10 ms and `write` at 20 ms, both at 1 s and half failing in 3..5. */
function run() {
  const agg = new Aggregator({ bucketMs: 1000, bucketsByName: true });
  for (let s = 0; s < 10; s++) {
    const inFault = s >= 3 && s <= 5;
    for (let k = 0; k < 20; k++) {
      const t = T0 + s * 1000 + k * 40;
      for (const [name, ms] of [['read', 10], ['write', 20]] as const) {
        agg.add({ metric: 'http_reqs', timeMs: t, value: 1, name });
        agg.add({ metric: 'http_req_duration', timeMs: t, value: inFault ? 1000 : ms, name });
        agg.add({ metric: 'http_req_failed', timeMs: t, value: inFault && k % 2 === 0 ? 1 : 0, name });
      }
    }
  }
  return agg.finish();
}

describe('metricsExcluding', () => {
  const agg = run();
  const excluded = agg.series.map((_, i) => i >= 3 && i <= 5);

  it('the whole run sees the fault', () => {
    expect(agg.metrics.http.latencyMs.p95).toBeGreaterThan(900);
    expect(agg.metrics.http.failed).toBe(60);
  });

  it('outside it, overall and per request: the healthy numbers, counts of the kept buckets only', () => {
    const m = metricsExcluding(agg, excluded);
    expect(m.http.requests).toBe(7 * 40);
    expect(m.http.failed).toBe(0);
    expect(m.http.errorRate).toBe(0);
    expect(m.http.latencyMs.p95).toBeCloseTo(20, 0);
    expect(m.http.rps).toBeCloseTo(40, 5);
    expect(m.http.byName.read).toMatchObject({ requests: 140, failed: 0 });
    expect(m.http.byName.read!.latencyMs.p99).toBeCloseTo(10, 0);
    expect(m.http.byName.write!.latencyMs.p50).toBeCloseTo(20, 0);
  });

  it('excluding nothing gives back the whole run', () => {
    const m = metricsExcluding(agg, agg.series.map(() => false));
    expect(m.http.requests).toBe(agg.metrics.http.requests);
    expect(m.http.failed).toBe(agg.metrics.http.failed);
    // Bucket histograms keep 2 significant digits (the whole-run ones 3): within 1 %.
    expect(Math.abs(m.http.latencyMs.p95 / agg.metrics.http.latencyMs.p95 - 1)).toBeLessThan(0.01);
    expect(m.http.byName.write!.failed).toBe(agg.metrics.http.byName.write!.failed);
  });
});
