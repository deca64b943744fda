// Lines from loadctl's k6 output extension (k6/output, `--out loadctl=<pipe>`): once a second, the
// time buckets touched since the last line, each already aggregated inside k6. Pure: a line in, a
// checked record out. It was written by loadctl's former k6 extension; recorded streams stay readable.
import type { DistRecord } from './histograms.js';
import { K6_METRIC_TYPES } from './k6-metric-types.js';
import type { SeriesDeclaration, SeriesRecord } from './k6-metric-store.js';

export const SLOT_FORMAT_VERSION = 2;

export interface NameRecord {
  requests: number;
  failed: number;
  duration?: DistRecord;
}

export interface SlotRecord {
  t: number; // bucket start, epoch ms
  first: number; // first and last sample time in it
  last: number;
  reqFirst?: number;
  reqLast?: number;
  samples: number; // k6 samples folded into this slot
  names?: Record<string, NameRecord>; // by k6 `name` tag; '' when a request had none
  waiting?: DistRecord;
  connecting?: DistRecord;
  checksPass?: number;
  checksFail?: number;
  iterations?: number;
  dropped?: number;
  sent?: number;
  received?: number;
  vus?: number;
  vusAt?: number;
  vusMax?: number;
  series?: SeriesRecord[]; // every metric, per series declared in this line or an earlier one
}

export interface SlotLine {
  v: number;
  bucketMs: number;
  origin: number;
  skipped: number; // 0 since format 2 (every metric is folded into series)
  declare?: SeriesDeclaration[]; // series first seen since the previous line
  spilled?: number; // samples folded into a metric's overflow series
  slots: SlotRecord[];
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const optNum = (x: unknown): boolean => x === undefined || isNum(x);

function isDist(x: unknown): x is DistRecord {
  if (x === undefined) return true;
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Record<string, unknown>;
  if (!isNum(d.n) || !isNum(d.sum) || !isNum(d.min) || !isNum(d.max) || !Array.isArray(d.h) || d.h.length % 2 !== 0) return false;
  let total = 0;
  for (let i = 0; i < d.h.length; i += 2) {
    const v = d.h[i] as unknown;
    const c = d.h[i + 1] as unknown;
    if (!isNum(v) || !isNum(c) || v < 0 || c < 0 || !Number.isInteger(v) || !Number.isInteger(c)) return false;
    total += c;
  }
  return total === d.n;
}

const isPairs = (x: unknown): boolean => x === undefined || (Array.isArray(x) && x.length % 2 === 0 && x.every((v) => isNum(v) && v >= 0 && Number.isInteger(v)));

function isSeriesRecord(x: unknown): x is SeriesRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return Number.isInteger(r.id) && isNum(r.n) && isNum(r.nz) && isNum(r.sum) && isNum(r.min) && isNum(r.max) && isNum(r.last) && isNum(r.lastAt) && isPairs(r.h) && isPairs(r.hNeg);
}

function isDeclaration(x: unknown): x is SeriesDeclaration {
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Record<string, unknown>;
  if (!Number.isInteger(d.id) || typeof d.metric !== 'string' || !(K6_METRIC_TYPES as readonly unknown[]).includes(d.type)) return false;
  if (d.tags === undefined) return true;
  return typeof d.tags === 'object' && d.tags !== null && Object.values(d.tags).every((v) => typeof v === 'string');
}

function isSlot(x: unknown): x is SlotRecord {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  if (!isNum(s.t) || !isNum(s.first) || !isNum(s.last) || !isNum(s.samples)) return false;
  for (const k of ['reqFirst', 'reqLast', 'checksPass', 'checksFail', 'iterations', 'dropped', 'sent', 'received', 'vus', 'vusAt', 'vusMax']) {
    if (!optNum(s[k])) return false;
  }
  if (!isDist(s.waiting) || !isDist(s.connecting)) return false;
  if (s.series !== undefined && !(Array.isArray(s.series) && s.series.every(isSeriesRecord))) return false;
  if (s.names === undefined) return true;
  if (typeof s.names !== 'object' || s.names === null) return false;
  for (const n of Object.values(s.names as Record<string, unknown>)) {
    if (typeof n !== 'object' || n === null) return false;
    const r = n as Record<string, unknown>;
    if (!isNum(r.requests) || !isNum(r.failed) || !isDist(r.duration)) return false;
  }
  return true;
}

/** A parsed line, `null` for a blank one, 'malformed' for anything else (never throws). */
export function parseSlotLine(line: string, bucketMs: number): SlotLine | null | 'malformed' {
  if (line.trim() === '') return null;
  let x: unknown;
  try {
    x = JSON.parse(line);
  } catch {
    return 'malformed';
  }
  if (typeof x !== 'object' || x === null) return 'malformed';
  const r = x as Record<string, unknown>;
  if (r.v !== SLOT_FORMAT_VERSION || r.bucketMs !== bucketMs || !isNum(r.origin) || !isNum(r.skipped) || !Array.isArray(r.slots)) return 'malformed';
  if (!r.slots.every(isSlot)) return 'malformed';
  if (r.declare !== undefined && !(Array.isArray(r.declare) && r.declare.every(isDeclaration))) return 'malformed';
  if (!optNum(r.spilled)) return 'malformed';
  return r as unknown as SlotLine;
}
