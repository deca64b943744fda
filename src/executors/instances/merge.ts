// Merges the streams of several k6 instances (loadctl's k6 output, one line a second each) into one
// Aggregator. Pure: lines in, aggregate out; the caller reads the pipes or the runners' logs.
//
// Three things make N streams one run:
// - Series ids are per k6 process: each stream declares and records in its own id space
//   (Aggregator.declareSeries / addSlot take the stream's index).
// - Instances start paused and report their `vus` gauge while they wait; those seconds are no
//   part of the run. A stream's slots before its first one with any other sample are dropped, and
//   the buckets of all streams count from the earliest first active slot: one time axis.
// - The order lines reach the aggregator changes what a late sample does to a closed bucket.
//   Lines are released in a k-way merge by time, only once every stream still running has a line
//   waiting, so the same streams give the same result however the lines arrived: live from pipes,
//   or afterwards from Kubernetes runners' logs.
import type { Aggregator } from '../../results/aggregator.js';
import { parseSlotLine, type SlotRecord } from '../../results/slots.js';
import type { SampleCounts } from '../../results/types.js';
import { releaseInTimeOrder } from './time-order.js';

/** What one instance contributed; the rows of result.json's `instances`. */
export interface StreamTally {
  requests: number;
  failed: number;
  samples: number;
  pausedSamples: number; // dropped: reported while the instance waited to be resumed
  malformed: number;
  reqFirstMs: number;
  reqLastMs: number;
}

/** An instance's tally before its first line. */
export function newTally(): StreamTally {
  return { requests: 0, failed: 0, samples: 0, pausedSamples: 0, malformed: 0, reqFirstMs: Infinity, reqLastMs: -Infinity };
}

interface Pending {
  origin: number;
  slots: SlotRecord[];
}

interface Stream {
  queue: Pending[];
  ended: boolean;
  firstActiveMs?: number;
  idleIds: Set<number>; // series of the vus and vus_max gauges, the only ones a paused k6 reports
  tally: StreamTally;
}

const IDLE_METRICS = new Set(['vus', 'vus_max']);

export class StreamMerger {
  private readonly streams: Stream[];
  private started = false;

  constructor(
    private readonly agg: Aggregator,
    n: number,
    private readonly counts: SampleCounts,
  ) {
    this.streams = Array.from({ length: n }, () => ({
      queue: [],
      ended: false,
      idleIds: new Set<number>(),
      tally: newTally(),
    }));
  }

  /** One line of stream `i` (without its newline). */
  line(i: number, text: string): void {
    const s = this.streams[i]!;
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    const r = parseSlotLine(text, this.agg.bucketMs);
    if (r === null) return;
    if (r === 'malformed') {
      this.counts.malformed++;
      s.tally.malformed++;
      return;
    }
    this.counts.parsed += r.skipped;
    for (const d of r.declare ?? []) {
      this.agg.declareSeries(d, i);
      if (IDLE_METRICS.has(d.metric)) s.idleIds.add(d.id);
    }
    if (r.spilled) this.agg.noteSpilled(r.spilled);
    let slots = r.slots;
    if (s.firstActiveMs === undefined) {
      const first = slots.findIndex((slot) => this.active(s, slot));
      const paused = first < 0 ? slots : slots.slice(0, first);
      for (const slot of paused) {
        this.counts.parsed += slot.samples;
        s.tally.pausedSamples += slot.samples;
      }
      slots = first < 0 ? [] : slots.slice(first);
      if (first >= 0) s.firstActiveMs = slots[0]!.t;
    }
    if (slots.length > 0) s.queue.push({ origin: r.origin, slots });
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

  private active(s: Stream, slot: SlotRecord): boolean {
    if (!slot.series) return slot.samples > 0 && slot.vus === undefined;
    let idle = 0;
    for (const r of slot.series) if (s.idleIds.has(r.id)) idle += r.n;
    return slot.samples > idle;
  }

  private pump(): void {
    this.started = releaseInTimeOrder(
      this.streams,
      this.started,
      (ms) => this.agg.startAt(ms),
      (s) => s.queue[0]?.slots[0]!.t,
      (s) => this.release(s, s.queue.shift()!),
    );
  }

  private release(s: Stream, p: Pending): void {
    const tally = s.tally;
    for (const slot of p.slots) {
      this.agg.addSlot(slot, p.origin, this.streams.indexOf(s));
      this.counts.parsed += slot.samples;
      tally.samples += slot.samples;
      for (const n of Object.values(slot.names ?? {})) {
        tally.requests += n.requests;
        tally.failed += n.failed;
      }
      if (slot.names && Object.values(slot.names).some((n) => n.requests > 0)) {
        tally.reqFirstMs = Math.min(tally.reqFirstMs, slot.reqFirst ?? slot.first);
        tally.reqLastMs = Math.max(tally.reqLastMs, slot.reqLast ?? slot.last);
      }
    }
  }
}

