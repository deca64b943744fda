// The series of a k6 metric (metric × tracked tags): how a stream declares one, one series' slot
// aggregate, and the keys and order they are stored and reported in. Pure.
import { builtInType, type K6MetricType, type MetricSeries } from './k6-metric-types.js';

/** A series as loadctl's k6 output declares it. */
export interface SeriesDeclaration {
  id: number;
  metric: string;
  type: K6MetricType;
  contains?: 'time' | 'data' | 'default';
  tags?: Record<string, string>;
}

/** One series' aggregate within one slot, as loadctl's k6 output writes it. */
export interface SeriesRecord {
  id: number;
  n: number;
  nz: number;
  sum: number;
  min: number;
  max: number;
  last: number;
  lastAt: number;
  h?: number[];
  hNeg?: number[];
}

export function builtInDecl(metric: string): SeriesDeclaration | undefined {
  const t = builtInType(metric);
  return t ? { id: -1, metric, ...t } : undefined;
}
export function declKey(d: SeriesDeclaration): string {
  const tags = Object.entries(d.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([d.metric, d.type, d.contains ?? 'default', tags]);
}
// Series in a stable order whatever stream they came from: by metric, then by their tags.
export function bySeries(a: MetricSeries, b: MetricSeries): number {
  if (a.metric !== b.metric) return a.metric < b.metric ? -1 : 1;
  const ka = tagKey(a.tags);
  const kb = tagKey(b.tags);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
export function tagKey(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${k}\u0001${tags[k]}`)
    .join('\u0000');
}
export function sortedTags(tags: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(tags ?? {}).sort()) out[k] = tags![k]!;
  return out;
}
