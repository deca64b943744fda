// Line parsers for k6's per-sample outputs (`--out json=…`, `--out csv=…`). Pure: strings in,
// samples out. They run once per sample (millions per run), so the common shapes k6 writes take a
// hand-written fast path and anything unusual falls back to a strict, slower path.

export interface Sample {
  metric: string;
  timeMs: number; // epoch milliseconds (sub-ms precision from json, whole ms from unix_milli csv)
  value: number;
  name?: string;
  status?: string;
  expected?: boolean; // k6's expected_response tag
  phase?: string;
  scenario?: string;
  tags?: Record<string, string>; // every tag the sample carried (json and csv only)
}

/** A metric's declaration in k6's json output: its type, before its first sample. */
export interface MetricDeclaration {
  declare: { metric: string; type: 'trend' | 'rate' | 'counter' | 'gauge'; contains: 'time' | 'data' | 'default' };
}

/** null: not a sample (a header, a declaration); 'skipped': a well-formed sample loadctl does not aggregate. */
export type ParsedLine = Sample | MetricDeclaration | null | 'skipped' | 'malformed';

// Go writes RFC 3339 times; every sample within one second shares the same prefix and zone, so
// the costly Date.parse runs about once per second of test time.
let cachedSecond = '';
let cachedZone = '';
let cachedSecondMs = 0;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Epoch ms of an RFC 3339 time in `s` between `from` and `to` (default: all of it); NaN if invalid. */
export function parseRfc3339Ms(s: string, from = 0, to = s.length): number {
  if (to - from < 20 || s.charCodeAt(from + 10) !== 84 /* T */) return Date.parse(s.slice(from, to));
  let i = from + 19;
  let fractionMs = 0;
  if (s.charCodeAt(i) === 46 /* . */) {
    let digits = 0;
    const first = ++i;
    for (let c = s.charCodeAt(i) - 48; i < to && c >= 0 && c <= 9; c = s.charCodeAt(++i) - 48) digits = digits * 10 + c;
    const n = i - first;
    if (n === 0 || n > 9) return Number.NaN;
    fractionMs = (digits / (POW10[n] as number)) * 1000;
  }
  // substring + === beats startsWith(x, pos) severalfold in V8 for these short compares.
  const second = s.substring(from, from + 19);
  const zone = to - i === 1 ? (s.charCodeAt(i) === 90 /* Z */ ? 'Z' : s.substring(i, to)) : s.substring(i, to);
  if (second !== cachedSecond || zone !== cachedZone) {
    const ms = Date.parse(second + zone);
    if (Number.isNaN(ms)) return ms;
    cachedSecond = second;
    cachedZone = zone;
    cachedSecondMs = ms;
  }
  return cachedSecondMs + fractionMs;
}

// Plain decimals (what Go writes for k6 values) are read by hand: when the digits fit in 2^53 the
// quotient digits / 10^k is correctly rounded, i.e. exactly what Number() returns. Others use Number().
export function parseDecimal(s: string, from: number, to: number): number {
  let i = from;
  const negative = s.charCodeAt(i) === 45; /* - */
  if (negative) i++;
  let digits = 0;
  let count = 0;
  let scale = -1;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 && scale < 0) { scale = 0; continue; }
    if (c < 48 || c > 57) return Number(s.slice(from, to)); // exponent or junk
    digits = digits * 10 + (c - 48);
    count++;
    if (scale >= 0) scale++;
  }
  if (count === 0) return Number.NaN;
  if (count > 15) return Number(s.slice(from, to));
  const v = scale > 0 ? digits / (POW10[scale] as number) : digits;
  return negative ? -v : v;
}

// Every sample gets the same property order so the aggregator's hot path sees one object shape.
export function newSample(metric: string, timeMs: number, value: number): Sample {
  return { metric, timeMs, value, name: undefined, status: undefined, expected: undefined, phase: undefined, scenario: undefined, tags: undefined };
}

export function assignTag(sample: Sample, key: string, value: string): void {
  (sample.tags ??= {})[key] = value;
  switch (key) {
    case 'name': sample.name = value; break;
    case 'status': sample.status = value; break;
    case 'expected_response': sample.expected = value === 'true'; break;
    case 'phase': sample.phase = value; break;
    case 'scenario': sample.scenario = value; break;
  }
}

const POINT_HEAD = '{"metric":"';
const AFTER_METRIC = '","type":"Point","data":{"time":"';
const AFTER_TIME = '","value":';
const BEFORE_TAGS = ',"tags":{';

/** Parses one line of k6's NDJSON output. */
export function parseJsonLine(line: string): ParsedLine {
  if (line.substring(0, POINT_HEAD.length) !== POINT_HEAD) {
    if (line.startsWith('{"type":"Metric"')) return parseDeclaration(line);
    return line.trim() === '' ? null : parseJsonSlow(line);
  }
  const fast = parseJsonFast(line);
  return fast === undefined ? parseJsonSlow(line) : fast;
}

// undefined = "not the shape k6 usually writes", so the caller retries with JSON.parse.
function parseJsonFast(line: string): Sample | undefined {
  // Fixed parts are compared with substring + ===, which V8 runs far faster than startsWith(x, pos).
  const metricEnd = line.indexOf('"', POINT_HEAD.length);
  const timeStart = metricEnd + AFTER_METRIC.length;
  if (metricEnd < 0 || line.substring(metricEnd, timeStart) !== AFTER_METRIC) return undefined;
  const timeEnd = line.indexOf('"', timeStart);
  const valueStart = timeEnd + AFTER_TIME.length;
  if (timeEnd < 0 || line.substring(timeEnd, valueStart) !== AFTER_TIME) return undefined;
  const valueEnd = line.indexOf(',', valueStart);
  if (valueEnd <= valueStart || line.substring(valueEnd, valueEnd + BEFORE_TAGS.length) !== BEFORE_TAGS) return undefined;
  const timeMs = parseRfc3339Ms(line, timeStart, timeEnd);
  const value = parseDecimal(line, valueStart, valueEnd);
  if (Number.isNaN(timeMs) || Number.isNaN(value)) return undefined;
  const sample = newSample(line.slice(POINT_HEAD.length, metricEnd), timeMs, value);

  // Tags are a flat string→string map. Quotes are found by a char loop (cheaper than indexOf over
  // such short strings) that also notes escapes; an escaped value (e.g. Go's \u0026) is decoded
  // by JSON.parse of just that string, an escaped key sends the line to the strict path.
  let p = valueEnd + BEFORE_TAGS.length;
  const n = line.length;
  if (line.charCodeAt(p) === 125 /* } */) return n === p + 3 && endsWithBraces(line) ? sample : undefined;
  for (;;) {
    if (line.charCodeAt(p) !== 34 /* " */) return undefined;
    let end = p + 1;
    for (let c = line.charCodeAt(end); c !== 34; c = line.charCodeAt(++end)) if (c === 92 || end >= n) return undefined;
    const key = line.substring(p + 1, end);
    if (line.charCodeAt(end + 1) !== 58 /* : */ || line.charCodeAt(end + 2) !== 34) return undefined;
    const valueFrom = end + 3;
    let escaped = false;
    for (end = valueFrom; end < n; end++) {
      const c = line.charCodeAt(end);
      if (c === 34) break;
      if (c === 92) { escaped = true; end++; }
    }
    if (end >= n) return undefined;
    {
      let tagValue = line.substring(valueFrom, end);
      if (escaped) {
        try {
          tagValue = JSON.parse(`"${tagValue}"`) as string;
        } catch {
          return undefined;
        }
      }
      assignTag(sample, key, tagValue);
    }
    const next = line.charCodeAt(end + 1);
    if (next === 44 /* , */) {
      p = end + 2;
      continue;
    }
    if (next !== 125 /* } */) return undefined;
    // Anything after the tags (e.g. metadata) goes through the strict path to catch truncation.
    return n === end + 4 && endsWithBraces(line) ? sample : undefined;
  }
}

function endsWithBraces(line: string): boolean {
  const n = line.length;
  return line.charCodeAt(n - 1) === 125 && line.charCodeAt(n - 2) === 125 && line.charCodeAt(n - 3) === 125;
}

interface JsonPoint {
  type?: unknown;
  metric?: unknown;
  data?: { time?: unknown; value?: unknown; tags?: Record<string, unknown> | null; type?: unknown; contains?: unknown; name?: unknown };
}

const TYPES = ['trend', 'rate', 'counter', 'gauge'];
const CONTAINS = ['time', 'data', 'default'];

function parseDeclaration(line: string): ParsedLine {
  try {
    return declaration(JSON.parse(line) as JsonPoint);
  } catch {
    return 'malformed';
  }
}

function declaration(obj: JsonPoint): ParsedLine {
  const d = obj.data;
  const metric = typeof obj.metric === 'string' ? obj.metric : d?.name;
  if (typeof metric !== 'string' || !d || !TYPES.includes(d.type as string)) return 'malformed';
  const contains = CONTAINS.includes(d.contains as string) ? (d.contains as MetricDeclaration['declare']['contains']) : 'default';
  return { declare: { metric, type: d.type as MetricDeclaration['declare']['type'], contains } };
}

function parseJsonSlow(line: string): ParsedLine {
  let obj: JsonPoint;
  try {
    obj = JSON.parse(line) as JsonPoint;
  } catch {
    return 'malformed';
  }
  if (obj === null || typeof obj !== 'object') return 'malformed';
  if (obj.type !== 'Point') return obj.type === 'Metric' ? declaration(obj) : 'malformed';
  const data = obj.data;
  if (typeof obj.metric !== 'string' || !data || typeof data.time !== 'string' || typeof data.value !== 'number') {
    return 'malformed';
  }
  const timeMs = parseRfc3339Ms(data.time);
  if (Number.isNaN(timeMs)) return 'malformed';
  const sample = newSample(obj.metric, timeMs, data.value);
  if (data.tags && typeof data.tags === 'object') {
    for (const key of Object.keys(data.tags)) {
      const v = data.tags[key];
      if (typeof v === 'string') assignTag(sample, key, v);
    }
  }
  return sample;
}
