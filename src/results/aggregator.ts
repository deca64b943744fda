// Folds k6 samples into HDR histograms, counters and fixed-width time buckets. Pure: samples in,
// numbers out; the caller feeds it (stream.ts) and decides when to finish.
//
// Memory stays flat in run length: whole-run histograms have a fixed size, and a time bucket is
// kept as a live histogram only while samples for it may still arrive (k6 flushes its outputs in
// batches, so samples come a little out of order); after that it shrinks to a SeriesPoint plus an
// optional compressed histogram string.
import type { JsHistogram } from 'hdr-histogram-js';
import { Buckets } from './buckets.js';
import { LatencyRecorder, encodeHistogram, newHistogram, percentilesMs, recordPairs, toMicros } from './histograms.js';
import type { LatencySummary, Metrics } from './types.js';
import { httpStats, RequestNames } from './request-names.js';
import type { AggregateResult, LiveStats, SeriesPoint } from './series-types.js';
import type { Sample } from './samples.js';
import { K6MetricStore, type SeriesDeclaration } from './k6-metric-store.js';
import { DEFAULT_TRACKED_TAGS, type K6Metrics, type K6MetricType } from './k6-metric-types.js';
import type { SlotRecord } from './slots.js';


export { OTHER_NAME } from './request-names.js';

export interface AggregatorOptions {
  bucketMs?: number; // default 1000
  lateBuckets?: number; // buckets kept open behind the newest one (default 3: k6 flushes CSV each second)
  keepBucketHistograms?: boolean; // default true: needed to merge time series across instances
  bucketDigits?: 2 | 3; // significant digits of per-bucket histograms (default 2: ~4x smaller)
  maxNames?: number; // default 300: k6 names untagged requests by URL, which can be unbounded
  bucketsByName?: boolean; // default false: per-bucket histograms per request name too (chaos runs)
  tags?: readonly string[]; // tags every k6 metric is split by (default DEFAULT_TRACKED_TAGS)
}

const MAX_JUMP_MS = 24 * 3600 * 1000;

export class Aggregator {
  readonly bucketMs: number;
  private readonly keepHist: boolean;
  private readonly buckets: Buckets;

  private readonly duration = new LatencyRecorder();
  private readonly waiting = new LatencyRecorder();
  private readonly connecting = new LatencyRecorder();
  private readonly names: RequestNames;
  private requests = 0;
  private failed = 0;
  private checksPass = 0;
  private checksFail = 0;
  private iterations = 0;
  private dropped = 0;
  private dataSent = 0;
  private dataReceived = 0;
  private vusMax = 0;
  private vusNow = 0;
  private vusNowAt = -Infinity;
  private ignored = 0;

  private startMs = Number.NaN; // bucket origin: the first sample's time
  private minMs = Infinity;
  private maxMs = -Infinity;
  private reqFirstMs = Infinity;
  private reqLastMs = -Infinity;

  private readonly scratch: JsHistogram;
  private readonly k6: K6MetricStore;
  private spilled = 0;
  private result: AggregateResult | undefined;

  constructor(opts: AggregatorOptions = {}) {
    this.bucketMs = opts.bucketMs ?? 1000;
    if (!(this.bucketMs > 0)) throw new RangeError('bucketMs must be positive');
    this.keepHist = opts.keepBucketHistograms ?? true;
    const digits = opts.bucketDigits ?? 2;
    this.k6 = new K6MetricStore(opts.tags ?? DEFAULT_TRACKED_TAGS);
    this.buckets = new Buckets(this.bucketMs, Math.max(1, opts.lateBuckets ?? 3), this.keepHist, digits, opts.bucketsByName ?? false, (i, point) => {
      const values = this.k6.takeBucketValues(i);
      if (values) point.metrics = values;
    });
    this.names = new RequestNames(opts.maxNames ?? 300);
    this.scratch = newHistogram(32, digits);
  }

  add(s: Sample): void {
    const t = s.timeMs;
    if (Number.isNaN(this.startMs)) this.startMs = t;
    const index = this.place(t, t, t, 1);
    if (index < 0) return;
    const v = s.value;
    this.k6.addSample(s.metric, s.tags, t, v, this.buckets.isClosed(index) ? -1 : index);

    switch (s.metric) {
      case 'http_reqs': this.countRequests(index, s.name, v, t, t); break;
      case 'http_req_failed': if (v !== 0) this.countFailed(index, s.name, 1); break;
      case 'http_req_duration': {
        this.duration.record(v);
        const named = this.names.named(s.name, 0);
        named?.latency.record(v);
        const us = toMicros(v);
        const b = this.buckets.get(index);
        if (b) {
          b.hist.recordValue(us);
          if (named) this.buckets.nameIn(b, named.key)?.hist.recordValue(us);
        } else this.buckets.late(index, undefined, (h) => h.recordValue(us));
        break;
      }
      case 'http_req_waiting': this.waiting.record(v); break;
      case 'http_req_connecting': this.connecting.record(v); break;
      case 'checks': if (v !== 0) this.checksPass++; else this.checksFail++; break;
      case 'iterations': this.iterations += v; break;
      case 'dropped_iterations': this.dropped += v; break;
      case 'data_sent': this.dataSent += v; break;
      case 'data_received': this.dataReceived += v; break;
      case 'vus': this.countVus(index, v, t); break;
      case 'vus_max': if (v > this.vusMax) this.vusMax = v; break;
    }
  }

  /** Folds one time slot of the former slot stream (slots.ts) from `origin`: as adding its samples. */
  addSlot(s: SlotRecord, origin: number, stream = 0): void {
    if (Number.isNaN(this.startMs)) this.startMs = origin;
    const index = this.place(s.t, s.first, s.last, s.samples);
    if (index < 0) return;
    if (s.series) {
      const bucket = this.buckets.isClosed(index) ? -1 : index;
      for (const r of s.series) this.k6.addRecord(r, bucket, stream);
    }
    for (const [key, n] of Object.entries(s.names ?? {})) {
      const name = key === '' ? undefined : key;
      if (n.requests > 0) this.countRequests(index, name, n.requests, s.reqFirst ?? s.first, s.reqLast ?? s.last);
      if (n.failed > 0) this.countFailed(index, name, n.failed);
      const d = n.duration;
      if (!d || d.n === 0) continue;
      this.duration.recordDist(d);
      const named = this.names.named(name, 0);
      named?.latency.recordDist(d);
      const b = this.buckets.get(index);
      if (b) {
        recordPairs(b.hist, d.h);
        const nb = named && this.buckets.nameIn(b, named.key);
        if (nb) recordPairs(nb.hist, d.h);
      } else this.buckets.late(index, undefined, (h) => recordPairs(h, d.h));
    }
    if (s.waiting) this.waiting.recordDist(s.waiting);
    if (s.connecting) this.connecting.recordDist(s.connecting);
    this.checksPass += s.checksPass ?? 0;
    this.checksFail += s.checksFail ?? 0;
    this.iterations += s.iterations ?? 0;
    this.dropped += s.dropped ?? 0;
    this.dataSent += s.sent ?? 0;
    this.dataReceived += s.received ?? 0;
    if (s.vus !== undefined) this.countVus(index, s.vus, s.vusAt ?? s.last);
    if (s.vusMax !== undefined && s.vusMax > this.vusMax) this.vusMax = s.vusMax;
  }

  /** loadctl's k6 output: a series named for the first time in stream `stream` (one per k6 process). */
  declareSeries(d: SeriesDeclaration, stream = 0): void {
    this.k6.declare(d, stream);
  }

  /** Fixes the bucket origin before any data: instances merged share one origin (their caller's). */
  startAt(ms: number): void {
    if (Number.isNaN(this.startMs)) this.startMs = ms;
  }

  /** k6's json output: a metric's type, before its samples. */
  declareMetric(metric: string, type: K6MetricType, contains: 'time' | 'data' | 'default'): void {
    this.k6.declareMetric(metric, type, contains);
  }

  /** loadctl's k6 output: samples folded into a metric's overflow series. */
  noteSpilled(n: number): void {
    this.spilled += n;
  }

  /** Every k6 metric so far (thresholds that abort the run are judged on it while k6 runs). */
  liveK6Metrics(): K6Metrics {
    return this.k6.snapshot(this.maxMs >= this.minMs ? this.maxMs - this.minMs : 0, this.spilled);
  }

  live(): LiveStats {
    const bucketSec = this.bucketMs / 1000;
    const newest = this.buckets.newest;
    const full = newest - 1;
    const fullBucket = this.buckets.openAt(full);
    const fullRequests = fullBucket ? fullBucket.requests : (this.buckets.series[full]?.requests ?? 0);
    this.scratch.reset();
    for (let i = Math.max(0, newest - 4); i <= newest; i++) {
      const b = this.buckets.openAt(i);
      if (b && b.hist.totalCount > 0) this.scratch.add(b.hist);
    }
    return {
      elapsedMs: this.maxMs >= this.minMs ? this.maxMs - this.minMs : 0,
      requests: this.requests,
      rps: full >= 0 ? fullRequests / bucketSec : 0,
      p95: this.scratch.totalCount > 0 ? percentilesMs(this.scratch, [0.95])[0]! : null,
      errorRate: this.requests > 0 ? this.failed / this.requests : 0,
      vus: this.vusNow,
    };
  }

  /** Time buckets closed so far (no more samples can land in them), oldest first. */
  closedSeries(): readonly SeriesPoint[] {
    return this.buckets.series;
  }

  /** Closes every bucket and returns the run's aggregate; later calls return the same object. */
  finish(): AggregateResult {
    if (this.result) return this.result;
    this.buckets.closeAll();
    const series = this.buckets.series;
    // The last bucket is cut short by the end of the run: its rate is over the part it covers,
    // or a chart would show a drop that never happened.
    const last = series[series.length - 1];
    if (last && series.length > 1) {
      const coveredMs = this.maxMs - (this.startMs + last.tMs);
      if (coveredMs > 0 && coveredMs < this.bucketMs) last.rps = last.requests / (Math.max(coveredMs, this.bucketMs / 10) / 1000);
    }
    const activeSec = Math.max(this.bucketMs, this.reqLastMs - this.reqFirstMs) / 1000;
    const { byName, byNameHist } = this.names.summaries(activeSec);
    const metrics: Metrics = {
      http: { ...httpStats(this.requests, this.failed, this.duration, activeSec), byName },
      iterations: this.iterations,
      droppedIterations: this.dropped,
      checks: { passes: this.checksPass, fails: this.checksFail },
      vusMax: this.vusMax,
      dataSentBytes: this.dataSent,
      dataReceivedBytes: this.dataReceived,
      k6: this.k6.snapshot(this.maxMs >= this.minMs ? this.maxMs - this.minMs : 0, this.spilled),
    };
    this.result = {
      metrics,
      series,
      histograms: {
        unit: 'us',
        overall: encodeHistogram(this.duration.hist),
        byName: byNameHist,
        waiting: encodeHistogram(this.waiting.hist),
        connecting: encodeHistogram(this.connecting.hist),
        ...(this.keepHist ? { buckets: this.buckets.hists } : {}),
        ...(this.buckets.byName ? { bucketsByName: Object.fromEntries(this.buckets.byName) } : {}),
      },
      timings: { waitingMs: this.waiting.summary(), connectingMs: this.connecting.summary() },
      startMs: Number.isNaN(this.startMs) ? 0 : this.startMs,
      durationMs: this.maxMs >= this.minMs ? this.maxMs - this.minMs : 0,
      bucketMs: this.bucketMs,
      lateSamples: this.buckets.lateSamples,
      ignoredSamples: this.ignored,
      otherNames: this.names.otherNames,
    };
    return this.result;
  }

  /** The bucket index for data from `first` to `last` ms in bucket time `t`; -1 if ignored. */
  private place(t: number, first: number, last: number, samples: number): number {
    // A time a day beyond everything so far is no k6 sample; following it would allocate a bucket
    // per second of the gap.
    if (!(first - this.maxMs <= MAX_JUMP_MS) && this.maxMs !== -Infinity) {
      this.ignored += samples;
      return -1;
    }
    if (first < this.minMs) this.minMs = first;
    if (last > this.maxMs) this.maxMs = last;
    const index = Math.max(0, Math.floor((t - this.startMs) / this.bucketMs));
    this.buckets.advanceTo(index);
    return index;
  }

  private countRequests(index: number, name: string | undefined, n: number, first: number, last: number): void {
    this.requests += n;
    if (first < this.reqFirstMs) this.reqFirstMs = first;
    if (last > this.reqLastMs) this.reqLastMs = last;
    const named = this.names.named(name, n);
    if (named) named.requests += n;
    const b = this.buckets.get(index);
    if (b) b.requests += n;
    else this.buckets.late(index, (p) => { p.requests += n; });
  }

  private countFailed(index: number, name: string | undefined, n: number): void {
    this.failed += n;
    const named = this.names.named(name, 0);
    if (named) named.failed += n;
    const b = this.buckets.get(index);
    if (b) {
      b.failed += n;
      const nb = named && this.buckets.nameIn(b, named.key);
      if (nb) nb.failed += n;
    }
    else this.buckets.late(index, (p) => { p.failed += n; });
  }

  private countVus(index: number, v: number, t: number): void {
    if (v > this.vusMax) this.vusMax = v;
    if (t >= this.vusNowAt) { this.vusNow = v; this.vusNowAt = t; }
    this.buckets.noteVus(v);
    const b = this.buckets.get(index);
    if (b) { if (v > b.vus) b.vus = v; }
    else this.buckets.late(index, (p) => { if (v > p.vus) p.vus = v; });
  }
}
