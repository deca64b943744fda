// Merging the json sample streams of several stock k6 instances (src/distributed/merge-samples.ts)
// on the recorded streams of a real `--instances 2` run with k6 1.1.0 (test/fixtures/instances-json,
// with that run's result.json; how they were made is in test/fixtures/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/results/aggregator.js';
import { SampleStreamMerger } from '../src/executors/instances/merge-samples.js';
import { mergeRecorded } from '../src/executors/instances/mergers.js';
import type { RunResult, SampleCounts } from '../src/results/types.js';
import { repoRoot } from './helpers/cli.js';

const dir = join(repoRoot, 'test', 'fixtures', 'instances-json');
const streams = [0, 1].map((i) => readFileSync(join(dir, `instance-${i}.ndjson`), 'utf8').split('\n').filter((l) => l !== ''));
const local = JSON.parse(readFileSync(join(dir, 'local-result.json'), 'utf8')) as Pick<RunResult, 'bucketMs' | 'metrics' | 'series' | 'histograms' | 'samples' | 'instances'>;
const newAgg = () => new Aggregator({ bucketMs: local.bucketMs, tags: local.metrics.k6!.tags });
const newCounts = (): SampleCounts => ({ parsed: 0, malformed: 0, format: 'json' });

describe('SampleStreamMerger', () => {
  it('recorded streams give the run\'s own result exactly (metrics, series, histograms, counts, per-instance requests)', () => {
    const agg = newAgg();
    const counts = newCounts();
    const tallies = mergeRecorded(agg, streams, counts, 'json');
    const a = agg.finish();
    expect(a.metrics).toEqual(local.metrics);
    expect(a.series).toEqual(local.series);
    expect(a.histograms).toEqual(local.histograms);
    expect(counts).toEqual(local.samples);
    expect(tallies.map((t) => t.requests)).toEqual(local.instances!.map((i) => i.requests));
    expect(a.metrics.http.requests).toBe(tallies[0]!.requests + tallies[1]!.requests);
  });

  it('the order lines arrive in does not change the result', () => {
    const orders: [number, string][][] = [
      [...streams[1]!.map((l) => [1, l] as [number, string]), ...streams[0]!.map((l) => [0, l] as [number, string])],
      Array.from({ length: Math.max(streams[0]!.length, streams[1]!.length) }, (_, k) => [[0, streams[0]![k]], [1, streams[1]![k]]] as [number, string | undefined][])
        .flat()
        .filter((x): x is [number, string] => x[1] !== undefined),
    ];
    for (const order of orders) {
      const agg = newAgg();
      const m = new SampleStreamMerger(agg, 2, newCounts());
      for (const [i, line] of order) m.line(i, line);
      m.end(0);
      m.end(1);
      const a = agg.finish();
      expect(a.metrics).toEqual(local.metrics);
      expect(a.series).toEqual(local.series);
      expect(a.histograms).toEqual(local.histograms);
    }
  });

  it('an instance\'s vus gauges before its first other sample (while it waits paused) are dropped and counted apart', () => {
    const counts = newCounts();
    const agg = newAgg();
    const m = new SampleStreamMerger(agg, 1, counts);
    const vus = (t: string, v: number) => `{"metric":"vus","type":"Point","data":{"time":"${t}","value":${v},"tags":{}}}`;
    m.line(0, vus('2026-01-01T00:00:00Z', 0));
    m.line(0, vus('2026-01-01T00:00:01Z', 0));
    m.line(0, '{"metric":"http_reqs","type":"Point","data":{"time":"2026-01-01T00:00:05Z","value":1,"tags":{"name":"a","status":"200"}}}');
    m.end(0);
    const a = agg.finish();
    expect(m.tallies()[0]).toMatchObject({ pausedSamples: 2, samples: 1, requests: 1 });
    expect(a.metrics.http.requests).toBe(1);
    expect(a.series.length).toBe(1); // buckets count from the first active sample, not the paused seconds
  });

  it('a cut-off line is counted as malformed for its instance, never thrown', () => {
    const counts = newCounts();
    const m = new SampleStreamMerger(newAgg(), 2, counts);
    m.line(0, '{"metric":"http_reqs","type":"Point","data":{"time":"2026-');
    m.end(0);
    m.end(1);
    expect(counts.malformed).toBe(1);
    expect(m.tallies()[0]!.malformed).toBe(1);
  });
});
