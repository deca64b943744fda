// Folds every k6 metric into series (metric × tracked tags) for the whole run, and keeps one value
// per metric per time bucket for charts. Pure. Fed either by loadctl's k6 output (series already
// aggregated per slot, declared once) or sample by sample from k6's json/csv outputs.
import type { JsHistogram } from 'hdr-histogram-js';
import { encodeHistogram, newHistogram, percentilesMs, recordPairs, toMicros } from './histograms.js';
import type { K6Metrics, K6MetricType, MetricSeries } from './k6-metric-types.js';
import { builtInDecl, bySeries, declKey, sortedTags, type SeriesDeclaration, type SeriesRecord } from './k6-series.js';

export type { SeriesDeclaration, SeriesRecord } from './k6-series.js';

/** Metrics whose per-bucket values the series carry: not the HTTP ones SeriesPoint already has. */
const IN_SERIES_POINTS = (metric: string): boolean => !metric.startsWith('http_req') && metric !== 'vus' && metric !== 'vus_max';
const MAX_CHARTED_METRICS = 50;
const MAX_SERIES_PER_METRIC = 300; // as k6/output/series.go

interface Acc {
  decl: SeriesDeclaration;
  streams: Set<number>; // the streams whose declarations name it
  count: number;
  sum: number;
  min: number;
  max: number;
  nonZero: number;
  last: number;
  lastAt: number;
  pos?: JsHistogram;
  neg?: JsHistogram;
}

/** Per bucket, per metric: enough to give the bucket's value for a chart. */
interface BucketAcc {
  count: number;
  sum: number;
  nonZero: number;
  last: number;
  lastAt: number;
  hist?: JsHistogram; // trends: 2 significant digits is plenty for a chart point
}

export class K6MetricStore {
  // Ids from loadctl's k6 output, per stream: each k6 process numbers its own series, so with
  // several instances one id names different series in different streams.
  private readonly byId = new Map<number, Map<number, Acc>>();
  // A series seen in one stream is the same series in another (same metric and tags): merged.
  private readonly byDecl = new Map<string, Acc[]>();
  private readonly byKey = new Map<string, Acc>(); // json/csv samples
  private readonly perMetric = new Map<string, number>();
  private readonly declared = new Map<string, SeriesDeclaration>(); // json: metric → its type
  private readonly untyped = new Set<string>();
  private readonly buckets = new Map<number, Map<string, BucketAcc>>();
  private readonly charted = new Set<string>();
  private readonly types = new Map<string, K6MetricType>();
  private nextId = 0;
  overflow = 0;

  constructor(readonly tracked: readonly string[]) {}

  /** loadctl's k6 output: a series named for the first time in stream `stream`. */
  declare(d: SeriesDeclaration, stream = 0): void {
    let ids = this.byId.get(stream);
    if (!ids) this.byId.set(stream, (ids = new Map()));
    if (ids.has(d.id)) return;
    // Within one stream two declarations stay apart (a metric's overflow series has no tags, like
    // its untagged one); across streams the first not yet claimed by this stream is shared.
    const key = declKey(d);
    const same = this.byDecl.get(key) ?? [];
    let acc = same.find((a) => !a.streams.has(stream));
    if (!acc) {
      acc = newAcc(d);
      same.push(acc);
      this.byDecl.set(key, same);
    }
    acc.streams.add(stream);
    ids.set(d.id, acc);
  }

  /** k6's json output: a metric's declaration (type and value type). */
  declareMetric(metric: string, type: K6MetricType, contains: 'time' | 'data' | 'default'): void {
    this.declared.set(metric, { id: -1, metric, type, contains });
  }

  /** loadctl's k6 output: a series' aggregate over one slot, in time bucket `bucket` (-1: closed). */
  addRecord(r: SeriesRecord, bucket: number, stream = 0): boolean {
    const acc = this.byId.get(stream)?.get(r.id);
    if (!acc || r.n === 0) return acc !== undefined;
    acc.count += r.n;
    acc.sum += r.sum;
    acc.nonZero += r.nz;
    if (r.min < acc.min) acc.min = r.min;
    if (r.max > acc.max) acc.max = r.max;
    if (r.lastAt >= acc.lastAt) {
      acc.last = r.last;
      acc.lastAt = r.lastAt;
    }
    if (acc.decl.type === 'trend') {
      if (r.h && r.h.length > 0) recordPairs((acc.pos ??= newHistogram(64, 3)), r.h);
      if (r.hNeg && r.hNeg.length > 0) recordPairs((acc.neg ??= newHistogram(64, 3)), r.hNeg);
    }
    const b = this.bucketAcc(bucket, acc.decl);
    if (b) {
      b.count += r.n;
      b.sum += r.sum;
      b.nonZero += r.nz;
      if (r.lastAt >= b.lastAt) {
        b.last = r.last;
        b.lastAt = r.lastAt;
      }
      if (b.hist && r.h) recordPairs(b.hist, r.h);
    }
    return true;
  }

  /** One sample from k6's json/csv output; `tags` holds at least the tracked tags it carried. */
  addSample(metric: string, tags: Record<string, string> | undefined, timeMs: number, value: number, bucket: number): void {
    const acc = this.sampleSeries(metric, tags);
    if (!acc) return;
    acc.count++;
    acc.sum += value;
    if (value !== 0) acc.nonZero++;
    if (value < acc.min) acc.min = value;
    if (value > acc.max) acc.max = value;
    if (timeMs >= acc.lastAt) {
      acc.last = value;
      acc.lastAt = timeMs;
    }
    if (acc.decl.type === 'trend') {
      if (value < 0) (acc.neg ??= newHistogram(64, 3)).recordValue(toMicros(-value));
      else (acc.pos ??= newHistogram(64, 3)).recordValue(toMicros(value));
    }
    const b = this.bucketAcc(bucket, acc.decl);
    if (b) {
      b.count++;
      b.sum += value;
      if (value !== 0) b.nonZero++;
      if (timeMs >= b.lastAt) {
        b.last = value;
        b.lastAt = timeMs;
      }
      if (b.hist && value >= 0) b.hist.recordValue(toMicros(value));
    }
  }

  private sampleSeries(metric: string, tags: Record<string, string> | undefined): Acc | undefined {
    const d = this.declared.get(metric) ?? builtInDecl(metric);
    if (!d) {
      this.untyped.add(metric);
      return undefined;
    }
    const picked: Record<string, string> = {};
    let key = metric;
    if (tags) {
      for (const t of this.tracked) {
        const v = tags[t];
        if (v !== undefined) {
          picked[t] = v;
          key += `\u0000${t}\u0001${v}`;
        }
      }
    }
    let acc = this.byKey.get(key);
    if (acc) return acc;
    const n = this.perMetric.get(metric) ?? 0;
    if (n >= MAX_SERIES_PER_METRIC) {
      this.overflow++;
      key = `${metric}\u0000(overflow)`;
      acc = this.byKey.get(key);
      if (acc) return acc;
      acc = newAcc({ id: this.nextId++, metric, type: d.type, contains: d.contains ?? 'default' });
    } else {
      this.perMetric.set(metric, n + 1);
      acc = newAcc({ id: this.nextId++, metric, type: d.type, contains: d.contains ?? 'default', tags: picked });
    }
    this.byKey.set(key, acc);
    return acc;
  }

  private bucketAcc(bucket: number, d: SeriesDeclaration): BucketAcc | undefined {
    if (bucket < 0 || !IN_SERIES_POINTS(d.metric)) return undefined;
    this.types.set(d.metric, d.type);
    if (!this.charted.has(d.metric)) {
      if (this.charted.size >= MAX_CHARTED_METRICS) return undefined;
      this.charted.add(d.metric);
    }
    let m = this.buckets.get(bucket);
    if (!m) this.buckets.set(bucket, (m = new Map()));
    let b = m.get(d.metric);
    if (!b) {
      b = { count: 0, sum: 0, nonZero: 0, last: 0, lastAt: -Infinity, ...(d.type === 'trend' ? { hist: newHistogram(32, 2) } : {}) };
      m.set(d.metric, b);
    }
    return b;
  }

  /**
   * Per bucket, per metric: one value for a chart (trend p95, rate's ratio, counter total, gauge's
   * last value). Taken once buckets are closed; clears what it returns.
   */
  takeBucketValues(bucket: number): Record<string, number> | undefined {
    const m = this.buckets.get(bucket);
    if (!m) return undefined;
    this.buckets.delete(bucket);
    const out: Record<string, number> = {};
    for (const [metric, b] of m) {
      const type = this.typeOf(metric);
      if (type === 'trend') out[metric] = b.hist && b.hist.totalCount > 0 ? percentilesMs(b.hist, [0.95])[0]! : 0;
      else if (type === 'rate') out[metric] = b.count > 0 ? b.nonZero / b.count : 0;
      else if (type === 'counter') out[metric] = b.sum;
      else out[metric] = b.last;
    }
    return out;
  }

  /** Buckets with values not yet taken (the late ones at the end of a run). */
  pendingBuckets(): number[] {
    return [...this.buckets.keys()].sort((a, b) => a - b);
  }

  private typeOf(metric: string): K6MetricType | undefined {
    return this.types.get(metric);
  }

  /** The run's metrics so far (also used live, for thresholds that abort). */
  snapshot(durationMs: number, spilled = 0): K6Metrics {
    const series: MetricSeries[] = [];
    for (const acc of [...[...this.byDecl.values()].flat(), ...this.byKey.values()]) {
      if (acc.count === 0) continue;
      const d = acc.decl;
      series.push({
        metric: d.metric,
        type: d.type,
        contains: d.contains ?? 'default',
        tags: sortedTags(d.tags),
        count: acc.count,
        sum: acc.sum,
        min: acc.min,
        max: acc.max,
        nonZero: acc.nonZero,
        last: acc.last,
        lastAt: acc.lastAt,
        ...(acc.pos ? { hist: encodeHistogram(acc.pos) } : {}),
        ...(acc.neg ? { histNeg: encodeHistogram(acc.neg) } : {}),
      });
    }
    series.sort(bySeries);
    return {
      tags: [...this.tracked],
      durationMs,
      series,
      overflow: this.overflow + spilled,
      ...(this.untyped.size > 0 ? { untyped: [...this.untyped].sort() } : {}),
    };
  }
}



function newAcc(decl: SeriesDeclaration): Acc {
  return { decl, streams: new Set(), count: 0, sum: 0, min: Infinity, max: -Infinity, nonZero: 0, last: 0, lastAt: -Infinity };
}
