// K6Metrics built straight from raw k6 samples, for the threshold tests: what loadctl's aggregator
// will hand the judge, made here from known samples (or from a real run's `--out json` stream)
// without the aggregator, so the judge is tested on its own.
import { encodeHistogram, newHistogram } from '../../src/results/histograms.js';
import { DEFAULT_TRACKED_TAGS, type K6Metrics, type K6MetricType, type MetricSeries } from '../../src/results/k6-metric-types.js';

export interface RawSample {
  metric: string;
  type: K6MetricType;
  contains?: 'time' | 'data' | 'default';
  value: number;
  tags?: Record<string, string>;
  time?: number; // epoch ms
}

export function metricsFromSamples(samples: readonly RawSample[], durationMs: number, tracked: readonly string[] = DEFAULT_TRACKED_TAGS): K6Metrics {
  const byKey = new Map<string, { s: MetricSeries; pos: number[]; neg: number[] }>();
  let seq = 0;
  for (const x of samples) {
    const tags: Record<string, string> = {};
    for (const t of tracked) if (x.tags?.[t] !== undefined) tags[t] = x.tags[t]!;
    const key = `${x.metric}|${JSON.stringify(Object.entries(tags).sort())}`;
    let e = byKey.get(key);
    if (!e) {
      e = { s: { metric: x.metric, type: x.type, contains: x.contains ?? 'default', tags, count: 0, sum: 0, min: Infinity, max: -Infinity, nonZero: 0, last: 0, lastAt: -Infinity }, pos: [], neg: [] };
      byKey.set(key, e);
    }
    const s = e.s;
    const at = x.time ?? seq++;
    s.count++;
    s.sum += x.value;
    s.min = Math.min(s.min, x.value);
    s.max = Math.max(s.max, x.value);
    if (x.value !== 0) s.nonZero++;
    if (at >= s.lastAt) {
      s.last = x.value;
      s.lastAt = at;
    }
    if (x.type === 'trend') (x.value >= 0 ? e.pos : e.neg).push(Math.round(Math.abs(x.value) * 1000));
  }
  const series = [...byKey.values()].map(({ s, pos, neg }) => {
    if (s.type !== 'trend') return s;
    const enc = (vals: number[]) => {
      const h = newHistogram(64, 3);
      for (const v of vals) h.recordValue(v);
      return encodeHistogram(h);
    };
    return { ...s, hist: enc(pos), ...(neg.length ? { histNeg: enc(neg) } : {}) };
  });
  return { tags: [...tracked], durationMs, series, overflow: 0 };
}

/** k6's `--out json` NDJSON → samples with their metric's type (from the Metric lines). */
export function samplesFromNdjson(text: string): RawSample[] {
  const types = new Map<string, { type: K6MetricType; contains: 'time' | 'data' | 'default' }>();
  const out: RawSample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as { type: string; metric: string; data: Record<string, unknown> };
    if (o.type === 'Metric') types.set(o.metric, { type: o.data.type as K6MetricType, contains: o.data.contains as 'time' });
    if (o.type !== 'Point') continue;
    const t = types.get(o.metric)!;
    out.push({ metric: o.metric, ...t, value: o.data.value as number, tags: (o.data.tags ?? {}) as Record<string, string>, time: Date.parse(o.data.time as string) });
  }
  return out;
}
