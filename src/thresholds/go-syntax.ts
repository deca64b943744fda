// Two pieces of Go's syntax that k6's threshold grammar leans on, so loadctl accepts exactly the
// numbers and durations k6 accepts: strconv.ParseFloat (a threshold's value, a percentile) and
// time.Duration's text (the `delayAbortEval` that `k6 inspect` prints). Pure.

// Go's ParseFloat: decimal with optional exponent, hex floats with a `p` exponent, inf/infinity
// (signed) and nan (unsigned), case-insensitive; underscores only after a base prefix.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX = /^[+-]?0[xX](_?[0-9a-fA-F])*(\.[0-9a-fA-F_]*)?[pP][+-]?\d+$/;
const INF = /^[+-]?(inf|infinity)$/i;

/** The number Go's strconv.ParseFloat(s, 64) returns, or undefined where it returns an error. */
export function goParseFloat(s: string): number | undefined {
  if (INF.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (DECIMAL.test(s)) {
    const v = Number(s);
    // Go reports a value out of float64's range as an error (ErrRange).
    return Number.isFinite(v) ? v : undefined;
  }
  if (HEX.test(s)) return hexFloat(s);
  return undefined;
}

function hexFloat(s: string): number | undefined {
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[+-]/, '').slice(2).replace(/_/g, '');
  const [mant, exp] = body.split(/[pP]/) as [string, string];
  const [int, frac = ''] = mant.split('.') as [string, string?];
  if (int === '' && frac === '') return undefined;
  let v = 0;
  for (const c of int + frac) v = v * 16 + parseInt(c, 16);
  v = v * Math.pow(2, Number(exp) - 4 * frac.length);
  return Number.isFinite(v) ? sign * v : undefined;
}

const GO_UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const GO_PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Milliseconds for a Go duration ("5s", "1m30s", "1.5s", "250ms", "0") as time.ParseDuration reads
 * it, or k6's extensions: a bare number is milliseconds, and "2d3h" counts days. Undefined if malformed.
 */
export function parseGoDuration(input: string): number | undefined {
  const s = input.trim();
  const plain = goParseFloat(s);
  if (plain !== undefined) return Number.isFinite(plain) ? plain : undefined;
  const days = /^([+-]?\d+)d(.*)$/.exec(s);
  if (days) {
    const rest = days[2] === '' ? 0 : parseGoDuration(days[2]!);
    if (rest === undefined || rest < 0 || /^[+-]/.test(days[2]!)) return undefined;
    const d = Number(days[1]);
    return d * 86_400_000 + (d < 0 || days[1] === '-0' ? -rest : rest);
  }
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[+-]/, '');
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  let at = 0;
  GO_PART.lastIndex = 0;
  while (at < body.length) {
    GO_PART.lastIndex = at;
    const m = GO_PART.exec(body);
    if (!m) return undefined;
    total += Number(m[1]) * GO_UNIT_MS[m[2]!]!;
    at = GO_PART.lastIndex;
  }
  return sign * total;
}
