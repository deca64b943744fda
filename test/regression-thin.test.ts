import { describe, expect, it } from 'vitest';
import type { BaselineRun, MetricValues, RunValues } from '../src/baselines/types.js';
import { judgeRegression } from '../src/judge/baseline/regression.js';

const m = (p50: number, requests: number): MetricValues => ({ p50, p95: p50 * 2, p99: p50 * 3, errorRate: 0, rps: 100, requests });
const values = (p50: number, thin: number): RunValues => ({ overall: m(p50, 5000), byName: { thin: m(p50, thin), busy: m(p50, 4000) } });
const run = (i: number, v: RunValues): BaselineRun => ({
  runId: `r${i}`,
  startedAt: '2026-11-25T00:00:00Z',
  status: 'pass',
  fingerprint: { planHash: 'h', k6Version: '2.2.0', machine: 'm' },
  values: v,
  histograms: { overall: '', byName: {} },
});

describe('thin per-request tails', () => {
  const pool = [10, 10.2, 9.9, 10.1, 10].map((p, i) => run(i, values(p, 150)));
  const checks = judgeRegression(pool, [values(10, 150)]);
  const names = checks.map((c) => c.name);
  it('are not judged where a run has too few requests for the percentile', () => {
    expect(names).toContain('p50 latency vs baseline (thin)');
    expect(names).not.toContain('p95 latency vs baseline (thin)');
    expect(names).not.toContain('p99 latency vs baseline (thin)');
  });
  it('still judges busy requests and the overall numbers in full', () => {
    for (const k of ['p50', 'p95', 'p99']) {
      expect(names).toContain(`${k} latency vs baseline (overall)`);
      expect(names).toContain(`${k} latency vs baseline (busy)`);
    }
  });
});
