// The time buckets of a run: each kept as a live histogram while samples for it may still arrive
// (k6 flushes its outputs in batches, so samples come a little out of order), then shrunk to a
// SeriesPoint plus an optional compressed histogram. Pure; used by the Aggregator.
import type { JsHistogram } from 'hdr-histogram-js';
import { decodeHistogram, encodeHistogram, newHistogram, percentilesMs } from './histograms.js';
import type { SeriesPoint } from './series-types.js';

export interface OpenBucket {
  hist: JsHistogram;
  requests: number;
  failed: number;
  vus: number; // -1 until a vus sample lands here
  names?: Map<string, NameInBucket>; // only when kept by request name
}

interface NameInBucket {
  hist: JsHistogram;
  failed: number;
}

/** One request name's buckets, index-aligned with the series: latency histograms and failures. */
export interface NameSeries {
  hists: (string | null)[];
  failed: number[];
}

const SERIES_PERCENTILES = [0.5, 0.95, 0.99];

export class Buckets {
  readonly series: SeriesPoint[] = [];
  readonly hists: (string | null)[] = []; // per series point; null = empty
  newest = -1;
  lateSamples = 0; // arrived after their bucket was closed (counted, merged back in)
  private closedUpTo = -1; // every bucket index <= this is in `series`
  private readonly open = new Map<number, OpenBucket>();
  private readonly pool: JsHistogram[] = [];
  private lastVus = 0;
  private firstVus = -1;
  /** Per request name, when asked for (a chaos run judges latency outside its fault windows). */
  readonly byName: Map<string, NameSeries> | undefined;

  constructor(
    private readonly bucketMs: number,
    private readonly lateBuckets: number,
    private readonly keepHist: boolean,
    private readonly digits: 2 | 3,
    keepByName = false,
    private readonly onClose?: (index: number, point: SeriesPoint) => void,
  ) {
    this.byName = keepByName ? new Map() : undefined;
  }

  /** The histogram and failure count of `name` in an open bucket; undefined when not kept by name. */
  nameIn(b: OpenBucket, name: string): NameInBucket | undefined {
    if (!this.byName) return undefined;
    b.names ??= new Map();
    let n = b.names.get(name);
    if (!n) {
      n = { hist: this.pool.pop() ?? newHistogram(32, this.digits), failed: 0 };
      b.names.set(name, n);
    }
    return n;
  }

  /** Data has reached bucket `index`: buckets far enough behind it can take no more samples. */
  advanceTo(index: number): void {
    if (index <= this.newest) return;
    this.newest = index;
    this.closeThrough(index - this.lateBuckets - 1);
  }

  closeAll(): void {
    this.closeThrough(this.newest);
  }

  isClosed(index: number): boolean {
    return index <= this.closedUpTo;
  }

  openAt(index: number): OpenBucket | undefined {
    return this.open.get(index);
  }

  /** The first vus value stands in for buckets before k6's first once-a-second vus sample. */
  noteVus(v: number): void {
    if (this.firstVus < 0) this.firstVus = v;
  }

  /** The open bucket for `index`, created on demand; undefined once that bucket is closed. */
  get(index: number): OpenBucket | undefined {
    if (index <= this.closedUpTo) return undefined;
    let b = this.open.get(index);
    if (!b) {
      b = { hist: this.pool.pop() ?? newHistogram(32, this.digits), requests: 0, failed: 0, vus: -1 };
      this.open.set(index, b);
    }
    return b;
  }

  private closeThrough(last: number): void {
    for (let i = this.closedUpTo + 1; i <= last; i++) {
      const b = this.open.get(i);
      const carried = this.series.length > 0 ? this.lastVus : Math.max(0, this.firstVus);
      const point = this.point(i, b?.hist, b?.requests ?? 0, b?.failed ?? 0, b && b.vus >= 0 ? b.vus : carried);
      this.lastVus = point.vus;
      this.onClose?.(i, point);
      this.series.push(point);
      if (this.keepHist) this.hists.push(b && b.hist.totalCount > 0 ? encodeHistogram(b.hist) : null);
      if (this.byName) this.closeNames(i, b?.names);
      if (b) {
        b.hist.reset();
        this.pool.push(b.hist);
        this.open.delete(i);
      }
      this.closedUpTo = i;
    }
  }

  private point(i: number, hist: JsHistogram | undefined, requests: number, failed: number, vus: number): SeriesPoint {
    const [p50, p95, p99] = hist && hist.totalCount > 0 ? percentilesMs(hist, SERIES_PERCENTILES) : [null, null, null];
    return {
      tMs: i * this.bucketMs,
      rps: requests / (this.bucketMs / 1000),
      errorRate: requests > 0 ? failed / requests : 0,
      p50: p50 ?? null,
      p95: p95 ?? null,
      p99: p99 ?? null,
      vus,
      requests,
      failed,
    };
  }

  // Rare: a sample for a bucket already closed. Its counts are patched into the point (so series
  // sums keep matching the totals) and its latency into the re-decoded bucket histogram.
  late(index: number, patch?: (p: SeriesPoint) => void, record?: (h: JsHistogram) => void): void {
    const p = this.series[index];
    if (!p) return;
    this.lateSamples++;
    patch?.(p);
    p.rps = p.requests / (this.bucketMs / 1000);
    p.errorRate = p.requests > 0 ? p.failed / p.requests : 0;
    if (record === undefined || !this.keepHist) return;
    const encoded = this.hists[index];
    const hist = encoded ? decodeHistogram(encoded) : newHistogram(32, this.digits);
    record(hist);
    this.hists[index] = encodeHistogram(hist);
    [p.p50, p.p95, p.p99] = percentilesMs(hist, SERIES_PERCENTILES) as [number, number, number];
  }

  // Names first seen later get empty buckets for the indices before them, so every NameSeries
  // stays aligned with the series. Late samples are counted in the totals, not here (rare).
  private closeNames(i: number, names: Map<string, NameInBucket> | undefined): void {
    for (const [name, n] of names ?? []) {
      if (!this.byName!.has(name)) this.byName!.set(name, { hists: new Array<string | null>(i).fill(null), failed: new Array<number>(i).fill(0) });
      const ns = this.byName!.get(name)!;
      ns.hists.push(n.hist.totalCount > 0 ? encodeHistogram(n.hist) : null);
      ns.failed.push(n.failed);
      n.hist.reset();
      this.pool.push(n.hist);
    }
    for (const ns of this.byName!.values()) {
      if (ns.hists.length === i) {
        ns.hists.push(null);
        ns.failed.push(0);
      }
    }
  }
}
