// Thresholds judged on loadctl's aggregates with k6's rules: every aggregation on its metric type,
// submetrics, k6's answers for metrics without samples, and the live abortOnFail check.
import { describe, expect, it } from 'vitest';
import { abortingThresholds, judgeThresholds, thresholdChecks } from '../src/thresholds/evaluate.js';
import { scriptThresholdChecks, thresholdAbortReason } from '../src/thresholds/judge.js';
import { parseThresholds } from '../src/thresholds/parse.js';
import { metricsFromSamples, type RawSample } from './helpers/thresholds-metrics.js';

const trend = (metric: string, values: number[], tags: Record<string, string> = {}, contains: 'time' | 'default' = 'time'): RawSample[] =>
  values.map((value) => ({ metric, type: 'trend', contains, value, tags }));

// 1..100 ms for checkout, 1000 ms ×10 for search: k6's p(N) interpolates between ranks.
const samples: RawSample[] = [
  ...trend('http_req_duration', Array.from({ length: 100 }, (_, i) => i + 1), { name: 'checkout', group: '::shop' }),
  ...trend('http_req_duration', Array(10).fill(1000), { name: 'search' }),
  ...Array.from({ length: 110 }, (_, i): RawSample => ({ metric: 'http_reqs', type: 'counter', value: 1, tags: { name: i < 100 ? 'checkout' : 'search' } })),
  ...Array.from({ length: 10 }, (_, i): RawSample => ({ metric: 'checks', type: 'rate', value: i < 9 ? 1 : 0, tags: { check: 'status is 200' } })),
  { metric: 'vus', type: 'gauge', value: 3, time: 1 },
  { metric: 'vus', type: 'gauge', value: 7, time: 2 },
  { metric: 'vus', type: 'gauge', value: 5, time: 3 },
  ...trend('cart_size', [2, 4, 6], {}, 'default'),
];
const metrics = metricsFromSamples(samples, 10_000);

const judge = (raw: Record<string, unknown[]>) => judgeThresholds(parseThresholds(raw, 't.js'), metrics).map((j) => [j.threshold.expression.source, j.passed, j.measured]);

describe('judging thresholds', () => {
  it('computes every trend aggregation as k6 does', () => {
    const r = judgeThresholds(parseThresholds({ 'http_req_duration{name:checkout}': ['avg<51', 'min==1', 'max>=100', 'med<51', 'p(95)<96', 'p(99.9)>99'] }, 't.js'), metrics);
    expect(r.map((j) => j.passed)).toEqual([true, true, true, true, true, true]);
    expect(r[0]!.measured).toBeCloseTo(50.5, 6);
    expect(r[3]!.measured).toBeCloseTo(50.5, 1);
    expect(r[4]!.measured).toBeCloseTo(95.05, 1); // rank 0.95·99 = 94.05 → between 95 and 96
  });

  it('merges series for a metric without a filter, and filters on group', () => {
    expect(judge({ http_req_duration: ['max<1000', 'p(50)>50'] })).toEqual([
      ['max<1000', false, 1000],
      ['p(50)>50', true, expect.closeTo(55.5, 0)],
    ]);
    expect(judge({ 'http_req_duration{group:::shop}': ['max<=100'] })).toEqual([['max<=100', true, 100]]);
  });

  it('reads counters, rates and gauges', () => {
    expect(judge({ http_reqs: ['count==110', 'rate>10.9', 'rate<11.1'], 'http_reqs{name:search}': ['count>10'], checks: ['rate>0.95'], 'checks{check:status is 200}': ['rate>=0.9'], vus: ['value==5'] })).toEqual([
      ['count==110', true, 110],
      ['rate>10.9', true, 11],
      ['rate<11.1', true, 11],
      ['count>10', false, 10],
      ['rate>0.95', false, 0.9],
      ['rate>=0.9', true, 0.9],
      ['value==5', true, 5],
    ]);
  });

  it('gives what k6 gives a metric with no samples: 0, except a Rate, which passes', () => {
    expect(judge({ 'http_req_duration{name:never}': ['p(95)<500', 'max>0'], 'http_reqs{name:never}': ['count>0'], 'checks{check:never}': ['rate>0.99'], 'vus{scenario:none}': ['value>0'] })).toEqual([
      ['p(95)<500', true, 0],
      ['max>0', false, 0],
      ['count>0', false, 0],
      ['rate>0.99', true, undefined],
      ['value>0', false, 0],
    ]);
  });

  it('judges a custom metric by the type its samples carry, and refuses an aggregation it does not answer', () => {
    const checks = thresholdChecks(parseThresholds({ cart_size: ['avg==4', 'count>1'] }, 't.js'), metrics);
    expect(checks.map((c) => [c.name, c.status, c.unit])).toEqual([
      ['cart_size: avg==4', 'pass', 'count'],
      ['cart_size: count>1', 'inconclusive', 'count'],
    ]);
    expect(checks[1]!.reason).toMatch(/count does not apply to a trend metric/);
  });

  it('cannot tell a never-sampled custom Counter from a Rate only when the answer differs', () => {
    expect(judge({ never_seen: ['rate<1'] })).toEqual([['rate<1', true, undefined]]);
    const [c] = thresholdChecks(parseThresholds({ never_seen: ['rate>1'] }, 't.js'), metrics);
    expect(c!.status).toBe('inconclusive');
  });

  it('makes checks named as k6 names thresholds', () => {
    const [c] = thresholdChecks(parseThresholds({ 'http_req_duration{name:search}': ['p(95)<500'] }, 't.js'), metrics);
    expect(c).toEqual({
      name: 'http_req_duration{name:search}: p(95)<500',
      kind: 'sla',
      scope: 'http_req_duration{name:search}',
      metric: 'p(95)',
      status: 'fail',
      limit: 'p(95) < 500',
      limitValue: 500,
      measured: expect.closeTo(1000, 0),
      unit: 'ms',
      reason: expect.stringMatching(/^p\(95\) was 100\d(\.\d+)? \(threshold p\(95\)<500\)$/),
    });
  });

  it('is inconclusive on a tag the run did not track, or without k6 metrics at all', () => {
    const [c] = thresholdChecks(parseThresholds({ 'http_req_duration{team:a}': ['avg<1'] }, 't.js'), metrics);
    expect(c!.status).toBe('inconclusive');
    expect(c!.reason).toMatch(/did not track the tag team/);
    const [none] = scriptThresholdChecks(parseThresholds({ http_req_duration: ['avg<1'] }, 't.js'), undefined);
    expect(none!.status).toBe('inconclusive');
  });
});

describe('abortOnFail during the run', () => {
  const ts = parseThresholds(
    {
      http_req_duration: [{ threshold: 'max<500', abortOnFail: true, delayAbortEval: '10s' }],
      'http_req_duration{name:never}': [{ threshold: 'max>1', abortOnFail: true }],
      checks: ['rate>0.99'],
    },
    't.js',
  );

  it('waits for delayAbortEval, skips metrics without samples and thresholds without abortOnFail', () => {
    expect(abortingThresholds(ts, metrics, 10_000)).toBeNull();
    expect(abortingThresholds(ts, metrics, 10_001)).toEqual({ failing: ['http_req_duration: max<500'] });
    expect(thresholdAbortReason(ts, metrics, 12_000)).toMatch(/abortOnFail \(http_req_duration: max<500\)/);
    expect(thresholdAbortReason(ts, undefined, 12_000)).toBeNull();
  });
});
