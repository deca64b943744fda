// Custom k6 metrics against the baseline, judged like the HTTP numbers: a custom Trend's
// percentiles as latencies, a custom Rate as an error rate, the checks' rate the other way round
// (lower is worse); thin tails are not judged. Values come from k6Values on real aggregates.
import { describe, expect, it } from 'vitest';
import type { BaselineRun, RunValues } from '../src/baselines/types.js';
import { k6Values } from '../src/judge/baseline/k6-values.js';
import { judgeRegression } from '../src/judge/baseline/regression.js';
import { encodeHistogram, newHistogram } from '../src/results/histograms.js';
import type { K6Metrics, MetricSeries } from '../src/results/k6-metric-types.js';
import { gaussian, seededRandom } from '../src/util/random.js';

const rand = seededRandom(7);
const noise = (sd: number) => Math.exp(sd * gaussian(rand));

/** K6Metrics of a run: tunnel_setup (ms) around `setupMs`, business_errors at `errors`, checks at `passRate`. */
function k6Run(setupMs: number, errors: number, passRate: number, n = 2000): K6Metrics {
  const h = newHistogram(64, 3);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = setupMs * noise(0.2);
    h.recordValue(Math.round(v * 1000));
    sum += v;
  }
  const series = (metric: string, type: MetricSeries['type'], extra: Partial<MetricSeries>): MetricSeries => ({
    metric, type, contains: 'default', tags: {}, count: n, sum: 0, min: 0, max: 1, nonZero: 0, last: 0, lastAt: 0, ...extra,
  });
  return {
    tags: [], durationMs: 20_000, overflow: 0,
    series: [
      series('tunnel_setup', 'trend', { contains: 'time', sum, min: 0, max: setupMs * 3, hist: encodeHistogram(h) }),
      series('business_errors', 'rate', { nonZero: Math.round(errors * n) }),
      series('checks', 'rate', { nonZero: Math.round(passRate * n) }),
      series('jobs_created', 'counter', { sum: 2 * n }),
    ],
  };
}

const http = { p50: 8, p95: 17, p99: 40, errorRate: 0, rps: 170, requests: 1400 };
function values(setupMs: number, errors: number, passRate: number, n?: number): RunValues {
  const k6 = k6Values(k6Run(setupMs * noise(0.02), errors, passRate, n))!;
  return { overall: http, byName: {}, k6, k6Time: ['tunnel_setup'] };
}
const asRun = (v: RunValues, i: number): BaselineRun => ({
  runId: `r${i}`, startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), status: 'pass',
  fingerprint: { planHash: 'a', k6Version: '2.2.0', machine: 'm' }, values: v, histograms: { overall: '', byName: {} },
});
const pool = Array.from({ length: 6 }, (_, i) => asRun(values(100, 0.02, 1), i));
const byScope = (checks: ReturnType<typeof judgeRegression>) => Object.fromEntries(checks.filter((c) => c.scope !== 'overall').map((c) => [`${c.metric} ${c.scope}`, c.status]));

describe('custom k6 metrics against the baseline', () => {
  it('keeps trends, rates and checks, not counters', () => {
    const v = k6Values(k6Run(100, 0.02, 1))!;
    expect(Object.keys(v).sort()).toEqual(['business_errors:n', 'business_errors:rate', 'checks:n', 'checks:rate', 'tunnel_setup:n', 'tunnel_setup:p50', 'tunnel_setup:p95', 'tunnel_setup:p99']);
  });

  it('passes an unchanged run', () => {
    const checks = judgeRegression(pool, [values(100, 0.02, 1), values(100, 0.02, 1)]);
    expect(byScope(checks)).toEqual({
      'rate business_errors': 'pass', 'rate checks': 'pass',
      'p50 tunnel_setup': 'pass', 'p95 tunnel_setup': 'pass', 'p99 tunnel_setup': 'pass',
    });
    expect(checks.find((c) => c.scope === 'tunnel_setup' && c.metric === 'p95')).toMatchObject({ unit: 'ms', name: 'p95 vs baseline (tunnel_setup)' });
  });

  it('fails a slower custom trend, a higher custom error rate and fewer passing checks', () => {
    const checks = judgeRegression(pool, [values(150, 0.08, 0.9), values(150, 0.08, 0.9)]);
    expect(byScope(checks)).toEqual({
      'rate business_errors': 'fail', 'rate checks': 'fail',
      'p50 tunnel_setup': 'fail', 'p95 tunnel_setup': 'fail', 'p99 tunnel_setup': 'fail',
    });
    expect(checks.find((c) => c.scope === 'checks')!.reason).toMatch(/under the baseline/);
  });

  it('leaves thin tails out (p99 needs 2000 samples, p95 400)', () => {
    const thinPool = Array.from({ length: 6 }, (_, i) => asRun(values(100, 0.02, 1, 500), i));
    const checks = judgeRegression(thinPool, [values(100, 0.02, 1, 500)]);
    expect(Object.keys(byScope(checks)).filter((k) => k.endsWith('tunnel_setup')).sort()).toEqual(['p50 tunnel_setup', 'p95 tunnel_setup']);
  });
});
