// Merging the streams of several k6 instances (src/distributed/merge.ts) on recorded streams of a
// real `--instances 2` run (test/fixtures/instances: `LOADCTL_RECORD_STREAMS=dir loadctl run
// sustained -t local --instances 2 -d 4s --rate 40`, with that run's result.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/results/aggregator.js';
import { StreamMerger } from '../src/executors/instances/merge.js';
import { mergeRecorded } from '../src/executors/instances/mergers.js';
import { peakVus, segmentsFor } from '../src/plan/segments.js';
import type { RunResult, SampleCounts } from '../src/results/types.js';
import { repoRoot } from './helpers/cli.js';

const dir = join(repoRoot, 'test', 'fixtures', 'instances');
const streams = [0, 1].map((i) => readFileSync(join(dir, `instance-${i}.ndjson`), 'utf8').split('\n').filter((l) => l !== ''));
const local = JSON.parse(readFileSync(join(dir, 'local-result.json'), 'utf8')) as Pick<RunResult, 'bucketMs' | 'metrics' | 'series' | 'histograms' | 'samples' | 'instances'>;
const newAgg = () => new Aggregator({ bucketMs: local.bucketMs, tags: local.metrics.k6!.tags });
const newCounts = (): SampleCounts => ({ parsed: 0, malformed: 0, format: 'loadctl' });

describe('segmentsFor', () => {
  it('splits like k6-operator runners: (i-1)/N:i/N over one sequence', () => {
    expect(segmentsFor(1)).toEqual([{ index: 0, segment: '0:1', sequence: '0,1' }]);
    expect(segmentsFor(4).map((s) => s.segment)).toEqual(['0:1/4', '1/4:2/4', '2/4:3/4', '3/4:1']);
    expect(new Set(segmentsFor(4).map((s) => s.sequence))).toEqual(new Set(['0,1/4,2/4,3/4,1']));
    expect(() => segmentsFor(0)).toThrow(RangeError);
  });

  it('peakVus: a vus shape\'s peak, an arrival plan\'s VU cap, a plain script\'s --vus', () => {
    expect(peakVus({ shape: { model: 'vus', peak: 7 }, k6Scenarios: null, overrides: {} })).toBe(7);
    expect(peakVus({ shape: { model: 'arrival', peak: 100 }, k6Scenarios: { a: { executor: 'ramping-arrival-rate', preAllocatedVUs: 10, maxVUs: 50 } }, overrides: {} })).toBe(50);
    expect(peakVus({ shape: null, k6Scenarios: null, overrides: { vus: 3 } })).toBe(3);
    expect(peakVus({ shape: null, k6Scenarios: null, overrides: {} })).toBeUndefined();
  });
});

describe('StreamMerger', () => {
  it('recorded streams give the run\'s own result exactly (metrics, series, histograms, counts)', () => {
    const agg = newAgg();
    const counts = newCounts();
    const tallies = mergeRecorded(agg, streams, counts);
    const a = agg.finish();
    expect(a.metrics).toEqual(local.metrics);
    expect(a.series).toEqual(local.series);
    expect(a.histograms).toEqual(local.histograms);
    expect(counts).toEqual(local.samples);
    expect(tallies.map((t) => t.requests)).toEqual(local.instances!.map((i) => i.requests));
    expect(a.metrics.http.requests).toBe(tallies[0]!.requests + tallies[1]!.requests);
  });

  it('the order lines arrive in does not change the result', () => {
    // Stream 1 entirely first, then stream 0; and strictly alternating, with stream 1 ending late.
    const orders: [number, string][][] = [
      [...streams[1]!.map((l) => [1, l] as [number, string]), ...streams[0]!.map((l) => [0, l] as [number, string])],
      Array.from({ length: Math.max(streams[0]!.length, streams[1]!.length) }, (_, k) => [[0, streams[0]![k]], [1, streams[1]![k]]] as [number, string | undefined][])
        .flat()
        .filter((x): x is [number, string] => x[1] !== undefined),
    ];
    for (const order of orders) {
      const agg = newAgg();
      const m = new StreamMerger(agg, 2, newCounts());
      for (const [i, line] of order) m.line(i, line);
      m.end(0);
      m.end(1);
      const a = agg.finish();
      expect(a.metrics).toEqual(local.metrics);
      expect(a.series).toEqual(local.series);
    }
  });

  it('series ids are per stream: the same id in two streams is two series, the same series in two streams is one', () => {
    const agg = new Aggregator({ bucketMs: 1000, tags: [] });
    const m = new StreamMerger(agg, 2, newCounts());
    const line = (declare: object[], series: object[], t: number) =>
      JSON.stringify({ v: 2, bucketMs: 1000, origin: 1000, skipped: 0, declare, slots: [{ t, first: t, last: t + 10, samples: 1, series }] });
    const rec = (id: number, v: number) => ({ id, n: 1, nz: v !== 0 ? 1 : 0, sum: v, min: v, max: v, last: v, lastAt: 1005 });
    m.line(0, line([{ id: 0, metric: 'iterations', type: 'counter' }, { id: 1, metric: 'my_gauge', type: 'gauge' }], [rec(0, 1), rec(1, 7)], 1000));
    // Stream 1 numbers the same series the other way round.
    m.line(1, line([{ id: 0, metric: 'my_gauge', type: 'gauge' }, { id: 1, metric: 'iterations', type: 'counter' }], [rec(1, 1), rec(0, 9)], 1000));
    m.end(0);
    m.end(1);
    const k6 = agg.finish().metrics.k6!;
    expect(k6.series.map((s) => [s.metric, s.count, s.sum, s.max])).toEqual([
      ['iterations', 2, 2, 1],
      ['my_gauge', 2, 16, 9],
    ]);
  });

  it('drops what a paused instance reports (its vus gauges) and counts buckets from the first active slot', () => {
    const agg = new Aggregator({ bucketMs: 1000, tags: [] });
    const counts = newCounts();
    const m = new StreamMerger(agg, 1, counts);
    const decl = [{ id: 0, metric: 'vus', type: 'gauge' }, { id: 1, metric: 'http_reqs', type: 'counter' }];
    const idle = (t: number) => ({ t, first: t, last: t, samples: 1, vus: 0, vusAt: t, series: [{ id: 0, n: 1, nz: 0, sum: 0, min: 0, max: 0, last: 0, lastAt: t }] });
    const busy = (t: number) => ({ t, first: t, last: t + 500, samples: 3, vus: 2, vusAt: t, names: { a: { requests: 2, failed: 0 } }, series: [{ id: 0, n: 1, nz: 1, sum: 2, min: 2, max: 2, last: 2, lastAt: t }, { id: 1, n: 2, nz: 2, sum: 2, min: 1, max: 1, last: 1, lastAt: t + 500 }] });
    m.line(0, JSON.stringify({ v: 2, bucketMs: 1000, origin: 0, skipped: 0, declare: decl, slots: [idle(0), idle(1000), idle(2000)] }));
    m.line(0, JSON.stringify({ v: 2, bucketMs: 1000, origin: 0, skipped: 0, slots: [busy(3000), busy(4000)] }));
    m.end(0);
    const a = agg.finish();
    expect(a.startMs).toBe(3000);
    expect(a.series.map((p) => [p.tMs, p.requests])).toEqual([[0, 2], [1000, 2]]);
    expect(m.tallies()[0]).toMatchObject({ requests: 4, pausedSamples: 3, samples: 6 });
    expect(counts.parsed).toBe(9);
  });
});
