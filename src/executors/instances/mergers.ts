// The merger for a run's sample format: aggregate lines (loadctl's former k6 output, kept readable
// for recorded streams) or k6's own json samples (every stock k6). Both take lines per stream and
// give one Aggregator and per-instance tallies.
import type { Aggregator } from '../../results/aggregator.js';
import type { SampleCounts, SampleFormat } from '../../results/types.js';
import { StreamMerger, type StreamTally } from './merge.js';
import { SampleStreamMerger } from './merge-samples.js';

export interface Merger {
  line(i: number, text: string): void;
  end(i: number): void;
  tallies(): StreamTally[];
}

export function newMerger(format: SampleFormat, agg: Aggregator, n: number, counts: SampleCounts): Merger {
  if (format === 'loadctl') return new StreamMerger(agg, n, counts);
  if (format === 'json') return new SampleStreamMerger(agg, n, counts);
  throw new Error(`instances cannot be merged from k6's ${format} stream (it does not say each metric's type): use json`);
}

/** Merges whole recorded streams (e.g. Kubernetes runners' logs): the same result as merging them live. */
export function mergeRecorded(agg: Aggregator, streams: readonly (readonly string[])[], counts: SampleCounts, format: SampleFormat = 'loadctl'): StreamTally[] {
  const m = newMerger(format, agg, streams.length, counts);
  streams.forEach((lines, i) => {
    for (const line of lines) m.line(i, line);
  });
  streams.forEach((_, i) => m.end(i));
  return m.tallies();
}
