// Simulated runs for the judge's statistics tests: overall p50/p95/p99 and throughput that vary
// between runs (log-normal, sd `between`), each with within-run standard errors of about `within`
// as batch means estimate them (a chi-square draw on 9 degrees of freedom). Seeded by the caller.
import type { BaselineRun, MetricValues, RunValues } from '../../src/baselines/types.js';
import { gaussian } from '../../src/util/random.js';

export interface Shift {
  p50: number;
  p95: number;
  p99: number;
}

/** One run; `shift` multiplies each latency percentile (1 = no change). */
export function simulatedRun(rand: () => number, shift: Shift, between: number, within: number): RunValues {
  const noise = () => Math.exp(between * gaussian(rand));
  const est = () => {
    let chi = 0;
    for (let i = 0; i < 9; i++) chi += gaussian(rand) ** 2;
    return { se: within * Math.sqrt(chi / 9), df: 9 };
  };
  const overall: MetricValues = { p50: 40 * shift.p50 * noise(), p95: 50 * shift.p95 * noise(), p99: 60 * shift.p99 * noise(), errorRate: 0, rps: 300 * noise(), requests: 3000 };
  return { overall, byName: {}, within: { batches: 10, p50: est(), p95: est(), p99: est(), rps: est() } };
}

export const uniform = (s: number): Shift => ({ p50: s, p95: s, p99: s });

/** A run as a baseline pool entry. */
export const asRun = (values: RunValues, i: number): BaselineRun => ({ runId: `r${i}`, startedAt: '2026-01-01T00:00:00Z', status: 'pass', fingerprint: { planHash: 'a', k6Version: '2.2.0', machine: 'm' }, values, histograms: { overall: '', byName: {} } });
