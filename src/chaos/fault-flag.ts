// `--fault` → FaultSpec. Grammar: <kind>[=<value>][,<param>=<value>…]@<at>[+<duration>], e.g.
//   latency=800ms@60s+30s · latency=1s,jitter=100ms@fault+20s · down@fault · reset@fault+5s+10s
// where <at> is an offset from the start of load, a phase, or a phase plus an offset; the last
// `+part` is the duration (a bare phase may leave it out: the fault then lasts the phase). Pure.
import { DURATION_PATTERN } from '../config/chaos-schema.js';
import type { FaultSpec } from '../config/types.js';
import { UsageError } from '../util/errors.js';
import { KINDS, type ParamKey } from './kinds.js';
import { FAULT_KINDS, type FaultKind } from './types.js';

const EXAMPLE = 'e.g. --fault latency=800ms@60s+30s or --fault latency=1s,jitter=100ms@fault+20s';
const DURATION = new RegExp(DURATION_PATTERN);
const PARAM_KEYS: readonly ParamKey[] = ['latency', 'jitter', 'rate', 'timeout', 'loss', 'direction', 'workers', 'load', 'size'];

export function parseFaultFlag(text: string): FaultSpec {
  const fail = (detail: string, hint = EXAMPLE): never => {
    throw new UsageError(`--fault ${text}: ${detail}`, hint);
  };
  const atSign = text.lastIndexOf('@');
  if (atSign < 0) fail('says what but not when (no "@")', `add @<at>+<duration>; ${EXAMPLE}`);
  const what = text.slice(0, atSign).split(',').map((s) => s.trim());
  const when = text.slice(atSign + 1).trim();

  const [head, ...rest] = what;
  const [rawKind, mainValue] = splitPair(head ?? '');
  const kind = rawKind === 'blackhole' ? 'timeout' : rawKind;
  if (!isKind(kind)) return fail(`unknown fault kind "${rawKind}"`, `use one of ${FAULT_KINDS.join(', ')} (or blackhole)`);
  const spec: FaultSpec = { kind, at: '' };
  const k = KINDS[kind];
  if (rawKind === 'blackhole') spec.timeout = '0s';
  if (mainValue !== undefined) {
    if (!k.main) fail(`${kind} takes no value`, `write ${kind}@<at>+<duration>`);
    setParam(spec, k.main!, mainValue, fail);
  }
  for (const pair of rest) {
    const [key, value] = splitPair(pair);
    if (!PARAM_KEYS.includes(key as ParamKey) || !k.params.includes(key as ParamKey)) {
      fail(`${kind} has no parameter "${key}"`, k.params.length ? `${kind} takes ${k.params.join(', ')}` : `${kind} takes no parameters`);
    }
    if (value === undefined) fail(`"${key}" needs a value (${key}=…)`);
    setParam(spec, key as ParamKey, value!, fail);
  }

  const parts = when.split('+').map((s) => s.trim());
  if (parts.some((p) => p === '')) fail(`"@${when}" has an empty part`);
  const startsAtOffset = DURATION.test(parts[0]!);
  if (parts.length === 1) {
    if (startsAtOffset) fail(`"@${when}" gives a start but no duration`, `add +<duration>, e.g. @${when}+30s`);
    spec.at = parts[0]!;
  } else {
    const duration = parts[parts.length - 1]!;
    if (!DURATION.test(duration)) fail(`"${duration}" is not a duration`, 'write durations like 30s, 1m30s or 500ms');
    spec.at = parts.slice(0, -1).join('+');
    spec.duration = duration;
  }
  return spec;
}

function splitPair(s: string): [string, string | undefined] {
  const eq = s.indexOf('=');
  return eq < 0 ? [s.trim(), undefined] : [s.slice(0, eq).trim(), s.slice(eq + 1).trim()];
}

function isKind(s: string): s is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(s);
}

function setParam(spec: FaultSpec, key: ParamKey, raw: string, fail: (d: string, h?: string) => never): void {
  // `unit`: a suffix people may write after the number (KB/s, %), dropped before reading it.
  const number = (unit: RegExp | null, what: string, integer = false): number => {
    const n = Number(unit ? raw.replace(unit, '') : raw);
    if (raw === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) fail(`${key}=${raw} is not ${what}`);
    return n;
  };
  switch (key) {
    case 'latency':
    case 'jitter':
    case 'timeout':
      if (!DURATION.test(raw)) fail(`${key}=${raw} is not a duration`, `write it like 800ms or 1s`);
      spec[key] = raw;
      return;
    case 'rate':
      spec.rate = number(/\s*KB\/s$/i, 'a rate in KB/s');
      return;
    case 'loss': {
      const n = number(/\s*%$/, 'a percentage');
      if (n > 100) fail(`loss=${raw} is over 100%`);
      spec.loss = n;
      return;
    }
    case 'workers':
      spec.workers = number(null, 'a whole number of workers', true);
      return;
    case 'load':
      spec.load = number(/\s*%$/, 'a whole percentage', true);
      return;
    case 'size':
      if (!/^[0-9]+(B|KB|MB|GB|%)$/.test(raw)) fail(`size=${raw} is not a size`, 'write it like 256MB or 50%');
      spec.size = raw;
      return;
    case 'direction':
      if (raw !== 'to' && raw !== 'from' && raw !== 'both') fail(`direction=${raw} must be to, from or both`);
      spec.direction = raw as 'to' | 'from' | 'both';
      return;
  }
}
