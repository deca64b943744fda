// Reporters: markdown, JUnit, GitHub annotations, HTML and the report list, from a real run's
// result.json (test/fixtures/result-spike.json) and failing variants of it. The baseline checks'
// tables and bands: test/report-baseline.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../src/commands/report/index.js';
import { UsageError } from '../src/util/errors.js';
import { loadChartAssets } from '../src/pipeline/chart-assets.js';
import { escapeData, githubAnnotations } from '../src/report/github.js';
import { jsonForScript, renderHtml } from '../src/report/html.js';
import { parseReportList, REPORT_FILES } from '../src/report/index.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { Check, RunResult } from '../src/results/types.js';

const root = new URL('..', import.meta.url).pathname;
const fixturePath = join(root, 'test/fixtures/result-spike.json');
const passing = JSON.parse(readFileSync(fixturePath, 'utf8')) as RunResult;

const failing: RunResult = {
  ...passing,
  status: 'fail',
  reason: 'p95 latency 312 ms is over the limit 200 ms',
  checks: [
    { ...passing.checks[0]!, status: 'fail', measured: 312.4, reason: 'p95 latency 312 ms is over the limit 200 ms' },
    { ...passing.checks[1]! },
    {
      name: 'p95 latency (a|b <x> & "y")',
      kind: 'sla',
      scope: 'a|b <x> & "y"',
      metric: 'p95',
      status: 'inconclusive',
      limit: '<= 400 ms',
      limitValue: 400,
      measured: null,
      unit: 'ms',
      reason: 'no "a|b <x> & \"y\"" requests were made',
    },
  ],
};

const errored: RunResult = { ...passing, status: 'error', reason: 'k6 exited with code 107: script exception\nat line 3', checks: [] };

const xml = new XMLParser({ ignoreAttributes: false, htmlEntities: true, attributeNamePrefix: '', isArray: (name) => name === 'testcase' || name === 'property' });
type Case = { name: string; classname: string; time: string; failure?: { message: string; '#text': string }; skipped?: { message: string }; error?: { message: string } };
function suiteOf(text: string) {
  expect(XMLValidator.validate(text)).toBe(true);
  const doc = xml.parse(text) as { testsuites: { testsuite: { name: string; tests: string; failures: string; skipped: string; errors: string; testcase: Case[] } } };
  return doc.testsuites.testsuite;
}

describe('markdown', () => {
  it('sums up a passing run with its checks and numbers', () => {
    const md = renderMarkdown(passing);
    expect(md).toMatch(/^### loadctl: PASS · spike → local/);
    expect(md).toContain('1,705 requests · 168.5 req/s');
    expect(md).toContain('| p95 latency (overall) | <= 200 ms | 19.3 ms | pass |');
    expect(md).toContain('| read-item | 630 | 62.3 | 0.00% | 8.48 ms | 13.8 ms | 22.8 ms |');
    expect(md).toContain('Phases: warm-up 0.0–1.0 s · base 1.0–3.1 s');
    expect(md.split('\n').length).toBeLessThan(40);
  });

  it('says why a run failed and keeps table cells intact', () => {
    const md = renderMarkdown(failing);
    expect(md).toContain('> **FAIL**: p95 latency 312 ms is over the limit 200 ms');
    expect(md).toContain('| p95 latency (overall) | <= 200 ms | 312 ms | **FAIL** |');
    expect(md).toContain('| p95 latency (a\\|b &lt;x> & "y") | <= 400 ms | – | inconclusive |');
    expect(renderMarkdown(errored)).toContain('> **ERROR**: k6 exited with code 107: script exception at line 3');
  });
});

describe('junit', () => {
  it('has one passing test case per check of a real run', () => {
    const suite = suiteOf(renderJunit(passing));
    expect(suite.name).toBe('loadctl.spike.local');
    expect(suite.testcase.map((c) => c.name)).toEqual(passing.checks.map((c) => c.name));
    expect(suite.testcase.every((c) => c.classname === 'loadctl.spike' && !c.failure && !c.skipped)).toBe(true);
    expect([suite.tests, suite.failures, suite.skipped, suite.errors]).toEqual(['4', '0', '0', '0']);
  });

  it('gives failures their limit and measured numbers and skips inconclusive checks', () => {
    const text = renderJunit(failing);
    const suite = suiteOf(text);
    expect(suite.testcase).toHaveLength(3);
    const [fail, pass, skip] = suite.testcase as [Case, Case, Case];
    expect(fail.failure!.message).toContain('limit <= 200 ms, measured 312 ms');
    expect(fail.failure!['#text']).toContain('limit: <= 200 ms (200)');
    expect(fail.failure!['#text']).toContain('measured: 312 ms (312.4)');
    expect(pass.failure).toBeUndefined();
    expect(skip.name).toBe('p95 latency (a|b <x> & "y")');
    expect(skip.skipped!.message).toContain('inconclusive: no "a|b <x> & "y"" requests were made');
    expect([suite.failures, suite.skipped]).toEqual(['1', '1']);
  });

  it('reports an errored run without checks as an error test case', () => {
    const suite = suiteOf(renderJunit(errored));
    expect(suite.testcase).toHaveLength(1);
    expect(suite.testcase[0]!.error!.message).toBe('k6 exited with code 107: script exception\nat line 3');
    expect(suite.errors).toBe('1');
  });

  it('stays well-formed whatever the names hold', () => {
    const nasty: Check = { ...failing.checks[0]!, name: 'x\u0001]]></testcase><y a="1">&amp;' };
    expect(XMLValidator.validate(renderJunit({ ...failing, scenario: 'a"<b>', checks: [nasty] }))).toBe(true);
  });
});

describe('github annotations', () => {
  it('annotates failed checks as errors and inconclusive ones as warnings', () => {
    const lines = githubAnnotations(failing);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '::error title=loadctl spike → local%3A p95 latency (overall) failed::p95 latency 312 ms is over the limit 200 ms (limit <= 200 ms, measured 312 ms)',
    );
    expect(lines[1]).toMatch(/^::warning title=.*inconclusive::/);
    expect(githubAnnotations(passing)).toEqual([]);
  });

  it('escapes %, CR and LF in messages, and : and , in titles', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    const [line] = githubAnnotations(errored);
    expect(line).toBe('::error title=loadctl spike → local%3A run error::k6 exited with code 107: script exception%0Aat line 3');
    const odd = githubAnnotations({ ...failing, checks: [{ ...failing.checks[0]!, name: 'a, b: c', reason: '50%\nmore' }] });
    expect(odd[0]).toBe('::error title=loadctl spike → local%3A a%2C b%3A c failed::50%25%0Amore (limit <= 200 ms, measured 312 ms)');
  });
});

describe('html', () => {
  const assets = loadChartAssets();
  const html = renderHtml(failing, assets);

  it('inlines the chart library and the data', () => {
    expect(assets.chartJs.length).toBeGreaterThan(20_000);
    expect(html).toContain(assets.chartJs.slice(0, 200));
    expect(html).toContain(assets.chartCss.slice(0, 100));
    const island = /<script type="application\/json" id="loadctl-data">(.*?)<\/script>/s.exec(html)![1]!;
    const data = JSON.parse(island) as { t: number[]; rps: number[]; phases: { name: string }[] };
    expect(data.rps).toEqual(failing.series.map((p) => p.rps));
    expect(data.phases.map((p) => p.name)).toEqual(['warm-up', 'base', 'spike', 'drop', 'recovery']);
  });

  it('loads nothing from the network', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the verdict, the checks and the run metadata, escaped', () => {
    expect(html).toContain('<header class="banner fail">');
    expect(html).toContain('p95 latency (a|b &lt;x&gt; &amp; &quot;y&quot;)');
    for (const v of [failing.runId, failing.meta.planHash, failing.meta.k6Version, failing.meta.gitSha!]) expect(html).toContain(v);
  });

  it('keeps a closing tag in the data from ending the script early', () => {
    expect(jsonForScript({ name: '</script><script>alert(1)</script>' })).not.toContain('<');
    const evil = renderHtml({ ...passing, phases: [{ name: '</script><b>', startMs: 0, endMs: 1 }] }, assets);
    expect(evil).not.toContain('</script><b>');
  });
});

describe('parseReportList', () => {
  it('reads a comma-separated list', () => {
    expect(parseReportList('html, md,junit,json,md')).toEqual(['html', 'md', 'junit', 'json']);
  });

  it('names the unknown report and the choices', () => {
    expect(() => parseReportList('html,pdf')).toThrow(UsageError);
    expect(() => parseReportList('html,pdf')).toThrow(/unknown report "pdf"/);
    try {
      parseReportList('xml');
    } catch (e) {
      expect((e as UsageError).hint).toContain('json, md, junit, html');
      expect((e as UsageError).exitCode).toBe(2);
    }
    expect(() => parseReportList(' , ')).toThrow(UsageError);
  });
});

describe('reportCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-report-cmd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-renders the reports of a run folder from result.json alone', async () => {
    const run = join(dir, 'run');
    mkdirSync(run);
    writeFileSync(join(run, 'result.json'), JSON.stringify(failing));
    const summary = await reportCommand({ cwd: dir, input: 'run' });
    expect(summary).toContain('FAIL');
    for (const f of ['report.html', 'report.md', 'junit.xml']) expect(summary).toContain(join('run', f));
    expect(readFileSync(join(run, 'report.md'), 'utf8')).toBe(renderMarkdown(failing));
    expect(readFileSync(join(run, 'junit.xml'), 'utf8')).toBe(renderJunit(failing));

    await reportCommand({ cwd: dir, input: 'run/result.json', formats: 'json,md', out: 'elsewhere' });
    expect(JSON.parse(readFileSync(join(dir, 'elsewhere', REPORT_FILES.json), 'utf8'))).toEqual(failing);
    expect(existsSync(join(dir, 'elsewhere', 'report.html'))).toBe(false);
  });

  it('names the file and the field when result.json is missing or wrong', async () => {
    await expect(reportCommand({ cwd: dir, input: 'nope' })).rejects.toThrow(/nope: no such file or folder/);
    mkdirSync(join(dir, 'empty'));
    await expect(reportCommand({ cwd: dir, input: 'empty' })).rejects.toThrow(/empty\/result\.json: not found/);
    writeFileSync(join(dir, 'broken.json'), '{"schemaVersion":');
    await expect(reportCommand({ cwd: dir, input: 'broken.json' })).rejects.toThrow(/broken\.json: .*not valid JSON/);
    const { runId: _drop, ...noRunId } = passing;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...noRunId, durationMs: 'long' }));
    const err = await reportCommand({ cwd: dir, input: 'bad.json' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/^bad\.json: .*runId/);
    expect((err as Error).message).toMatch(/durationMs/);
    await expect(reportCommand({ cwd: dir, input: 'run', formats: 'pdf' })).rejects.toThrow(/unknown report "pdf"/);
  });
});
