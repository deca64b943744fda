// The run's numbers with the fault windows left out, for the ordinary SLA (inside the windows the
// chaos checks judge). An Aggregator that also feeds a second one with only the samples (or, with
// loadctl's k6 output, the time slots) outside every fault window, decided as they arrive: samples
// reach loadctl a second or more after their time, by when the inject or revert that bounds them
// has been recorded.
import { Aggregator, type AggregatorOptions } from '../results/aggregator.js';
import type { Sample } from '../results/samples.js';
import type { SlotRecord } from '../results/slots.js';
import type { Metrics } from '../results/types.js';
import type { FaultRecord } from './types.js';

/** Whether [fromMs, toMs] (epoch) touches a fault window, as the records stand now. */
export function touchesFault(records: readonly FaultRecord[], fromMs: number, toMs: number): boolean {
  return records.some((f) => f.injectedAt !== null && toMs >= f.injectedAt && (f.revertedAt === null || fromMs < f.revertedAt));
}

export class FaultAwareAggregator extends Aggregator {
  /** Only what lies outside every fault window. */
  readonly outside: Aggregator;

  constructor(
    opts: AggregatorOptions,
    private readonly records: () => readonly FaultRecord[],
  ) {
    super(opts);
    this.outside = new Aggregator({ ...opts, keepBucketHistograms: false });
  }

  override add(s: Sample): void {
    super.add(s);
    if (!touchesFault(this.records(), s.timeMs, s.timeMs)) this.outside.add(s);
  }

  override addSlot(s: SlotRecord, origin: number): void {
    super.addSlot(s, origin);
    if (!touchesFault(this.records(), s.t, s.t + this.bucketMs - 1)) this.outside.addSlot(s, origin);
  }

  /**
   * Metrics of the samples outside the faults; `inFault` marks the run's buckets (bucketsInFaults).
   * Throughput is over the buckets outside them (the second aggregator alone would spread its
   * requests over the whole run, fault windows included).
   */
  outsideMetrics(inFault: boolean[]): Metrics {
    const m = this.outside.finish().metrics;
    const keptSec = (inFault.filter((x) => !x).length * this.bucketMs) / 1000;
    if (keptSec <= 0) return m;
    const rps = (requests: number) => requests / keptSec;
    const byName = Object.fromEntries(Object.entries(m.http.byName).map(([k, v]) => [k, { ...v, rps: rps(v.requests) }]));
    return { ...m, http: { ...m.http, rps: rps(m.http.requests), byName } };
  }
}
