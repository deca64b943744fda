// Merges the sample streams of several stock k6 instances (k6's json output, one line per sample)
// into one Aggregator, with the same three rules as the aggregate streams (merge.ts):
// - a paused instance reports only its vus and vus_max gauges: a stream's samples before its first
//   other one are dropped (counted as paused), and buckets count from the earliest active sample;
// - samples are released in a k-way merge by time, only while every stream still running has one
//   waiting, so the same streams give the same result however their lines arrived (live or
//   replayed from a recording);
// - each instance's requests and failures are tallied for result.json's `instances` rows.
// Pure: lines in, aggregate out. HDR histograms and counts merge exactly whatever the order.
import type { Aggregator } from '../../results/aggregator.js';
import { parseJsonLine, type Sample } from '../../results/samples.js';
import type { SampleCounts } from '../../results/types.js';
import { newTally, type StreamTally } from './merge.js';
import { releaseInTimeOrder } from './time-order.js';

const IDLE_METRICS = new Set(['vus', 'vus_max']);

interface Stream {
  queue: Sample[];
  head: number; // index of the next sample to release
  ended: boolean;
  firstActiveMs?: number;
  tally: StreamTally;
}

export class SampleStreamMerger {
  private readonly streams: Stream[];
  private started = false;

  constructor(
    private readonly agg: Aggregator,
    n: number,
    private readonly counts: SampleCounts,
  ) {
    this.streams = Array.from({ length: n }, () => ({
      queue: [],
      head: 0,
      ended: false,
      tally: newTally(),
    }));
  }

  /** One line of stream `i` (without its newline). */
  line(i: number, text: string): void {
    const s = this.streams[i]!;
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    const r = parseJsonLine(text);
    if (r === null) return;
    if (r === 'malformed') {
      this.counts.malformed++;
      s.tally.malformed++;
      return;
    }
    if (r === 'skipped') {
      this.counts.parsed++;
      return;
    }
    if ('declare' in r) {
      this.agg.declareMetric(r.declare.metric, r.declare.type, r.declare.contains);
      return;
    }
    if (s.firstActiveMs === undefined) {
      if (IDLE_METRICS.has(r.metric)) {
        this.counts.parsed++;
        s.tally.pausedSamples++;
        return;
      }
      s.firstActiveMs = r.timeMs;
    }
    s.queue.push(r);
    this.pump();
  }

  /** Stream `i` is over (EOF): what it still holds may be released. */
  end(i: number): void {
    this.streams[i]!.ended = true;
    this.pump();
  }

  tallies(): StreamTally[] {
    return this.streams.map((s) => ({ ...s.tally }));
  }

  private pump(): void {
    this.started = releaseInTimeOrder(
      this.streams,
      this.started,
      (ms) => this.agg.startAt(ms),
      (s) => (s.head < s.queue.length ? s.queue[s.head]!.timeMs : undefined),
      (s) => {
        this.release(s, s.queue[s.head++]!);
        if (s.head === s.queue.length) {
          s.queue.length = 0;
          s.head = 0;
        } else if (s.head > 4096 && s.head * 2 > s.queue.length) {
          s.queue.splice(0, s.head);
          s.head = 0;
        }
      },
    );
  }

  private release(s: Stream, sample: Sample): void {
    this.agg.add(sample);
    this.counts.parsed++;
    s.tally.samples++;
    if (sample.metric === 'http_reqs') {
      s.tally.requests += sample.value;
      if (sample.timeMs < s.tally.reqFirstMs) s.tally.reqFirstMs = sample.timeMs;
      if (sample.timeMs > s.tally.reqLastMs) s.tally.reqLastMs = sample.timeMs;
    } else if (sample.metric === 'http_req_failed' && sample.value !== 0) {
      s.tally.failed++;
    }
  }
}
