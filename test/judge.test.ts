import { describe, expect, it } from 'vitest';
import { judgeSla } from '../src/judge/sla/sla.js';
import { fromChecks } from '../src/judge/sla/verdict.js';
const verdictOf = (checks: Parameters<typeof fromChecks>[0]) => fromChecks(checks).status;
const failureReason = (checks: Parameters<typeof fromChecks>[0]) => fromChecks(checks).reason;
import type { HttpStats, Metrics } from '../src/results/types.js';

function stats(p95: number, requests = 100, failed = 0): HttpStats {
  return {
    requests,
    failed,
    rps: requests / 10,
    errorRate: requests ? failed / requests : 0,
    latencyMs: { min: 1, mean: p95 / 2, p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 1.5, max: p95 * 2 },
  };
}

function metrics(overall: HttpStats, byName: Record<string, HttpStats> = {}): Metrics {
  return {
    http: { ...overall, byName },
    iterations: overall.requests,
    droppedIterations: 0,
    checks: { passes: 0, fails: 0 },
    vusMax: 1,
    dataSentBytes: 0,
    dataReceivedBytes: 0,
  };
}

describe('judgeSla', () => {
  it('passes when every measured value is within its limit', () => {
    const checks = judgeSla({ p95: 200, errorRate: 0.01, minRps: 5 }, metrics(stats(150)));
    expect(checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    expect(verdictOf(checks)).toBe('pass');
  });
  it('names the breached check with its measured value', () => {
    const checks = judgeSla({ p95: 200 }, metrics(stats(812)));
    expect(checks[0]).toMatchObject({ name: 'p95 latency (overall)', status: 'fail', measured: 812, limit: '<= 200 ms' });
    expect(failureReason(checks)).toBe('p95 latency (overall): p95 latency 812 ms is over the limit 200 ms');
    expect(verdictOf(checks)).toBe('fail');
  });
  it('judges error rate and throughput in the right direction', () => {
    const checks = judgeSla({ errorRate: 0.01, minRps: 50 }, metrics(stats(10, 100, 5)));
    expect(checks.map((c) => [c.metric, c.status])).toEqual([
      ['errorRate', 'fail'],
      ['rps', 'fail'],
    ]);
  });
  it('judges per-request limits on that request alone', () => {
    const checks = judgeSla({ p95: 1000, requests: { slow: { p95: 300 } } }, metrics(stats(100), { slow: stats(400) }));
    expect(checks.find((c) => c.scope === 'slow')).toMatchObject({ status: 'fail', measured: 400 });
  });
  it('names what a per-request check covers, as the overall ones do (a chaos run: outside faults)', () => {
    const checks = judgeSla({ p95: 1000, errorRate: 0.01, requests: { slow: { p95: 300 } } }, metrics(stats(100), { slow: stats(400) }), 'outside faults');
    expect(checks.map((c) => c.name)).toEqual(['p95 latency (outside faults)', 'error rate (outside faults)', 'p95 latency (slow, outside faults)']);
    expect(checks[2]).toMatchObject({ scope: 'slow', status: 'fail', reason: 'p95 latency 400 ms is over the limit 300 ms' });
    expect(judgeSla({ requests: { slow: { p95: 300 } } }, metrics(stats(100), { slow: stats(200) }))[0]!.name).toBe('p95 latency (slow)');
  });
  it('is inconclusive, not pass, when a request was never made', () => {
    const checks = judgeSla({ requests: { checkout: { p95: 300 } } }, metrics(stats(100)));
    expect(checks[0]).toMatchObject({ status: 'inconclusive', measured: null });
    expect(verdictOf(checks)).toBe('inconclusive');
  });
});
