import { describe, expect, it } from 'vitest';
import { abortReason } from '../src/judge/sla/abort.js';
import type { SeriesPoint } from '../src/results/series-types.js';

const point = (errorRate: number, p99: number, requests = 100): SeriesPoint => ({
  tMs: 0,
  rps: requests,
  errorRate,
  p50: p99 / 3,
  p95: p99 / 2,
  p99,
  vus: 5,
  requests,
  failed: Math.round(errorRate * requests),
});

describe('abortReason', () => {
  const rule = { errorRate: 0.5, p99: 2000, forSeconds: 3 };
  it('stops only when every bucket of the window breaches', () => {
    expect(abortReason(rule, [point(0.9, 10), point(0.9, 10), point(0.9, 10)], 1000)).toMatch(/error rate above 50% for 3 s \(last second: 90%\)/);
    expect(abortReason(rule, [point(0.9, 10), point(0.1, 10), point(0.9, 10)], 1000)).toBeNull();
  });
  it('needs a full window of data first', () => {
    expect(abortReason(rule, [point(1, 10), point(1, 10)], 1000)).toBeNull();
  });
  it('judges latency limits too', () => {
    expect(abortReason(rule, [point(0, 2500), point(0, 2600), point(0, 3000)], 1000)).toMatch(/p99 latency above 2000 ms/);
  });
  it('does nothing without a rule or with empty buckets', () => {
    expect(abortReason(undefined, [point(1, 1)], 1000)).toBeNull();
    expect(abortReason(rule, [point(1, 1, 0), point(1, 1), point(1, 1)], 1000)).toBeNull();
  });
  it('counts the window in buckets of the run', () => {
    const half = { errorRate: 0.5, forSeconds: 1 };
    expect(abortReason(half, [point(0, 1), point(1, 1), point(1, 1)], 500)).not.toBeNull();
  });
});
