// HDR histogram helpers: latencies are recorded as integer microseconds and read back in ms, so
// sub-millisecond latencies keep their precision. Encoded histograms use hdr-histogram-js's
// compressed base64 (the HdrHistogram V2 format other ports read too).
import { createRequire } from 'node:module';
import type { LatencySummary } from './types.js';

// Only the modules loadctl uses, required (CommonJS) so every loader (Node, vitest, the bundled
// CLI) sees the same exports. Not the package index: it loads the log writer (an Intl number
// formatter, ~30 ms) and the WebAssembly build (~35 ms), both before k6 could start. The encoding
// module also loads the WebAssembly build, so it is required on first use (after the run).
const require = createRequire(import.meta.url);
const JsHistogram = (require('hdr-histogram-js/dist/JsHistogram.js') as typeof import('hdr-histogram-js/dist/JsHistogram.js')).default;
type JsHistogram = InstanceType<typeof JsHistogram>;
const { constructorFromBucketSize } = require('hdr-histogram-js/dist/JsHistogramFactory.js') as typeof import('hdr-histogram-js/dist/JsHistogramFactory.js');
let encodingModule: typeof import('hdr-histogram-js/dist/encoding.js') | undefined;
const encoding = () => (encodingModule ??= require('hdr-histogram-js/dist/encoding.js') as typeof import('hdr-histogram-js/dist/encoding.js'));


export function newHistogram(bits: 32 | 64 = 64, digits: 2 | 3 = 3): JsHistogram {
  // What the package's build() does for a pure-JS histogram (lowest 1, highest 2, auto-resized).
  const Histogram = constructorFromBucketSize(bits);
  const h = new Histogram(1, 2, digits);
  h.autoResize = true;
  // percentilesMs needs a JsHistogram's index accessors.
  if (!(h instanceof JsHistogram)) throw new Error('expected a pure-JS HDR histogram');
  return h;
}

export function toMicros(ms: number): number {
  return ms > 0 ? Math.round(ms * 1000) : 0;
}

/** Records flattened value/count pairs ([v0, c0, v1, c1, …], values in µs). */
export function recordPairs(h: JsHistogram, pairs: readonly number[]): void {
  for (let i = 0; i + 1 < pairs.length; i += 2) h.recordValueWithCount(pairs[i]!, pairs[i + 1]!);
}

/** A distribution aggregated elsewhere (loadctl's k6 output): exact n/sum/min/max (ms) plus µs pairs. */
export interface DistRecord {
  n: number;
  sum: number;
  min: number;
  max: number;
  h: number[];
}

export function encodeHistogram(h: JsHistogram): string {
  return encoding().encodeIntoCompressedBase64(h);
}

/** Decodes into 64-bit counts, so merging many instances cannot overflow a bucket. */
export function decodeHistogram(encoded: string): JsHistogram {
  const h = encoding().decodeFromCompressedBase64(encoded, 64, false);
  if (!(h instanceof JsHistogram)) throw new Error('expected a pure-JS HDR histogram');
  h.autoResize = true; // decoding sizes it to the values it holds; later records may be larger
  return h;
}

/** Exact merge: counts add bucket by bucket, so merged percentiles equal those of the union. */
export function mergeHistograms(encoded: readonly string[]): string {
  const sum = newHistogram(64, 3);
  for (const e of encoded) sum.add(decodeHistogram(e));
  return encodeHistogram(sum);
}

/**
 * Percentiles in ms the way k6 computes them (linear interpolation between the samples at ranks
 * floor/ceil of p·(n−1)), so they agree with k6's summary; each rank's value is the midpoint of its
 * HDR bucket. One pass over the counts for all percentiles.
 */
export function percentilesMs(h: JsHistogram, ps: readonly number[]): number[] {
  const n = h.totalCount;
  if (n === 0) return ps.map(() => 0);
  const ranks: number[] = [];
  for (const p of ps) {
    const r = Math.min(1, Math.max(0, p)) * (n - 1);
    ranks.push(Math.floor(r), Math.ceil(r));
  }
  const order = ranks.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]!);
  const values = new Array<number>(ranks.length).fill(0);
  let k = 0;
  let cumulative = 0;
  for (let i = 0; i < h.countsArrayLength && k < order.length; i++) {
    const c = h.getCountAtIndex(i);
    if (c === 0) continue;
    cumulative += c;
    const v = h.medianEquivalentValue(h.valueFromIndex(i)) / 1000;
    while (k < order.length && ranks[order[k]!]! < cumulative) values[order[k++]!] = v;
  }
  return ps.map((p, j) => {
    const r = Math.min(1, Math.max(0, p)) * (n - 1);
    const lo = values[2 * j]!;
    return lo + (values[2 * j + 1]! - lo) * (r - Math.floor(r));
  });
}

/** A LatencySummary (ms) from a histogram alone: within HDR precision of the exact values. */
export function summaryFromHistogram(input: string | JsHistogram): LatencySummary {
  const h = typeof input === 'string' ? decodeHistogram(input) : input;
  if (h.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  const [min, p50, p90, p95, p99, max] = percentilesMs(h, [0, 0.5, 0.9, 0.95, 0.99, 1]) as number[];
  return { min: min!, mean: h.mean / 1000, p50: p50!, p90: p90!, p95: p95!, p99: p99!, max: max! };
}

// Keeps the exact count/sum/min/max beside the histogram, so mean, min and max match k6 exactly.
export class LatencyRecorder {
  readonly hist: JsHistogram;
  // 32-bit counts halve a histogram's memory (a run may keep hundreds: one per request name);
  // 64-bit only where one histogram may count past 4 billion samples (the whole run).
  constructor(bits: 32 | 64 = 64) {
    this.hist = newHistogram(bits, 3);
  }
  private count = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;

  record(ms: number): void {
    this.hist.recordValue(toMicros(ms));
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /** Adds a pre-aggregated distribution: the same state as recording each of its samples. */
  recordDist(d: DistRecord): void {
    if (d.n === 0) return;
    recordPairs(this.hist, d.h);
    this.count += d.n;
    this.sum += d.sum;
    if (d.min < this.min) this.min = d.min;
    if (d.max > this.max) this.max = d.max;
  }

  summary(): LatencySummary {
    if (this.count === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
    const [p50, p90, p95, p99] = percentilesMs(this.hist, [0.5, 0.9, 0.95, 0.99]) as number[];
    return { min: this.min, mean: this.sum / this.count, p50: p50!, p90: p90!, p95: p95!, p99: p99!, max: this.max };
  }
}

