// Capacity analysis, reaction time and the search planner on synthetic runs: a modelled service
// with a known limit C, so every expectation follows from C, not from the numbers fed in.
import { describe, expect, it } from 'vitest';
import { analyseCapacity, judgeCapacity, measureWindow, stepsFromStages, type OfferedStep, type StepMeasure } from '../src/capacity/analyse.js';
import { judgeReaction, reactionTimes } from '../src/capacity/scaling.js';
import { judgeScalingRun } from '../src/capacity/scaling-run.js';
import { capacityHeadline } from '../src/capacity/rows.js';
import { encodeHistogram, newHistogram } from '../src/results/histograms.js';
import type { SeriesPoint } from '../src/results/series-types.js';
import { searchCapacity } from '../src/capacity/search-driver.js';
import { trialOutcome } from '../src/capacity/trial-outcome.js';
import { nextTrial, type Trial } from '../src/capacity/search-planner.js';
import type { PlannedStage } from '../src/plan/types.js';
import { resultProblems } from '../src/results/validate.js';
import { runValues } from '../src/judge/baseline/values.js';
import type { RunResult } from '../src/results/types.js';
import { readFileSync } from 'node:fs';

const BUCKET = 1000;

/** The scaling shape: per step a 2 s ramp then an 8 s hold at start + i·step. */
function staircase(start: number, step: number, steps: number): PlannedStage[] {
  return Array.from({ length: steps }, (_, i) => [
    { phase: `step-${i + 1}`, durationMs: 2000, target: start + i * step },
    { phase: `step-${i + 1}`, durationMs: 8000, target: start + i * step },
  ]).flat();
}

/** A service that serves up to `cap` req/s in `serviceMs`; latency climbs near it, the excess fails. */
function simulate(stages: PlannedStage[], cap: number, serviceMs = 20): { series: SeriesPoint[]; hists: string[] } {
  const series: SeriesPoint[] = [];
  const hists: string[] = [];
  let t = 0;
  for (const s of stages) {
    for (let b = 0; b < s.durationMs / BUCKET; b++, t += BUCKET) {
      const offered = s.target;
      const failed = Math.max(0, offered - cap);
      const load = Math.min(offered / cap, 1);
      const latency = serviceMs / Math.max(0.05, 1 - load * 0.97); // queueing: climbs as load → 1
      const h = newHistogram();
      for (let i = 0; i < offered - failed; i++) h.recordValue(Math.round(latency * (0.9 + 0.2 * (i / offered)) * 1000));
      for (let i = 0; i < failed; i++) h.recordValue(1000); // refused at once
      hists.push(encodeHistogram(h));
      series.push({ tMs: t, rps: offered, errorRate: failed / offered, p50: latency, p95: latency * 1.08, p99: latency * 1.1, vus: 10, requests: offered, failed });
    }
  }
  return { series, hists };
}

function measured(stages: PlannedStage[], cap: number): (OfferedStep & { measure: StepMeasure })[] {
  const { series, hists } = simulate(stages, cap);
  return stepsFromStages(stages).map((s) => ({ ...s, measure: measureWindow(series, BUCKET, s.judgeFromMs, s.endMs, hists) }));
}

describe('capacity analysis', () => {
  // A scaling run shortened so far (-d 30s) that each step is one 3 s ramp from the last rate: an
  // unlimited service follows the ramp, so it offers the ramp's mean, not its top.
  const ramps = (rates: number[], stepMs = 3000): PlannedStage[] => rates.map((r, i) => ({ phase: `step-${i + 1}`, durationMs: stepMs, target: r }));
  function following(stages: PlannedStage[], lastBucketShare = 1): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    let from = 0;
    let t = 0;
    for (const s of stages) {
      const n = s.durationMs / BUCKET;
      for (let b = 0; b < n; b++, t += BUCKET) {
        const rate = Math.round(from + ((s.target - from) * (b + 0.5)) / n);
        out.push({ tMs: t, rps: rate, errorRate: 0, p50: 10, p95: 12, p99: 14, vus: 5, requests: rate, failed: 0 });
      }
      from = s.target;
    }
    const last = out.at(-1)!;
    last.requests = Math.round(last.requests * lastBucketShare);
    return out;
  }

  it('judges a step that is all ramp against the rate the ramp offers, so an unlimited target keeps every step', () => {
    const stages = ramps([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    const series = following(stages);
    const a = analyseCapacity(stepsFromStages(stages).map((s) => ({ ...s, measure: measureWindow(series, BUCKET, s.judgeFromMs, s.endMs) })), { sla: {}, requestsPerIteration: 1 });
    expect(a.steps.map((r) => r.verdict)).toEqual(Array(10).fill('sustained'));
    expect(a).toMatchObject({ capacity: 50, atCeiling: true });
  });

  it('leaves out the bucket the run\'s end cut short instead of reading it as a rate not kept', () => {
    const stages = ramps([10, 20, 30]);
    const series = following(stages, 0.3); // the run ended 300 ms into its last bucket
    const dataEnd = series.at(-1)!.tMs + 300;
    const steps = stepsFromStages(stages);
    const cut = analyseCapacity(steps.map((s) => ({ ...s, measure: measureWindow(series, BUCKET, s.judgeFromMs, s.endMs, undefined, dataEnd) })), { sla: {}, requestsPerIteration: 1 });
    expect(cut.steps.at(-1)).toMatchObject({ verdict: 'sustained', seconds: 2 });
    expect(cut).toMatchObject({ capacity: 30, atCeiling: true });
    // Read as a whole bucket, the same data looks like a limit: what the cut must not be taken for.
    const naive = analyseCapacity(steps.map((s) => ({ ...s, measure: measureWindow(series, BUCKET, s.judgeFromMs, s.endMs) })), { sla: {}, requestsPerIteration: 1 });
    expect(naive.steps.at(-1)!.verdict).toBe('rate-not-kept');
  });

  it('reads the rate kept from k6\'s iterations per bucket, not through requests per iteration guessed on the first step', () => {
    const stages = ramps([50, 100, 150, 200]);
    const series = following(stages).map((p, i) => ({ ...p, requests: i < 3 ? p.requests : Math.round(p.requests * 0.8), metrics: { iterations: p.requests } }));
    const steps = stepsFromStages(stages).map((s) => ({ ...s, measure: measureWindow(series, BUCKET, s.judgeFromMs, s.endMs) }));
    expect(steps[1]!.measure.iterations).toBe(series.slice(3, 6).reduce((a, p) => a + p.metrics.iterations, 0));
    expect(analyseCapacity(steps, { sla: {} })).toMatchObject({ capacity: 200, atCeiling: true });
    // Without the counters, requests per iteration guessed on the first step (1) make every later step (0.8) look short.
    const bare = series.map(({ metrics: _m, ...p }) => p);
    expect(analyseCapacity(stepsFromStages(stages).map((s) => ({ ...s, measure: measureWindow(bare, BUCKET, s.judgeFromMs, s.endMs) })), { sla: {} }).capacity).toBe(50);
  });

  it('a step too short to judge is no evidence of a limit: the capacity below it is "at least"', () => {
    const stages = ramps([10, 20, 30, 40], 3000);
    stages[3] = { ...stages[3]!, durationMs: 1000 };
    const series = following(stages);
    const a = analyseCapacity(stepsFromStages(stages).map((s) => ({ ...s, measure: measureWindow(series, BUCKET, s.judgeFromMs, s.endMs) })), { sla: {}, requestsPerIteration: 1 });
    expect(a.steps.at(-1)).toMatchObject({ verdict: 'too-short', reason: expect.stringMatching(/no evidence of a limit/) });
    expect(a).toMatchObject({ capacity: 30, atCeiling: true });
    expect(capacityHeadline({ analysis: a })).toMatch(/^capacity at least 30 iterations\/s/);
  });

  it('groups stages into steps judged after their ramp', () => {
    const steps = stepsFromStages(staircase(100, 50, 3));
    expect(steps.map((s) => [s.name, s.offered, s.startMs, s.judgeFromMs, s.endMs])).toEqual([
      ['step-1', 100, 0, 2000, 10000],
      ['step-2', 150, 10000, 12000, 20000],
      ['step-3', 200, 20000, 22000, 30000],
    ]);
  });

  it('finds the highest sustained step, the knee below it and a table row per step', () => {
    const a = analyseCapacity(measured(staircase(100, 25, 12), 300), { sla: { p95: 1000, errorRate: 0.01 } });
    expect(a.capacity).toBe(300);
    expect(a.capacityRps).toBeCloseTo(300, 0);
    expect(a.atCeiling).toBe(false);
    expect(a.steps).toHaveLength(12);
    expect(a.steps.filter((s) => s.offered > 300).every((s) => s.verdict === 'sla-broken' && /errors/.test(s.reason ?? ''))).toBe(true);
    // Latency climbs well before the limit (queueing), so the knee is below the capacity.
    expect(a.knee).not.toBeNull();
    expect(a.knee!).toBeLessThan(300);
    expect(a.knee!).toBeGreaterThanOrEqual(100);
    expect(a.requestsPerIteration).toBeCloseTo(1, 5);
  });

  it('a tighter latency limit lowers the capacity below the error limit', () => {
    const loose = analyseCapacity(measured(staircase(100, 25, 12), 300), { sla: { errorRate: 0.01 } });
    const tight = analyseCapacity(measured(staircase(100, 25, 12), 300), { sla: { p95: 60, errorRate: 0.01 } });
    expect(tight.capacity!).toBeLessThan(loose.capacity!);
    const broken = tight.steps.find((s) => s.offered === tight.capacity! + 25)!;
    expect(broken.verdict).toBe('sla-broken');
    expect(broken.reason).toMatch(/^p95 \d+(\.\d+)? ms > 60\.0 ms/);
  });

  it('a step whose rate was not kept is not sustained, even within the SLA', () => {
    const steps = measured(staircase(100, 100, 3), 1000);
    steps[2]!.measure = { ...steps[2]!.measure, requests: steps[2]!.measure.requests * 0.8 };
    const a = analyseCapacity(steps, { sla: { errorRate: 0.01 } });
    expect(a.steps.map((s) => s.verdict)).toEqual(['sustained', 'sustained', 'rate-not-kept']);
    expect(a.capacity).toBe(200);
    steps[2]!.measure = { ...steps[2]!.measure, requests: 300 * 8, dropped: 300 * 8 * 0.1 };
    expect(analyseCapacity(steps, { sla: {} }).steps[2]).toMatchObject({ verdict: 'rate-not-kept', reason: expect.stringMatching(/dropped 10\.0%/) });
  });

  it('says "at least" when the top step held, and judges sla.minCapacity', () => {
    const a = analyseCapacity(measured(staircase(50, 50, 4), 1000), { sla: { errorRate: 0.01 } });
    expect(a).toMatchObject({ capacity: 200, atCeiling: true });
    expect(judgeCapacity(a, { minCapacity: 150 })[0]).toMatchObject({ status: 'pass', measured: 200 });
    expect(judgeCapacity(a, { minCapacity: 400 })[0]).toMatchObject({ status: 'fail', measured: 200, reason: expect.stringContaining('under the limit 400.0 req/s') });
    expect(judgeCapacity(a, {})).toEqual([]);
    const none = analyseCapacity(measured(staircase(500, 50, 2), 100), { sla: {} });
    expect(none.capacity).toBeNull();
    expect(judgeCapacity(none, { minCapacity: 10 })[0]).toMatchObject({ status: 'fail', reason: expect.stringContaining('no step was sustained') });
  });

  it('takes the knee where latency climbs for good, not at one slow step among fast ones', () => {
    const steps = measured(staircase(100, 25, 12), 300);
    const knee = analyseCapacity(steps, { sla: {} }).knee!;
    const spiked = steps.map((s) => (s.offered === 150 ? { ...s, measure: { ...s.measure, latency: { ...s.measure.latency!, p95: s.measure.latency!.p95 * 4 } } } : s));
    expect(analyseCapacity(spiked, { sla: {} }).knee).toBe(knee);
    expect(knee).toBeGreaterThan(150);
  });

  it('uses merged histograms when given, bucket percentiles (marked approximate) otherwise', () => {
    const stages = staircase(100, 100, 1);
    const { series, hists } = simulate(stages, 1000);
    const exact = measureWindow(series, BUCKET, 2000, 10000, hists);
    const approx = measureWindow(series, BUCKET, 2000, 10000);
    expect(exact).toMatchObject({ seconds: 8, requests: 800, failed: 0, dropped: null });
    expect(exact.approximate).toBeUndefined();
    expect(approx.approximate).toBe(true);
    expect(exact.latency!.p90).not.toBeNull();
    expect(approx.latency!.p90).toBeNull();
  });
});

describe('result.json with a capacity run', () => {
  it('validates capacity, the step table and probe series (gaps included) against the result schema', () => {
    const base = JSON.parse(readFileSync(new URL('./fixtures/result-spike.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const analysis = analyseCapacity(measured(staircase(100, 50, 6), 300), { sla: { errorRate: 0.01 } });
    const probes = [{ name: 'replicas', type: 'prometheus', intervalMs: 1000, points: [{ atMs: 1, value: 1 }, { atMs: 2, value: null, error: 'HTTP 503' }] }];
    const result = { ...base, capacity: analysis.capacity, scaling: { analysis, reactions: [] }, probes };
    expect(resultProblems(result)).toEqual([]);
    // What a baseline pool keeps of it: the capacity and the step it is known to within.
    expect(runValues(result as unknown as RunResult)).toMatchObject({ capacity: 300, capacityResolution: 50 });
    const bad = { ...result, probes: [{ ...probes[0], points: [{ atMs: 1, value: 'one' }] }] };
    expect(resultProblems(bad).join('\n')).toMatch(/probes\/0\/points\/0\/value/);
  });
});

describe('autoscaler reaction time', () => {
  const at = (s: number) => 1_700_000_000_000 + s * 1000;
  const replicas = (rise: number[], until: number) =>
    Array.from({ length: until * 2 }, (_, i) => ({ atMs: at(i / 2), value: 1 + rise.filter((r) => i / 2 >= r).length }));

  it('times each step up to the first higher replica count within it', () => {
    const steps = [
      { name: 'step-1', atMs: at(0), offered: 100 },
      { name: 'step-2', atMs: at(10), offered: 400 },
      { name: 'step-3', atMs: at(30), offered: 400 },
    ];
    const r = reactionTimes(steps, replicas([16.5], 40));
    expect(r.map((x) => [x.step, x.replicasBefore, x.replicasAfter, x.reactionMs])).toEqual([
      ['step-1', 1, null, null],
      ['step-2', 1, 2, 6500],
    ]);
    expect(judgeReaction(r, { maxReactionSeconds: 10 })[0]).toMatchObject({ status: 'pass', measured: 6500 });
    expect(judgeReaction(r, { maxReactionSeconds: 5 })[0]).toMatchObject({ status: 'fail', reason: 'replicas rose 6.5 s after step-2 started (limit 5 s)' });
  });

  it('skips gaps, and fails an overloaded step that never scaled', () => {
    const pts = replicas([], 20).map((p, i) => (i % 3 === 0 ? { atMs: p.atMs, value: null, error: 'HTTP 500' } : p));
    const r = reactionTimes([{ name: 'step-1', atMs: at(2), offered: 500 }], pts, at(20));
    expect(r[0]).toMatchObject({ replicasBefore: 1, reactionMs: null });
    expect(judgeReaction(r, { maxReactionSeconds: 5 })[0]!.status).toBe('inconclusive');
    const over = r.map((x) => ({ ...x, overloaded: true }));
    expect(judgeReaction(over, { maxReactionSeconds: 5 }, { 'step-1': at(20) })[0]).toMatchObject({ status: 'fail', reason: expect.stringContaining('did not rise within 5 s of step-1') });
  });
});

describe('judgeScalingRun', () => {
  it('judges a whole run: table, capacity, reaction per step up and the checks', () => {
    const stages = staircase(100, 100, 4); // 100..400/s, 10 s each, against 250/s
    const sim = simulate(stages, 250);
    // The added replica serves step-3's excess from 27 s on (its errors stop); step-4 stays overloaded.
    const series = sim.series.map((p) => (p.tMs >= 27_000 && p.tMs < 30_000 ? { ...p, failed: 0, errorRate: 0 } : p));
    const hists = sim.hists;
    const t0 = 1_700_000_000_000;
    // Replicas rise 6 s into step-3 (the first overloaded step), sampled every second.
    const points = Array.from({ length: 40 }, (_, s) => ({ atMs: t0 + s * 1000, value: s >= 26 ? 2 : 1 }));
    const j = judgeScalingRun({
      stages, series, bucketMs: BUCKET, bucketHistograms: hists, seriesStartMs: t0,
      sla: { errorRate: 0.01, minCapacity: 150, scaling: { maxReactionSeconds: 10 } },
      probes: [{ name: 'replicas', type: 'prometheus', intervalMs: 1000, points }],
    });
    expect(j.capacity).toBe(200);
    expect(j.scaling.analysis.steps.map((s) => s.verdict)).toEqual(['sustained', 'sustained', 'sla-broken', 'sla-broken']);
    expect(j.scaling.reactions!.map((r) => [r.step, r.reactionMs, r.overloaded, r.effectMs])).toEqual([
      ['step-1', null, false, undefined],
      ['step-2', null, false, undefined],
      ['step-3', 6000, true, 7000],
      ['step-4', null, true, undefined],
    ]);
    // step-4 is overloaded, saw no further rise, and lasted as long as the limit: not a miss yet.
    expect(j.checks.map((c) => [c.name, c.status])).toEqual([['capacity (overall)', 'pass'], ['autoscaler reaction (overall)', 'pass']]);
    const strict = judgeScalingRun({ stages, series, bucketMs: BUCKET, seriesStartMs: t0, sla: { scaling: { maxReactionSeconds: 5 } }, probes: [{ name: 'replicas', type: 'prometheus', intervalMs: 1000, points }] });
    expect(strict.checks[0]).toMatchObject({ status: 'fail', reason: expect.stringContaining('step-4') });
    expect(strict.scaling.analysis.steps[0]!.approximate).toBe(true);
  });
});

describe('capacity search', () => {
  const runTo = (cap: number, o: Parameters<typeof nextTrial>[1]): Trial[] => {
    const trials: Trial[] = [];
    for (let n = nextTrial(trials, o); n.kind === 'try'; n = nextTrial(trials, o)) trials.push({ rate: n.rate, sustained: n.rate <= cap });
    return trials;
  };

  it('grows geometrically, then bisects to the precision asked', () => {
    for (const cap of [137, 300, 600, 1234]) {
      const trials = runTo(cap, { start: 50, ceiling: 5000, precision: 0.05 });
      const done = nextTrial(trials, { start: 50, ceiling: 5000, precision: 0.05 });
      expect(done).toMatchObject({ kind: 'done', stop: 'converged' });
      if (done.kind !== 'done') continue;
      expect(done.capacity!).toBeLessThanOrEqual(cap);
      expect(done.capacity!).toBeGreaterThanOrEqual(cap * 0.95);
      expect(trials.length).toBeLessThanOrEqual(Math.ceil(Math.log2(cap / 50)) + 1 + 5);
    }
  });

  it('stops at a sustained ceiling, and goes down when even the start fails', () => {
    expect(nextTrial(runTo(10_000, { start: 100, ceiling: 700 }), { start: 100, ceiling: 700 })).toMatchObject({ stop: 'ceiling', capacity: 700 });
    const low = runTo(30, { start: 200, ceiling: 1000, precision: 0.1 });
    expect(low.slice(0, 3).map((t) => t.rate)).toEqual([200, 100, 50]);
    expect(nextTrial(low, { start: 200, ceiling: 1000, precision: 0.1 })).toMatchObject({ stop: 'converged' });
    expect(nextTrial(runTo(0, { start: 4, ceiling: 10 }), { start: 4, ceiling: 10 })).toMatchObject({ stop: 'floor', capacity: null });
  });

  it('the driver stops before a step that would overrun the budget', async () => {
    let clock = 0;
    const step = async (rate: number, ms: number) => {
      clock += ms + 1000; // one second of run overhead per step
      return { sustained: rate <= 300 };
    };
    const full = await searchCapacity(step, { start: 50, ceiling: 2000, stepMs: 5000, budgetMs: 1e9, now: () => clock });
    expect(full.stop).toBe('converged');
    expect(full.trials.map((t) => t.phase).slice(0, 5)).toEqual(['grow', 'grow', 'grow', 'grow', 'bisect']);
    clock = 0;
    const cut = await searchCapacity(step, { start: 50, ceiling: 2000, stepMs: 5000, budgetMs: 20_000, now: () => clock });
    // 3 trials take 18 s; a 4th (expected 6 s, as long as the slowest so far) would end at 24 s.
    expect(cut).toMatchObject({ stop: 'budget', capacity: 200, bracket: [200, null] });
    expect(cut.trials.map((t) => t.rate)).toEqual([50, 100, 200]);
    expect(clock).toBeLessThanOrEqual(20_000);
  });
});

describe('search trial outcome', () => {
  const run = JSON.parse(readFileSync(new URL('./fixtures/result-spike.json', import.meta.url), 'utf8')) as RunResult;
  it('judges a one-rate run by its iterations over the planned time, its errors and its latency', () => {
    const perSecond = run.metrics.iterations / 10;
    expect(trialOutcome(run.metrics, Math.floor(perSecond), 10_000, { errorRate: 0.01 })).toMatchObject({ sustained: true });
    expect(trialOutcome(run.metrics, Math.ceil(perSecond / 0.9), 10_000, {})).toMatchObject({ sustained: false, reason: expect.stringMatching(/^achieved [\d.]+ iterations\/s, \d+% of the rate offered$/) });
    expect(trialOutcome(run.metrics, Math.floor(perSecond), 10_000, { p95: 5 })).toMatchObject({ sustained: false, reason: expect.stringMatching(/^p95 [\d.]+ ms > 5\.00 ms$/) });
    const failing = { ...run, metrics: { ...run.metrics, http: { ...run.metrics.http, failed: run.metrics.http.requests / 10 } } };
    expect(trialOutcome(failing.metrics, Math.floor(perSecond), 10_000, {})).toMatchObject({ sustained: false, reason: 'errors 10.0% > 1.0%' });
  });
});
