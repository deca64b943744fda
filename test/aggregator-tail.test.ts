import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/results/aggregator.js';

describe('the last, partial time bucket', () => {
  it('reports its rate over the part of the bucket the run covered', () => {
    const agg = new Aggregator({ bucketMs: 1000 });
    // 10 requests/s for 1.5 s: a full bucket, then half a bucket.
    for (let i = 0; i < 15; i++) {
      const t = 1_000_000 + i * 100;
      agg.add({ metric: 'http_reqs', timeMs: t, value: 1 });
      agg.add({ metric: 'http_req_duration', timeMs: t, value: 5 });
    }
    const { series } = agg.finish();
    expect(series).toHaveLength(2);
    expect(series[0]!.rps).toBe(10);
    expect(series[1]!.requests).toBe(5);
    expect(series[1]!.rps).toBeGreaterThan(9);
    expect(series[1]!.rps).toBeLessThan(13);
  });
});
