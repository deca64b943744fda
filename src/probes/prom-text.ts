// A parser for the Prometheus text exposition format (version 0.0.4, which OpenMetrics text also
// reads as for gauges and counters): a scanner over each sample line, so label values holding
// spaces, commas, braces or escaped quotes are read exactly. Pure.
//
//   metric_name [ "{" label="value" { "," label="value" } [ "," ] "}" ] value [ timestamp ]
//   # HELP name text      # TYPE name gauge|counter|histogram|summary|untyped      # anything else

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface PromFamily {
  type?: string;
  help?: string;
}

export interface PromParse {
  samples: PromSample[];
  families: Map<string, PromFamily>;
}

export class PromParseError extends Error {
  constructor(line: number, detail: string) {
    super(`line ${line}: ${detail}`);
  }
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

export function parsePromText(text: string): PromParse {
  const samples: PromSample[] = [];
  const families = new Map<string, PromFamily>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('#')) {
      meta(line.trimStart(), families);
      continue;
    }
    samples.push(sampleLine(line, i + 1));
  }
  return { samples, families };
}

function meta(line: string, families: Map<string, PromFamily>): void {
  const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
  if (!m) return; // a plain comment
  const family = families.get(m[2]!) ?? {};
  if (m[1] === 'TYPE') family.type = (m[3] ?? '').trim();
  else family.help = (m[3] ?? '').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
  families.set(m[2]!, family);
}

function sampleLine(line: string, n: number): PromSample {
  let pos = 0;
  const fail = (detail: string): never => {
    throw new PromParseError(n, `${detail} at column ${pos + 1}`);
  };
  const skipSpace = (): void => {
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
  };
  const ident = (start: RegExp, rest: RegExp, what: string): string => {
    const from = pos;
    if (!start.test(line[pos] ?? '')) fail(`expected ${what}`);
    pos++;
    while (rest.test(line[pos] ?? '')) pos++;
    return line.slice(from, pos);
  };

  skipSpace();
  const name = ident(NAME_START, NAME_CHAR, 'a metric name');
  const labels: Record<string, string> = {};
  skipSpace();
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      skipSpace();
      if (line[pos] === '}') break;
      const label = ident(LABEL_START, LABEL_CHAR, 'a label name');
      skipSpace();
      if (line[pos++] !== '=') fail(`expected "=" after label ${label}`);
      skipSpace();
      if (line[pos++] !== '"') fail(`expected a quoted value for label ${label}`);
      let value = '';
      for (;;) {
        const c = line[pos++];
        if (c === undefined) fail(`unterminated value of label ${label}`);
        if (c === '"') break;
        if (c === '\\') {
          const e = line[pos++];
          value += e === 'n' ? '\n' : e === '\\' || e === '"' ? e : fail(`bad escape \\${e ?? ''} in label ${label}`);
        } else value += c;
      }
      if (label in labels) fail(`label ${label} given twice`);
      labels[label] = value;
      skipSpace();
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') fail('expected "," or "}"');
    }
    pos++;
  }
  const rest = line.slice(pos).trim().split(/[ \t]+/);
  if (rest[0] === undefined || rest[0] === '') fail(`no value for ${name}`);
  if (rest.length > 2) fail(`unexpected text after the value of ${name}`);
  const value = parseValue(rest[0]!);
  if (value === null) fail(`value ${JSON.stringify(rest[0])} of ${name} is not a number`);
  const sample: PromSample = { name, labels, value: value! };
  if (rest[1] !== undefined) {
    const ts = Number(rest[1]);
    if (!Number.isFinite(ts)) fail(`timestamp ${JSON.stringify(rest[1])} is not a number`);
    sample.timestampMs = ts;
  }
  return sample;
}

/** Go's ParseFloat spellings the format allows: decimals, exponents, NaN and ±Inf. */
export function parseValue(text: string): number | null {
  const t = text.toLowerCase();
  if (t === 'nan') return NaN;
  if (t === '+inf' || t === 'inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

/** Samples of `name` whose labels include every matcher. */
export function selectSamples(parse: PromParse, name: string, matchers: Record<string, string>): PromSample[] {
  return parse.samples.filter((s) => s.name === name && Object.entries(matchers).every(([k, v]) => (s.labels[k] ?? '') === v));
}
