// Chaos analysis on synthetic series: baseline, degradation, time to impact and to recover, error
// budget, the chaos checks, and which buckets the ordinary limits must skip.
import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../src/chaos/types.js';
import { analyzeFaults, bucketsToExclude } from '../src/judge/analyses/chaos.js';
import { readFileSync } from 'node:fs';
import { chaosVerdict, judgeChaos } from '../src/judge/analyses/chaos-checks.js';
import { resultProblems } from '../src/results/validate.js';
import type { SeriesPoint } from '../src/results/series-types.js';

const ORIGIN = 1_700_000_000_000;
const BUCKET = 1000;

/** 1 s buckets; `at(i)` gives bucket i's p95 and failures out of 100 requests. */
function series(n: number, at: (i: number) => { p95: number | null; failed?: number; requests?: number }): SeriesPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const { p95, failed = 0, requests = 100 } = at(i);
    return { tMs: i * BUCKET, rps: requests, errorRate: requests ? failed / requests : 0, p50: p95, p95, p99: p95, vus: 10, requests, failed };
  });
}

function record(over: Partial<FaultRecord> = {}): FaultRecord {
  return { id: 'f1-latency', kind: 'latency', params: { latencyMs: 1000 }, provider: 'toxiproxy', plannedStartMs: 30_000, plannedEndMs: 50_000, injectedAt: ORIGIN + 30_000, revertedAt: ORIGIN + 50_000, status: 'reverted', ...over };
}

// Baseline ~20 ms; 1 s latency from 30 s to 50 s; stragglers in bucket 50; healthy from 51 s.
const latencyRun = series(70, (i) => ({ p95: i >= 30 && i < 50 ? 1020 + (i % 3) : i === 50 ? 700 : 20 + (i % 4) }));

describe('analyzeFaults', () => {
  it('measures baseline, degradation, impact and recovery of a latency fault', () => {
    const [a] = analyzeFaults({ series: latencyRun, originMs: ORIGIN, bucketMs: BUCKET, faults: [record()], sla: { p95: 300, errorRate: 0.01 } });
    expect(a!.window).toEqual({ startMs: 30_000, endMs: 50_000 });
    expect(a!.baseline).toMatchObject({ buckets: 30, errorRate: 0, rps: 100 });
    expect(a!.baseline!.p95).toBeGreaterThanOrEqual(20);
    expect(a!.baseline!.p95).toBeLessThanOrEqual(23);
    expect(a!.during!.p95).toBeGreaterThanOrEqual(1020);
    expect(a!.during!.p95Peak).toBe(1022);
    expect(a!.timeToImpactMs).toBe(0);
    expect(a!.recovery).toEqual({ status: 'recovered', timeToRecoverMs: 1000, recoveredAtMs: 51_000 });
    expect(a!.errorBudget).toMatchObject({ failed: 0, excessFailed: 0, budget: 70, spent: 0 });
  });

  it('a fault still active at the end is "not recovered", and its check fails', () => {
    const down = series(60, (i) => (i >= 40 ? { p95: 1, failed: 100 } : { p95: 20 }));
    const f = record({ id: 'f1-down', kind: 'down', injectedAt: ORIGIN + 40_000, revertedAt: null, status: 'revert-failed', error: 'Toxiproxy did not answer' });
    const [a] = analyzeFaults({ series: down, originMs: ORIGIN, bucketMs: BUCKET, faults: [f], sla: {} });
    expect(a!.window).toEqual({ startMs: 40_000, endMs: 60_000 });
    expect(a!.recovery.status).toBe('not-recovered');
    const checks = judgeChaos([a!]);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['fault handled (f1-down)', 'fail'],
      ['recovery time (f1-down)', 'fail'],
    ]);
    expect(checks[1]!.reason).toBe('not recovered: the fault was still active when the run ended');
  });

  it('a fault cut short by the end of the run has not recovered; one reverted on schedule just before the end cannot tell', () => {
    const short = series(52, (i) => ({ p95: i >= 30 && i < 50 ? 1000 : 20 }));
    const [cut] = analyzeFaults({ series: short, originMs: ORIGIN, bucketMs: BUCKET, faults: [record({ endedBy: 'stop' })], sla: { p95: 300 } });
    expect(cut!.recovery).toMatchObject({ status: 'not-recovered', reason: 'the fault was still active when the run ended' });
    const [early] = analyzeFaults({ series: short, originMs: ORIGIN, bucketMs: BUCKET, faults: [record({ endedBy: 'schedule' })], sla: { p95: 300 } });
    expect(early!.recovery).toMatchObject({ status: 'unknown', reason: 'the run ended 2 s after the revert, too soon to see 3 healthy buckets' });
    expect(judgeChaos([early!])[0]).toMatchObject({ name: 'recovery time (f1-latency)', status: 'inconclusive' });
  });

  it('needs 3 healthy buckets in a row: a relapse restarts the count', () => {
    const flappy = series(70, (i) => ({ p95: i >= 30 && i < 50 ? 1000 : [50, 51].includes(i) ? 20 : i === 52 ? 900 : i >= 53 && i < 60 ? 500 : 20 }));
    const [a] = analyzeFaults({ series: flappy, originMs: ORIGIN, bucketMs: BUCKET, faults: [record()], sla: { p95: 300 } });
    expect(a!.recovery).toMatchObject({ status: 'recovered', timeToRecoverMs: 10_000, recoveredAtMs: 60_000 });
  });

  it('recovery is judged against the SLA or the pre-fault band, whichever is looser', () => {
    // Baseline already over the SLA (400 ms vs 300): back to ~410 counts as recovered (band).
    const slowBase = series(70, (i) => ({ p95: i >= 30 && i < 50 ? 1400 : i < 30 ? 400 : 410 }));
    const [band] = analyzeFaults({ series: slowBase, originMs: ORIGIN, bucketMs: BUCKET, faults: [record()], sla: { p95: 300 } });
    expect(band!.recovery).toMatchObject({ status: 'recovered', timeToRecoverMs: 0 });
    // Baseline 20 ms, SLA 300: settling at 250 ms is within the SLA.
    const settles = series(70, (i) => ({ p95: i >= 30 && i < 50 ? 1000 : i < 30 ? 20 : 250 }));
    const [sla] = analyzeFaults({ series: settles, originMs: ORIGIN, bucketMs: BUCKET, faults: [record()], sla: { p95: 300 } });
    expect(sla!.recovery.status).toBe('recovered');
    const [noSla] = analyzeFaults({ series: settles, originMs: ORIGIN, bucketMs: BUCKET, faults: [record()], sla: {} });
    expect(noSla!.recovery.status).toBe('not-recovered');
  });

  it('time to impact is the first bucket out of band; error budget counts failures beyond the baseline rate', () => {
    const late = series(70, (i) => ({ p95: 20, failed: i >= 35 && i < 52 ? 10 : 1 }));
    const [a] = analyzeFaults({ series: late, originMs: ORIGIN, bucketMs: BUCKET, faults: [record({ kind: 'network-loss' })], sla: { errorRate: 0.05 } });
    expect(a!.timeToImpactMs).toBe(5000);
    expect(a!.recovery).toMatchObject({ status: 'recovered', timeToRecoverMs: 2000 });
    // 30..51: 17 buckets × 10 + 5 × 1 = 175 failed of 2200 requests; baseline rate 1% → 22 expected.
    expect(a!.errorBudget).toMatchObject({ failed: 175, excessFailed: 153, budget: 350 });
    expect(a!.errorBudget.spent).toBeCloseTo(153 / 350, 6);
  });

  it('without a baseline or an SLA recovery cannot be judged: inconclusive', () => {
    const early = series(30, (i) => ({ p95: i < 10 ? 500 : 20 }));
    const [a] = analyzeFaults({ series: early, originMs: ORIGIN, bucketMs: BUCKET, faults: [record({ injectedAt: ORIGIN, revertedAt: ORIGIN + 10_000 })], sla: {} });
    expect(a!.baseline).toBeNull();
    const [check] = judgeChaos([a!]);
    expect(check).toMatchObject({ name: 'recovery time (f1-latency)', status: 'inconclusive' });
  });

  it('a fault never injected has no window and no analysis', () => {
    const [a] = analyzeFaults({ series: latencyRun, originMs: ORIGIN, bucketMs: BUCKET, faults: [record({ injectedAt: null, revertedAt: null, status: 'skipped' })], sla: {} });
    expect(a).toMatchObject({ window: null, during: null, recovery: { status: 'unknown' } });
    expect(judgeChaos([a!])).toEqual([]);
  });
});

describe('judgeChaos', () => {
  const analyse = (s: SeriesPoint[], f: FaultRecord) => analyzeFaults({ series: s, originMs: ORIGIN, bucketMs: BUCKET, faults: [f], sla: { p95: 300 } });

  it('passes a fault that recovers in time with few errors (default chaos SLA)', () => {
    const checks = judgeChaos(analyse(latencyRun, record()));
    expect(checks.map((c) => [c.kind, c.name, c.status, c.measured])).toEqual([
      ['chaos', 'recovery time (f1-latency)', 'pass', 1000],
      ['chaos', 'error rate during fault (f1-latency)', 'pass', 0],
    ]);
  });

  it('fails a slow recovery and a fault with too many errors, with the numbers in the reason', () => {
    const bad = series(100, (i) => ({ p95: i >= 30 && i < 50 ? 1000 : i >= 50 && i < 90 ? 800 : 20, failed: i >= 30 && i < 50 ? 20 : 0 }));
    const checks = judgeChaos(analyse(bad, record()), { maxRecoverySeconds: 30 });
    expect(checks.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(checks[0]!.reason).toBe('recovered after 40.0 s, over the limit of 30 s');
    expect(checks[1]!.reason).toBe('error rate 20.0% during the fault is over the limit 5.0%');
  });

  it('does not judge the error rate of kinds that fail every request by design, unless asked to', () => {
    const down = series(70, (i) => (i >= 30 && i < 50 ? { p95: 1, failed: 100 } : { p95: 20 }));
    const f = record({ id: 'f1-down', kind: 'down' });
    expect(judgeChaos(analyse(down, f)).map((c) => c.name)).toEqual(['recovery time (f1-down)']);
    const explicit = judgeChaos(analyse(down, f), { maxErrorRateDuringFault: 0.5 });
    expect(explicit.map((c) => [c.name, c.status])).toEqual([
      ['recovery time (f1-down)', 'pass'],
      ['error rate during fault (f1-down)', 'fail'],
    ]);
  });
});

describe('bucketsToExclude', () => {
  it('marks the buckets from each inject until it recovered, to the end when it never did', () => {
    const s = series(12, () => ({ p95: 20 }));
    const [healed, open] = analyzeFaults({
      series: series(12, (i) => ({ p95: (i >= 2 && i < 5) || i >= 9 ? 900 : 20 })),
      originMs: ORIGIN,
      bucketMs: BUCKET,
      faults: [record({ injectedAt: ORIGIN + 2500, revertedAt: ORIGIN + 5000, plannedEndMs: 5000 }), record({ id: 'f2-down', injectedAt: ORIGIN + 9000, revertedAt: null })],
      sla: { p95: 300 },
    });
    expect(healed!.recovery.recoveredAtMs).toBe(5000);
    expect(bucketsToExclude(s, BUCKET, [healed!, open!])).toEqual([false, false, true, true, true, false, false, false, false, true, true, true]);
  });
});

describe('RunResult.faults', () => {
  it('chaosVerdict output fits the published result schema; a wrong status does not', () => {
    const result = JSON.parse(readFileSync(new URL('./fixtures/result-spike.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const never = record({ id: 'f2-down', kind: 'down', injectedAt: null, revertedAt: null, status: 'skipped' });
    const { faults, checks } = chaosVerdict({ series: latencyRun, originMs: ORIGIN, bucketMs: BUCKET, faults: [record(), never], sla: { p95: 300, errorRate: 0.01, chaos: { maxRecoverySeconds: 5 } } });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['recovery time (f1-latency)', 'pass'],
      ['error rate during fault (f1-latency)', 'pass'],
    ]);
    const withFaults = { ...result, faults, checks: [...(result.checks as unknown[]), ...checks] };
    expect(resultProblems(JSON.parse(JSON.stringify(withFaults)))).toEqual([]);
    const broken = { ...withFaults, faults: [{ ...faults[0], status: 'weird' }] };
    expect(resultProblems(broken)).toEqual(['/faults/0/status: must be equal to one of the allowed values']);
  });
});

