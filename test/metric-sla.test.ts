// sla.metrics judged on the metrics of a recorded real k6 run (test/fixtures/k6-run.ndjson, whose
// k6 summary gives the expected numbers).
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/results/aggregator.js';
import { consumeSamples } from '../src/k6/stream.js';
import { DEFAULT_TRACKED_TAGS } from '../src/results/k6-metric-types.js';
import { judgeMetricLimits, limitTags, parseMetricLimits, type ParsedLimit } from '../src/judge/sla/metric-sla.js';

const fixture = (f: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url)), 'utf8');
const summary = JSON.parse(fixture('k6-summary.json')) as { metrics: Record<string, { values: Record<string, number> }> };

async function k6Metrics() {
  const agg = new Aggregator({ tags: [...DEFAULT_TRACKED_TAGS, 'phase'] });
  await consumeSamples(Readable.from([fixture('k6-run.ndjson')]), 'loadctl', agg, { parsed: 0, malformed: 0 });
  return agg.finish().metrics.k6!;
}

const limits = (m: Parameters<typeof parseMetricLimits>[0]): ParsedLimit[] => {
  const p = parseMetricLimits(m);
  if (!Array.isArray(p)) throw new Error(p.detail);
  return p;
};

describe('sla.metrics', () => {
  it('judges custom and built-in metrics, submetrics included, in k6 terms', async () => {
    const k6 = await k6Metrics();
    const warmP95 = summary.metrics['tunnel_setup{phase:warm}']!.values['p(95)']!;
    const checks = judgeMetricLimits(limits({
      'tunnel_setup{phase:warm}': { p95: warmP95 * 1.1, 'p(95)': '< 10' },
      checks: { rate: 0.99 },
      business_errors: { rate: 0.5 },
      jobs_created: { count: `== ${summary.metrics.jobs_created!.values.count}` },
      queue_depth: { value: '>= 0' },
    }), k6);
    expect(checks.map((c) => [c.name, c.status, c.unit])).toEqual([
      ['p95 of tunnel_setup{phase:warm}', 'pass', 'ms'],
      ['p(95) of tunnel_setup{phase:warm}', 'fail', 'ms'],
      ['rate of checks', 'fail', 'ratio'], // 91 % of checks passed: the lower bound of 99 % fails
      ['rate of business_errors', 'pass', 'ratio'],
      ['count of jobs_created', 'pass', 'count'],
      ['value of queue_depth', 'pass', 'count'],
    ]);
    expect(checks[2]).toMatchObject({ limit: '>= 99.0%', measured: summary.metrics.checks!.values.rate });
  });

  it('is inconclusive with no samples, and suggests the metric a typo meant', async () => {
    const k6 = await k6Metrics();
    const [typo, none] = judgeMetricLimits(limits({ tunel_setup: { p95: 100 }, 'tunnel_setup{phase:cold}': { p95: 100 } }), k6);
    expect(typo).toMatchObject({ status: 'inconclusive', reason: 'no tunel_setup samples were recorded (did you mean tunnel_setup?)' });
    expect(none).toMatchObject({ status: 'inconclusive', reason: 'no tunnel_setup{phase:cold} samples were recorded' });
    expect(judgeMetricLimits(limits({ 'x{region:eu}': { max: 1 } }), k6)[0]!.reason).toBe('the run did not track the tag region');
    expect(limitTags(limits({ 'x{region:eu}': { max: 1 }, 'y{group:::g,name:a}': { max: 1 } }))).toEqual(['region', 'group', 'name']);
  });

  it('refuses what k6 would not accept, naming the field', () => {
    expect(parseMetricLimits({ http_reqs: { p95: 1 } })).toMatchObject({ pointer: '/sla/metrics/http_reqs/p95', detail: 'http_reqs is a counter: it has no p95' });
    expect(parseMetricLimits({ 'a/b': { max: 1 } })).toMatchObject({ pointer: '/sla/metrics/a~1b' });
    expect(parseMetricLimits({ checks: { rate: 'about 1' } })).toMatchObject({ pointer: '/sla/metrics/checks/rate', detail: '"about 1" is not a limit' });
    expect(parseMetricLimits({ x: { p101: 1 } })).toMatchObject({ pointer: '/sla/metrics/x/p101' });
  });
});
