import { describe, expect, it } from 'vitest';
import { chooseSampleFormat, k6Invocation } from '../src/k6/args.js';
import { classifyK6Exit, describeK6Exit } from '../src/k6/exit-codes.js';
import { parseK6Outputs, parseK6Version } from '../src/k6/locate.js';
import { outputInvocation } from '../src/k6/outputs.js';
import { lastK6Error } from '../src/k6/process.js';
import type { Plan } from '../src/plan/types.js';

const plan = (kind: 'scenario' | 'script', over: Partial<Plan> = {}): Plan => ({
  planVersion: 1,
  scenario: { name: 's', file: 's.ts', kind, summary: '' },
  target: { name: 'local', profileFile: null, baseUrl: 'http://127.0.0.1:1234', managed: 'none' },
  shape: null,
  k6Scenarios: null,
  phases: [],
  durationMs: null,
  workload: { headers: { Authorization: 'Bearer ${API_TOKEN}' }, requests: [{ name: 'r', path: '/' }] },
  envRefs: ['API_TOKEN'],
  sla: {},
  safety: {},
  baseline: {},
  metricTags: ['name', 'group', 'phase'],
  overrides: {},
  k6: {},
  bucketMs: 1000,
  ...over,
});

describe('k6Invocation', () => {
  it('runs a scenario bundle with the plan in the environment and the sample stream out', () => {
    const inv = k6Invocation({ plan: plan('scenario'), script: '/b/s.js', samplesPath: '/tmp/f', format: 'json' });
    expect(inv.args).toEqual(['run', '--quiet', '--no-color', '--summary-mode=disabled', '--no-usage-report', '--out', 'json=/tmp/f', '--no-thresholds', '/b/s.js']);
    expect(JSON.parse(inv.env.LOADCTL_PLAN!).scenario.name).toBe('s');
    expect(inv.env.BASE_URL).toBe('http://127.0.0.1:1234');
    expect(inv.env.K6_NO_USAGE_REPORT).toBe('true');
    expect(inv.envDefaults).toEqual({ GOGC: '200' }); // a default only: spawnK6 lets the user's GOGC win
  });
  it('speaks k6 v1: --no-summary (v1 has no "disabled" summary mode) and no REST API on localhost:6565', () => {
    const inv = k6Invocation({ plan: plan('scenario'), script: '/b/s.js', samplesPath: '/tmp/f', format: 'json', k6Major: 1 });
    expect(inv.args).toEqual(['run', '--quiet', '--no-color', '--no-summary', '--no-usage-report', '--out', 'json=/tmp/f', '--address', '', '--no-thresholds', '/b/s.js']);
    const instance = { segment: '0:1/2', sequence: '0,1/2,1', address: '127.0.0.1:4001' };
    const one = k6Invocation({ plan: plan('scenario'), script: '/b/s.js', samplesPath: '/tmp/f', format: 'json', k6Major: 1, instance });
    expect(one.args.filter((a) => a === '--address')).toHaveLength(1);
    expect(one.args).toEqual(expect.arrayContaining(['--address', '127.0.0.1:4001', '--paused']));
  });
  it('gives k6 v1 its name for the opentelemetry output (experimental-opentelemetry), v2 its own', () => {
    const otel = [{ type: 'opentelemetry', from: '/outputs/0', env: { K6_OTEL_SERVICE_NAME: 'svc' } }];
    expect(outputInvocation(otel, null, 1)).toEqual({ args: ['--out', 'experimental-opentelemetry'], envTemplates: { K6_OTEL_SERVICE_NAME: 'svc' } });
    expect(outputInvocation(otel, null, 2).args).toEqual(['--out', 'opentelemetry']);
  });
  it('keeps secrets out of argv and the plan: only the reference travels', () => {
    const inv = k6Invocation({ plan: plan('scenario'), script: '/b/s.js', samplesPath: '/tmp/f', format: 'json' });
    expect(inv.args.join(' ')).not.toContain('API_TOKEN');
    expect(inv.env.LOADCTL_PLAN).toContain('${API_TOKEN}');
  });
  it('passes flag overrides to a plain script as k6 flags', () => {
    const inv = k6Invocation({ plan: plan('script', { overrides: { vus: 3, durationMs: 20_000 }, k6: { rps: 100 } }), script: 'x.js', samplesPath: '/f', format: 'csv' });
    expect(inv.args).toEqual(expect.arrayContaining(['--vus', '3', '--duration', '20s', '--rps', '100', '--out', 'csv=/f']));
    expect(inv.env.LOADCTL_PLAN).toBeUndefined();
    expect(inv.args).not.toContain('--no-thresholds'); // a plain script's own thresholds still count
    expect(inv.env.K6_CSV_TIME_FORMAT).toBe('unix_milli');
  });
});

describe('the sample stream', () => {
  // What `.tools/bin/k6 version` prints for the k6 scripts/install-k6.sh builds.
  const ours = 'k6 v2.2.0 (go1.26.8, linux/amd64)\nExtensions:\n  loadctl/k6build/output.New , loadctl [output]\n';
  const withLoadctl = { path: '/k6', outputs: parseK6Outputs(ours) };
  const stock = { path: '/usr/bin/k6', outputs: parseK6Outputs('k6 v2.2.0 (go1.26.8, linux/amd64)') };

  it("reads the output extensions k6 lists", () => {
    expect(withLoadctl.outputs).toEqual(['loadctl']);
    expect(stock.outputs).toEqual([]);
    expect(parseK6Outputs('Extensions:\n  github.com/grafana/xk6-output-influxdb v0.5.0, xk6-influxdb [output]\n  github.com/x/y v1, k6/x/y [js]')).toEqual(['xk6-influxdb']);
  });
  it("uses loadctl's output when the k6 has it, k6's json otherwise (it declares metric types)", () => {
    expect(chooseSampleFormat(withLoadctl, {})).toBe('loadctl');
    expect(chooseSampleFormat(stock, {})).toBe('json');
    expect(chooseSampleFormat(withLoadctl, { LOADCTL_SAMPLE_FORMAT: 'csv' })).toBe('csv');
    expect(chooseSampleFormat(withLoadctl, { LOADCTL_SAMPLE_FORMAT: 'auto' })).toBe('loadctl');
  });
  it('refuses a format that is unknown or that the k6 lacks', () => {
    expect(() => chooseSampleFormat(withLoadctl, { LOADCTL_SAMPLE_FORMAT: 'xml' })).toThrow(/LOADCTL_SAMPLE_FORMAT=xml is not a sample format/);
    expect(() => chooseSampleFormat(stock, { LOADCTL_SAMPLE_FORMAT: 'loadctl' })).toThrow(/built without loadctl's output/);
  });
  it('asks k6 for the loadctl output with the plan\'s bucket width', () => {
    const inv = k6Invocation({ plan: plan('scenario', { bucketMs: 24_000 }), script: '/b/s.js', samplesPath: '/tmp/f', format: 'loadctl' });
    expect(inv.args).toEqual(expect.arrayContaining(['--out', 'loadctl=/tmp/f']));
    expect(inv.env.K6_LOADCTL_BUCKET_MS).toBe('24000');
    expect(inv.env.K6_LOADCTL_TAGS).toBe('name,group,phase');
    expect(inv.env.K6_CSV_TIME_FORMAT).toBeUndefined();
  });
});

describe('k6 exits and output', () => {
  it('explains exit codes in words', () => {
    expect(describeK6Exit(107)).toBe('k6 exited 107: the script threw an exception');
    expect(describeK6Exit(null, 'SIGKILL')).toBe('k6 was killed by SIGKILL');
    expect(classifyK6Exit(105)).toBe('interrupted');
    expect(classifyK6Exit(0)).toBe('ok');
    expect(classifyK6Exit(99)).toBe('thresholds-failed');
    expect(classifyK6Exit(107)).toBe('crashed');
    expect(classifyK6Exit(null, 'SIGKILL')).toBe('crashed');
    expect(classifyK6Exit(108)).toBe('failed-by-script');
  });
  it('reads the version line', () => {
    expect(parseK6Version('k6 v2.2.0 (go1.26.8, linux/amd64)')).toBe('2.2.0');
    expect(parseK6Version('nonsense')).toBeNull();
  });
  it('finds the last error message in k6 logs', () => {
    const lines = ['time="x" level=warning msg="a"', 'time="x" level=error msg="Uncaught (in promise) Error: boom\\n\\tat default" hint="script exception"'];
    expect(lastK6Error(lines)).toBe('Uncaught (in promise) Error: boom  at default');
  });
});
