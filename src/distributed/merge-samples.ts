// Merges the sample streams of several stock k6 instances (k6's json output, one line per sample)
// into one Aggregator, with the same three rules as the aggregate streams (merge.ts):
// - a paused instance reports only its vus and vus_max gauges: a stream's samples before its first
//   other one are dropped (counted as paused), and buckets count from the earliest active sample;
// - samples are released in a k-way merge by time, only while every stream still running has one
//   waiting, so the same streams give the same result however their lines arrived (live or
//   replayed from a recording);
// - each instance's requests and failures are tallied for result.json's `instances` rows.
// Pure: lines in, aggregate out. HDR histograms and counts merge exactly whatever the order.
import type { Aggregator } from '../results/aggregator.js';
import { parseJsonLine, type Sample } from '../results/samples.js';
import type { SampleCounts } from '../results/types.js';
import type { StreamTally } from './merge.js';

const IDLE_METRICS = new Set(['vus', 'vus_max']);

interface Stream {
  queue: Sample[];
  head: number; // index of the next sample to release
  ended: boolean;
  active: boolean;
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
      active: false,
      tally: { requests: 0, failed: 0, samples: 0, pausedSamples: 0, malformed: 0, reqFirstMs: Infinity, reqLastMs: -Infinity },
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
    if (!s.active) {
      if (IDLE_METRICS.has(r.metric)) {
        this.counts.parsed++;
        s.tally.pausedSamples++;
        return;
      }
      s.active = true;
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
    if (!this.started) {
      if (!this.streams.every((s) => s.ended || s.active)) return;
      const firsts = this.streams.flatMap((s) => (s.firstActiveMs === undefined ? [] : [s.firstActiveMs]));
      if (firsts.length > 0) this.agg.startAt(Math.min(...firsts));
      this.started = true;
    }
    for (;;) {
      let pick: Stream | undefined;
      let pickT = Infinity;
      for (const s of this.streams) {
        if (s.head >= s.queue.length) {
          if (!s.ended) return; // its next sample may be older than any waiting
          continue;
        }
        const t = s.queue[s.head]!.timeMs;
        if (t < pickT) {
          pick = s;
          pickT = t;
        }
      }
      if (!pick) return;
      this.release(pick, pick.queue[pick.head++]!);
      if (pick.head === pick.queue.length) {
        pick.queue.length = 0;
        pick.head = 0;
      } else if (pick.head > 4096 && pick.head * 2 > pick.queue.length) {
        pick.queue.splice(0, pick.head);
        pick.head = 0;
      }
    }
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
