// The "vs baseline" display of the reporters, from a real run judged against a pool of 3 baseline
// runs (test/fixtures/result-sustained-baseline.json: 4 SLA checks, 15 baseline checks) and a
// variant where the overall p95 regressed for sure and the overall throughput improved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { formatValue } from '../src/util/format.js';
import { loadChartAssets } from '../src/pipeline/chart-assets.js';
import { chartData, renderHtml } from '../src/report/html.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { RunResult } from '../src/results/types.js';

const root = new URL('..', import.meta.url).pathname;
const passing = JSON.parse(readFileSync(join(root, 'test/fixtures/result-spike.json'), 'utf8')) as RunResult;
const withBase = JSON.parse(readFileSync(join(root, 'test/fixtures/result-sustained-baseline.json'), 'utf8')) as RunResult;
const baseIdx = (name: string) => withBase.checks.findIndex((c) => c.name === name);
const P95 = baseIdx('p95 latency vs baseline (overall)');
const RPS = baseIdx('throughput vs baseline (overall)');
const regressed: RunResult = {
  ...withBase,
  status: 'fail',
  checks: withBase.checks.map((c, i) => {
    if (i === P95) return { ...c, status: 'fail', reason: 'p95 latency regressed', baseline: { ...c.baseline!, pValue: 0.001, confidence: 0.999, direction: 'regressed' } };
    if (i === RPS) return { ...c, status: 'pass', baseline: { ...c.baseline!, changePct: 25, pValue: 0.98, confidence: 0.02, direction: 'improved' } };
    return c;
  }),
};

const xml = new XMLParser({ ignoreAttributes: false, htmlEntities: true, attributeNamePrefix: '', isArray: (name) => name === 'testcase' || name === 'property' || name === 'testsuite' });
type Case = { name: string; failure?: { message: string; '#text': string }; skipped?: { message: string } };
type Suite = { name: string; tests: string; failures: string; skipped: string; time: string; testcase: Case[] };
function suitesOf(text: string): Suite[] {
  expect(XMLValidator.validate(text)).toBe(true);
  return (xml.parse(text) as { testsuites: { testsuite: Suite[] } }).testsuites.testsuite;
}

describe('markdown', () => {
  it('puts baseline checks in their own table: median, spread, this run, change, confidence, verdict', () => {
    const md = renderMarkdown(withBase);
    const sla = md.slice(md.indexOf('| check |'), md.indexOf('**vs baseline**'));
    expect(sla.split('\n').filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| check')).length).toBe(4);
    expect(sla).not.toContain('vs baseline');
    expect(md).toContain('**vs baseline** (pool of 3 runs)');
    expect(md).toContain('| metric | baseline median | spread (min–max) | this run | change % | confidence | verdict |');
    const c = withBase.checks[P95]!;
    const b = c.baseline!;
    const ms = (v: number) => formatValue(v, 'ms');
    const spread = `${ms(b.spread[0]).replace(' ms', '')}–${ms(b.spread[1])}`;
    expect(md).toContain(`| p95 latency (overall) | ${ms(b.median)} | ${spread} | ${ms(b.candidate)} | +${b.changePct.toFixed(1)}% | ${((1 - b.pValue!) * 100).toFixed(1)}% | inconclusive |`);
    expect(md).toContain('| p95 latency (overall) | 81.2 ms | 26.2–298 ms | 275 ms | +238.7% |');
    expect(md).toContain('| error rate (overall) | 0.00% | 0.00–0.00% | 0.00% | +0.0% | - | pass |');
    // Overall rows always; per-request ones only when not a plain pass; the rest counted.
    expect(md).toContain('| p50 latency (read-item) | 9.11 ms |');
    expect(md).not.toContain('| error rate (read-item) |');
    expect(md).toContain('<sub>8 more per-request checks (8 pass) in result.json</sub>');
    expect(md.split('\n').length).toBeLessThan(60);
  });

  it('marks a regression FAIL with its confidence, and an improvement as improved', () => {
    const md = renderMarkdown(regressed);
    expect(md).toContain('| p95 latency (overall) | 81.2 ms | 26.2–298 ms | 275 ms | +238.7% | 99.9% | **FAIL** |');
    expect(md).toMatch(/\| throughput \(overall\) \| 128\.0 req\/s \| 69\.5–139\.3 req\/s \| 78\.4 req\/s \| \+25\.0% \| 2\.0% \| improved \|/);
    expect(renderMarkdown(passing)).not.toContain('vs baseline');
  });
});

describe('junit', () => {
  it('puts baseline checks in a second suite, with totals summed on <testsuites>', () => {
    const text = renderJunit(withBase);
    const [main, base] = suitesOf(text) as [Suite, Suite];
    expect(suitesOf(text)).toHaveLength(2);
    expect(main.name).toBe('loadctl.sustained.local');
    expect(base.name).toBe('loadctl.sustained.local.baseline');
    expect(main.testcase.map((c) => c.name)).toEqual(withBase.checks.filter((c) => c.kind !== 'baseline').map((c) => c.name));
    expect(base.testcase.map((c) => c.name)).toEqual(withBase.checks.filter((c) => c.kind === 'baseline').map((c) => c.name));
    expect([main.tests, main.failures, main.skipped]).toEqual(['4', '1', '0']);
    expect([base.tests, base.failures, base.skipped, base.time]).toEqual(['15', '0', '6', '0.000']);
    const root = (xml.parse(text) as { testsuites: { tests: string; failures: string; skipped: string } }).testsuites;
    expect([root.tests, root.failures, root.skipped]).toEqual(['19', '1', '6']);
    const skipped = base.testcase.find((c) => c.name === 'p95 latency vs baseline (overall)')!;
    expect(skipped.skipped!.message).toContain('(baseline median 81.2 ms, spread 26.2–298 ms over 3 runs, this run 275 ms, change +238.7%, p = 1.0000)');
  });

  it('gives a baseline failure its median, spread, candidate, change and p-value', () => {
    const [, base] = suitesOf(renderJunit(regressed)) as [Suite, Suite];
    const fail = base.testcase.find((c) => c.failure)!;
    expect(fail.name).toBe('p95 latency vs baseline (overall)');
    expect(fail.failure!.message).toBe('p95 latency regressed (baseline median 81.2 ms, spread 26.2–298 ms over 3 runs, this run 275 ms, change +238.7%, p = 0.0010)');
    const b = regressed.checks[P95]!.baseline!;
    for (const line of [`baseline median: 81.2 ms (${b.median})`, `candidate: 275 ms (${b.candidate})`, 'p-value: 0.001', 'confidence: 99.9%', 'direction: regressed', `method: ${b.method}`]) {
      expect(fail.failure!['#text']).toContain(line);
    }
    expect(base.failures).toBe('1');
    const onlyBase = suitesOf(renderJunit({ ...regressed, checks: regressed.checks.filter((c) => c.kind === 'baseline') }));
    expect(onlyBase.map((s) => s.tests)).toEqual(['1', '15']);
    expect(onlyBase[0]!.testcase[0]!.name).toBe('run completed');
  });
});

describe('html', () => {
  const assets = loadChartAssets();

  it('shows a vs baseline table and derives the chart bands from the baseline checks', () => {
    const page = renderHtml(regressed, assets);
    const section = /<section class="card" id="vs-baseline">(.*?)<\/section>/s.exec(page)![1]!;
    expect(section).toContain('pool of 3 runs, 1 candidate run');
    expect(section).toMatch(/p95 latency \(overall\)<\/td><td class="n">81\.2 ms<\/td><td class="n">26\.2–298 ms<\/td><td class="n m">275 ms<\/td><td class="n">\+238\.7%<\/td><td class="n">99\.9%<\/td><td><span class="pill fail">FAIL</);
    expect(section).toContain('<span class="pill improved">improved</span>');
    expect(section).toContain('<details><summary>8 more per-request checks (8 pass)</summary>');
    const checks = /<h2>Checks<\/h2>(.*?)<\/section>/s.exec(page)![1]!;
    expect(checks).not.toContain('vs baseline');
    const spread = (name: string) => withBase.checks[baseIdx(name)]!.baseline!.spread;
    const data = chartData(withBase);
    expect(data.baseline).toEqual({
      p95: spread('p95 latency vs baseline (overall)'),
      p50: spread('p50 latency vs baseline (overall)'),
      rps: spread('throughput vs baseline (overall)'),
      runs: 3,
    });
    expect(data.limits.latency.map((l) => l.label)).toEqual(['SLA p95 <= 300 ms', 'SLA p99 <= 600 ms']);
    expect(chartData(withBase, { baseline: { p95: [1, 2] } }).baseline!.p95).toEqual([1, 2]);
    expect(chartData(passing).baseline).toBeUndefined();
    expect(chartData(passing, { baseline: { p95: [12, 22] } }).baseline).toEqual({ p95: [12, 22] });
    expect(renderHtml(passing, assets)).not.toContain('id="vs-baseline"');
  });
});
