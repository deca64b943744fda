import { describe, expect, it } from 'vitest';
import type { LoadedProfile } from '../src/config/types.js';
import { UsageError } from '../src/util/errors.js';
import { formatDuration, parseDuration } from '../src/plan/duration.js';
import { buildPlan } from '../src/plan/plan.js';
import { phasesOf, planShape, totalMs } from '../src/plan/shape.js';
import type { ShapeSpec } from '../src/plan/types.js';

const spike: ShapeSpec = {
  summary: 'spike',
  model: 'vus',
  params: { base: 100, factor: 2 },
  stages: (p) => [
    { phase: 'warm-up', duration: '30s', target: p.base! },
    { phase: 'base', duration: '1m', target: p.base! },
    { phase: 'spike', duration: '10s', target: p.base! * p.factor! },
    { phase: 'spike', duration: '1m', target: p.base! * p.factor! },
    { phase: 'recovery', duration: '2m', target: p.base! },
  ],
};

function profile(over: Partial<LoadedProfile['profile']> = {}): LoadedProfile {
  return {
    name: 'local',
    file: 'profiles/local.yaml',
    envRefs: [],
    profile: { baseUrl: 'http://127.0.0.1:1', workload: { requests: [{ name: 'r', path: '/' }] }, ...over },
  };
}

describe('durations', () => {
  it('parses what people write', () => {
    expect(parseDuration('20s')).toBe(20_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('15')).toBe(15_000);
    expect(parseDuration('fast')).toBeNull();
    expect(parseDuration('10x')).toBeNull();
  });
  it('formats for k6', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatDuration(3_600_000)).toBe('1h');
  });
});

describe('planShape', () => {
  it('keeps defaults and merges phases', () => {
    const s = planShape(spike, 'spike', {});
    expect(s.peak).toBe(200);
    expect(totalMs(s.stages)).toBe(280_000);
    expect(phasesOf(s.stages).map((p) => p.name)).toEqual(['warm-up', 'base', 'spike', 'recovery']);
    expect(phasesOf(s.stages)[2]).toEqual({ name: 'spike', startMs: 90_000, endMs: 160_000 });
  });
  it('scales targets by the profile scale, never to zero', () => {
    const s = planShape(spike, 'spike', { scale: 0.001 });
    expect(s.stages.map((x) => x.target)).toEqual([1, 1, 1, 1, 1]);
    const t = planShape(spike, 'spike', { scale: 0.1 });
    expect(t.peak).toBe(20);
  });
  it('--duration rescales every stage to the exact total, keeping proportions', () => {
    const s = planShape(spike, 'spike', { durationMs: 20_000 });
    expect(totalMs(s.stages)).toBe(20_000);
    const ratio = s.stages[1]!.durationMs / s.stages[0]!.durationMs;
    expect(ratio).toBeCloseTo(2, 1);
  });
  it('--vus sets the peak and keeps the shape', () => {
    const s = planShape(spike, 'spike', { vus: 50, scale: 0.1 });
    expect(s.peak).toBe(50);
    expect(s.stages[0]!.target).toBe(25);
  });
  it('--rate turns the shape into the open model', () => {
    const s = planShape(spike, 'spike', { rate: 40 });
    expect(s.model).toBe('arrival');
    expect(s.peak).toBe(40);
  });
  it('profile params override defaults; unknown params are refused', () => {
    expect(planShape(spike, 'spike', { params: { factor: 5 } }).peak).toBe(500);
    expect(() => planShape(spike, 'spike', { params: { facter: 5 } })).toThrow(/no shape parameter "facter"/);
  });
});

describe('buildPlan', () => {
  const scenario = { name: 'spike', file: 'scenarios/spike.ts', spec: spike };
  it('resolves a k6 ramping-vus scenario from the shape', () => {
    const plan = buildPlan({ scenario, profile: profile({ scale: 0.1 }), flags: { durationMs: 20_000 } });
    expect(plan.durationMs).toBe(20_000);
    const k6 = plan.k6Scenarios!.spike!;
    expect(k6.executor).toBe('ramping-vus');
    expect(k6.stages.map((s) => s.target)).toEqual([10, 10, 20, 20, 10]);
    expect(plan.phases.at(-1)!.endMs).toBe(20_000);
  });
  it('uses ramping-arrival-rate with VU limits for the open model', () => {
    const plan = buildPlan({ scenario, profile: profile({ safety: { maxVUs: 80 } }), flags: { rate: 30 } });
    const k6 = plan.k6Scenarios!.spike!;
    expect(k6.executor).toBe('ramping-arrival-rate');
    if (k6.executor === 'ramping-arrival-rate') expect(k6.maxVUs).toBe(80);
  });
  it('refuses a protected profile without --yes', () => {
    const p = profile({ safety: { protected: true } });
    expect(() => buildPlan({ scenario, profile: p, flags: {} })).toThrow(UsageError);
    expect(() => buildPlan({ scenario, profile: p, flags: {} })).toThrow(/protected.*--yes|protected/);
    expect(buildPlan({ scenario, profile: p, flags: { yes: true } }).scenario.name).toBe('spike');
  });
  it('refuses a plan over the safety limits', () => {
    expect(() => buildPlan({ scenario, profile: profile({ safety: { maxVUs: 50 } }), flags: {} })).toThrow(/maxVUs: the plan peaks at 200 VUs/);
    expect(() => buildPlan({ scenario, profile: profile({ safety: { maxRPS: 10 } }), flags: { rate: 20 } })).toThrow(/maxRPS/);
  });
  it('passes maxRPS to k6 as its rps limit', () => {
    expect(buildPlan({ scenario, profile: profile({ safety: { maxRPS: 500 } }), flags: {} }).k6.rps).toBe(500);
  });
  it('leaves a plain script its own options', () => {
    const plan = buildPlan({ scenario: { name: 'x', file: 'x.js', spec: null }, profile: profile(), flags: {} });
    expect(plan.scenario.kind).toBe('script');
    expect(plan.k6Scenarios).toBeNull();
    expect(plan.durationMs).toBeNull();
  });
  it("judges a plain script without the per-request limits of the profile's workload, keeping limits on its own names", () => {
    const sla = { p95: 300, requests: { r: { p95: 100 }, 'my-call': { p95: 200 } } };
    const script = buildPlan({ scenario: { name: 'x', file: 'x.js', spec: null }, profile: profile({ sla }), flags: {} });
    expect(script.sla).toEqual({ p95: 300, requests: { 'my-call': { p95: 200 } } });
    expect(buildPlan({ scenario, profile: profile({ sla }), flags: {} }).sla).toEqual(sla);
  });
});

describe('time-series buckets', async () => {
  const { autoBucketMs } = await import('../src/plan/plan.js');
  it('are 1 s up to an hour, then widen to keep at most ~3600 points', () => {
    expect(autoBucketMs(null)).toBe(1000);
    expect(autoBucketMs(20_000)).toBe(1000);
    expect(autoBucketMs(3_600_000)).toBe(1000);
    expect(autoBucketMs(86_400_000)).toBe(24_000);
    expect(86_400_000 / autoBucketMs(86_400_000)).toBeLessThanOrEqual(3600);
  });
});
