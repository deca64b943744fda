// Every k6 metric, built-in and custom, aggregated by loadctl — from its own k6 output and from
// k6's json and csv outputs of the same real run (test/fixtures/README.md) — agrees with k6's own
// end-of-test summary of that run, submetrics (tag filters) included.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/results/aggregator.js';
import { consumeSamples } from '../src/k6/stream.js';
import { DEFAULT_TRACKED_TAGS, type K6Metrics } from '../src/results/k6-metric-types.js';
import { parseSelector, selectMetric } from '../src/results/k6-metric-query.js';
import type { SampleCounts, SampleFormat } from '../src/results/types.js';

const fixture = (f: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url)), 'utf8');
type Summary = { metrics: Record<string, { type: string; contains: string; values: Record<string, number> }>; state: { testRunDurationMs: number } };
const summary = JSON.parse(fixture('k6-summary.json')) as Summary;

async function k6MetricsOf(format: SampleFormat, file: string): Promise<K6Metrics> {
  const agg = new Aggregator({ tags: [...DEFAULT_TRACKED_TAGS, 'phase'] });
  const counts: SampleCounts = { parsed: 0, malformed: 0 };
  await consumeSamples(Readable.from([fixture(file)]), format, agg, counts);
  expect(counts.malformed).toBe(0);
  return agg.finish().metrics.k6!;
}

const close = (ours: number, theirs: number, rel = 0.01, abs = 0.001) => Math.abs(ours - theirs) <= Math.abs(theirs) * rel + abs;

for (const [format, file] of [['loadctl', 'k6-run.ndjson'], ['json', 'k6-run.json']] as const) {
  describe(`every metric from the ${format} stream`, () => {
    it("matches k6's summary for every metric and submetric k6 reported", async () => {
      const k6 = await k6MetricsOf(format, file);
      const keys = Object.keys(summary.metrics);
      expect(keys.length).toBeGreaterThan(30);
      for (const key of keys) {
        const theirs = summary.metrics[key]!;
        const selector = parseSelector(key);
        if (typeof selector === 'string') throw new Error(selector);
        const ours = selectMetric(k6, selector);
        expect(ours, key).toBeDefined();
        expect(ours!.type, key).toBe(theirs.type);
        expect(ours!.contains, key).toBe(theirs.contains);
        const v = theirs.values;
        const why = `${key} ${JSON.stringify(v)}`;
        switch (theirs.type) {
          case 'trend':
            expect(ours!.count, why).toBe(v.count);
            expect(ours!.min, why).toBe(v.min);
            expect(ours!.max, why).toBe(v.max);
            expect(close(ours!.avg, v.avg!, 1e-9, 1e-9), why).toBe(true);
            for (const [stat, p] of [['med', 50], ['p(90)', 90], ['p(95)', 95], ['p(99)', 99]] as const) {
              expect(close(ours!.percentile(p), v[stat]!), `${why} ${stat} ${ours!.percentile(p)}`).toBe(true);
            }
            expect(ours!.med).toBe(ours!.percentile(50));
            break;
          case 'rate':
            expect(ours!.passes, why).toBe(v.passes);
            expect(ours!.fails, why).toBe(v.fails);
            expect(ours!.rate, why).toBeCloseTo(v.rate!, 12);
            break;
          case 'counter':
            expect(ours!.count, why).toBe(v.count);
            // k6 divides by its whole test run; loadctl by the time from first to last sample.
            expect(close(ours!.rate, v.rate!, 0.1, 0), `${why} rate ${ours!.rate}`).toBe(true);
            break;
          case 'gauge':
            expect(ours!.value, why).toBe(v.value);
            expect(ours!.min, why).toBe(v.min);
            expect(ours!.max, why).toBe(v.max);
            break;
        }
      }
    });
  });
}

describe('the csv stream', () => {
  it('aggregates the built-in metrics and names the custom ones it cannot type', async () => {
    const k6 = await k6MetricsOf('csv', 'k6-run.csv');
    expect(k6.untyped).toEqual(['business_errors', 'jobs_created', 'queue_depth', 'skew', 'tunnel_setup']);
    const checks = selectMetric(k6, { metric: 'checks', tags: { check: 'a is 200' } });
    expect(checks?.passes).toBe(summary.metrics['checks{check:a is 200}']!.values.passes);
  });
});

describe('selectors', () => {
  it("parse k6's submetric syntax, group values with colons included", () => {
    expect(parseSelector('http_req_duration{group:::wizard}')).toEqual({ metric: 'http_req_duration', tags: { group: '::wizard' } });
    expect(parseSelector('checks{ check : "a is 200" , scenario:x }')).toEqual({ metric: 'checks', tags: { check: 'a is 200', scenario: 'x' } });
    expect(parseSelector('tunnel_setup')).toEqual({ metric: 'tunnel_setup', tags: {} });
    for (const bad of ['http_req_duration{name:a', 'a}b{', 'x{}', 'x{name}', 'bad-name', 'x{a:b}y']) expect(typeof parseSelector(bad), bad).toBe('string');
  });

  it('a tag filter no series carries selects nothing', async () => {
    const k6 = await k6MetricsOf('loadctl', 'k6-run.ndjson');
    expect(selectMetric(k6, { metric: 'tunnel_setup', tags: { phase: 'nope' } })).toBeUndefined();
    expect(selectMetric(k6, { metric: 'no_such_metric', tags: {} })).toBeUndefined();
  });
});
