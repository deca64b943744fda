// k6's threshold grammar as loadctl reads it: what k6 accepts parses to the same thing, what k6
// refuses is a UsageError (exit 2) naming the script, the key and the expression.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/util/errors.js';
import { goParseFloat, parseGoDuration } from '../src/thresholds/go-syntax.js';
import { parseExpression, parseThresholds, thresholdName, thresholdTags } from '../src/thresholds/parse.js';

describe('parseExpression', () => {
  it.each([
    ['p(95)<500', { aggregation: 'p', percentile: 95, operator: '<', value: 500 }],
    ['p(99.9) < 800', { aggregation: 'p', percentile: 99.9, operator: '<', value: 800 }],
    ['  avg<=200.5 ', { aggregation: 'avg', operator: '<=', value: 200.5 }],
    ['rate>0.99', { aggregation: 'rate', operator: '>', value: 0.99 }],
    ['count >= 1e3', { aggregation: 'count', operator: '>=', value: 1000 }],
    ['value===3', { aggregation: 'value', operator: '===', value: 3 }],
    ['med==3', { aggregation: 'med', operator: '==', value: 3 }],
    ['max != 0', { aggregation: 'max', operator: '!=', value: 0 }],
    ['min>-5', { aggregation: 'min', operator: '>', value: -5 }],
    ['p(0)>=0', { aggregation: 'p', percentile: 0, operator: '>=', value: 0 }],
    ['p(100)<0x10p0', { aggregation: 'p', percentile: 100, operator: '<', value: 16 }],
    ['avg<inf', { aggregation: 'avg', operator: '<', value: Infinity }],
  ])('%s parses as k6 reads it', (src, want) => {
    expect(parseExpression(src)).toEqual({ source: src, ...want });
  });

  it.each([
    ['p95<500', /not an aggregation/],
    ['AVG<5', /not an aggregation/],
    ['p(95)<', /no comparison/],
    ['p(95)', /no comparison/],
    ['p(95)=500', /no comparison/],
    ['p(101)<5', /from 0 to 100/],
    ['p(-1)<5', /from 0 to 100/],
    ['p( 95)<5', /not a number/],
    ['p(abc)<5', /not a number/],
    ['avg<fast', /not a number/],
    ['avg < 1_000', /not a number/],
    ['avg<1e400', /not a number/],
    ['avg<>5', /not a number/],
    ['rate<0.1 && rate>0', /not a number/],
  ])('%s is refused', (src, why) => {
    const r = parseExpression(src);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
  });
});

describe('Go number and duration syntax', () => {
  it('reads numbers as strconv.ParseFloat does', () => {
    expect(goParseFloat('5.')).toBe(5);
    expect(goParseFloat('.5')).toBe(0.5);
    expect(goParseFloat('-Infinity')).toBe(-Infinity);
    expect(goParseFloat('NaN')).toBeNaN();
    expect(goParseFloat('+nan')).toBeUndefined();
    expect(goParseFloat('0x1p-2')).toBe(0.25);
    expect(goParseFloat('0x10')).toBeUndefined(); // a hex float needs its p exponent
    expect(goParseFloat('')).toBeUndefined();
    expect(goParseFloat('1 0')).toBeUndefined();
  });

  it('reads durations as k6 does', () => {
    expect(parseGoDuration('5s')).toBe(5000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('1500')).toBe(1500); // a bare number is ms
    expect(parseGoDuration('1d2h')).toBe(26 * 3_600_000);
    expect(parseGoDuration('0s')).toBe(0);
    expect(parseGoDuration('5 s')).toBeUndefined();
    expect(parseGoDuration('soon')).toBeUndefined();
  });
});

describe('parseThresholds', () => {
  it('reads both forms and the submetric key', () => {
    const ts = parseThresholds(
      {
        http_req_duration: ['p(95)<500', { threshold: 'p(99)<800', abortOnFail: true, delayAbortEval: '10s' }],
        'http_req_duration{name:checkout}': ['avg<100'],
        'checks{check:"status is 200"}': ['rate>0.9'],
      },
      'load.js',
    );
    expect(ts.map(thresholdName)).toEqual([
      'http_req_duration: p(95)<500',
      'http_req_duration: p(99)<800',
      'http_req_duration{name:checkout}: avg<100',
      'checks{check:"status is 200"}: rate>0.9',
    ]);
    expect(ts[1]).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 10_000 });
    expect(ts[0]).toMatchObject({ abortOnFail: false });
    expect(ts[0]!.delayAbortEvalMs).toBeUndefined();
    expect(ts[2]!.selector).toEqual({ metric: 'http_req_duration', tags: { name: 'checkout' } });
    expect(ts[3]!.selector.tags).toEqual({ check: 'status is 200' });
    expect(thresholdTags(ts)).toEqual(['check', 'name']);
  });

  it('reads a group filter with its leading ::', () => {
    const [t] = parseThresholds({ 'group_duration{group:::checkout::pay}': ['max<2000'] }, 's.js');
    expect(t!.selector.tags).toEqual({ group: '::checkout::pay' });
  });

  it('has nothing to read when the script has no thresholds', () => {
    expect(parseThresholds(null, 's.js')).toEqual([]);
    expect(parseThresholds({}, 's.js')).toEqual([]);
  });

  const refused = (raw: unknown): UsageError => {
    try {
      parseThresholds(raw, 'scripts/load.js');
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return e as UsageError;
    }
    throw new Error('expected a UsageError');
  };

  it('names the script, the key and the expression of a malformed threshold, with the fix', () => {
    const e = refused({ http_req_duration: ['p(95)<500', 'p95<500'] });
    expect(e.message).toBe('scripts/load.js: options.thresholds["http_req_duration"]: "p95<500" is malformed: "p95" is not an aggregation: use one of value, count, rate, avg, min, med, max or p(N)');
    expect(e.hint).toMatch(/p\(95\)<500/);
    expect(e.exitCode).toBe(2);
  });

  it('refuses an aggregation the built-in metric type does not answer, as k6 does', () => {
    expect(refused({ http_req_duration: ['count>10'] }).message).toMatch(/"count>10": count does not apply to a trend metric: use avg, min, max, med, p\(N\)/);
    expect(refused({ http_reqs: ['p(95)<1'] }).message).toMatch(/p\(95\) does not apply to a counter metric: use count, rate/);
    expect(refused({ vus: ['rate<1'] }).message).toMatch(/rate does not apply to a gauge metric: use value/);
    expect(refused({ checks: ['count>1'] }).message).toMatch(/count does not apply to a rate metric: use rate/);
  });

  it('refuses bad keys, bad shapes and bad abort options', () => {
    expect(refused({ 'http_req_duration{name:x': ['avg<1'] }).message).toMatch(/options.thresholds\["http_req_duration\{name:x"\]: the key is not a metric/);
    expect(refused({ 'http req': ['avg<1'] }).message).toMatch(/not a metric name/);
    expect(refused({ http_req_duration: 'p(95)<5' }).message).toMatch(/expected a list/);
    expect(refused({ http_req_duration: [42] }).message).toMatch(/expected an expression/);
    expect(refused({ http_req_duration: [{ threshold: 'avg<1', delayAbortEval: 'later' }] }).message).toMatch(/delayAbortEval "later" is not a duration/);
    expect(refused({ http_req_duration: [{ threshold: 'avg<1', abortOnFail: 'yes' }] }).message).toMatch(/abortOnFail must be true or false/);
  });
});
