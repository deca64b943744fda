// k6's CSV sample output (`--out csv=…`): a header row names the columns, then one row per sample.
// Pure.
import { assignTag, newSample, parseRfc3339Ms, type ParsedLine } from './samples.js';

const NOT_TAGS = new Set(['metric_name', 'timestamp', 'metric_value', 'extra_tags', 'metadata']);
const UNTAGGED = new Set(['vus', 'vus_max']);

/**
 * Builds a parser for the rows that follow k6's CSV header. Tag columns depend on --system-tags, so
 * they come from the header: every column but k6's fixed ones is a tag, and `extra_tags` (`k=v&k=v`)
 * holds the others (custom ones such as `phase`). Throws when the header lacks k6's three fixed columns.
 */
export function createCsvParser(header: string): (line: string) => ParsedLine {
  const columns = splitCsv(header.trim());
  if (!columns) throw new Error('CSV header has an unterminated quote');
  const at = (n: string): number => columns.indexOf(n);
  const metricCol = at('metric_name');
  const timeCol = at('timestamp');
  const valueCol = at('metric_value');
  if (metricCol < 0 || timeCol < 0 || valueCol < 0) {
    throw new Error('not a k6 CSV header (needs metric_name, timestamp, metric_value)');
  }
  const extraCol = at('extra_tags');
  const groupCol = at('group');
  const tagCols: number[] = [];
  columns.forEach((c, i) => { if (!NOT_TAGS.has(c)) tagCols.push(i); });
  const width = columns.length;
  // Only the wanted columns are sliced; the rest are skipped by position.
  const wanted: (string | undefined)[] = new Array(width).fill(undefined);
  const want = new Array<boolean>(width).fill(false);
  for (const c of [metricCol, timeCol, valueCol, extraCol, ...tagCols]) if (c >= 0) want[c] = true;

  const build = (field: (i: number) => string | undefined): ParsedLine => {
    const metric = field(metricCol);
    const timeMs = parseCsvTime(field(timeCol) ?? '');
    const rawValue = field(valueCol) ?? '';
    const value = rawValue === '' ? Number.NaN : Number(rawValue);
    if (!metric || Number.isNaN(timeMs) || Number.isNaN(value)) return 'malformed';
    const sample = newSample(metric, timeMs, value);
    for (const col of tagCols) {
      const v = field(col);
      // An empty field is a tag k6 did not set, except `group`: k6 tags every sample of a VU
      // with its group, "" at the top level (as the json and loadctl streams show); only the
      // engine's own gauges (vus, vus_max) carry no tags at all.
      if (v) assignTag(sample, columns[col]!, v);
      else if (col === groupCol && v === '' && !UNTAGGED.has(metric)) assignTag(sample, 'group', '');
    }
    const extra = extraCol >= 0 ? field(extraCol) : undefined;
    if (extra) {
      for (const pair of extra.split('&')) {
        const eq = pair.indexOf('=');
        if (eq > 0) assignTag(sample, pair.slice(0, eq), pair.slice(eq + 1));
      }
    }
    return sample;
  };

  return (line) => {
    if (line === '' || line.trim() === '') return null;
    if (line.indexOf('"') >= 0) {
      const fields = splitCsv(line);
      if (!fields || fields.length !== width) return 'malformed';
      return build((i) => fields[i]);
    }
    let start = 0;
    for (let i = 0; i < width; i++) {
      const comma = line.indexOf(',', start);
      const isLast = i === width - 1;
      // A row with too few or too many fields is cut off or foreign: never guess.
      if (isLast ? comma >= 0 : comma < 0) return 'malformed';
      const end = isLast ? line.length : comma;
      wanted[i] = want[i] ? line.slice(start, end) : undefined;
      start = end + 1;
    }
    return build((i) => wanted[i]);
  };
}

// k6's csv output can write seconds, ms, µs or ns since the epoch, or RFC 3339; the digit count
// tells the unix variants apart for any date between 2001 and 2286.
function parseCsvTime(s: string): number {
  if (s === '') return Number.NaN;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return parseRfc3339Ms(s);
  }
  const n = Number(s);
  if (s.length <= 11) return n * 1000;
  if (s.length <= 14) return n;
  if (s.length <= 17) return n / 1000;
  return n / 1e6;
}

/** RFC 4180 split (Go's encoding/csv quotes fields holding commas or quotes); null if unterminated. */
export function splitCsv(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return null;
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i >= line.length) return out;
      if (line.charCodeAt(i) !== 44) return null;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}
