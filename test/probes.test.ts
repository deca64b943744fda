// Probes: the Prometheus text parser and JSON pointers on their own, then each sampler against real
// local endpoints (the demo target's /metrics, a node:http server) and real shell commands, and the
// runner: failures become gaps with reasons, and sampling stops with the run.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, createDemoServer, listen } from '../src/demo/server.js';
import { resolvePointer } from '../src/probes/pointer.js';
import { parsePromText, PromParseError, selectSamples } from '../src/probes/prom-text.js';
import { probeRunner } from '../src/probes/runner.js';
import { sampleProbe } from '../src/probes/samplers.js';
import { toProbes, type Probe } from '../src/probes/settings.js';
import type { ProbeSettings } from '../src/config/types.js';
import { besideContext } from './helpers/beside.js';

describe('Prometheus text parser', () => {
  const text = [
    '# HELP http_requests_total The total number of HTTP requests.',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="post",code="200"} 1027 1395066363000',
    'http_requests_total{method="post",code="400"}    3 1395066363000',
    '# a plain comment',
    'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    'metric_without_timestamp_and_labels 12.47',
    'something_weird{problem="division by zero"} +Inf -3982045',
    'odd{a="x, y} z",b="",} NaN',
    '',
  ].join('\n');

  it('reads names, labels (escapes, commas and braces inside values), values and timestamps', () => {
    const p = parsePromText(text);
    expect(p.samples).toHaveLength(6);
    expect(p.families.get('http_requests_total')).toEqual({ type: 'counter', help: 'The total number of HTTP requests.' });
    expect(p.samples[0]).toEqual({ name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 });
    expect(p.samples[2]!.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(p.samples[2]!.value).toBe(1458255915);
    expect(p.samples[4]).toMatchObject({ value: Infinity, timestampMs: -3982045 });
    expect(p.samples[5]!.labels).toEqual({ a: 'x, y} z', b: '' });
    expect(p.samples[5]!.value).toBeNaN();
  });

  it('selects by name and label matchers (a missing label matches "")', () => {
    const p = parsePromText(text);
    expect(selectSamples(p, 'http_requests_total', { code: '400' }).map((s) => s.value)).toEqual([3]);
    expect(selectSamples(p, 'http_requests_total', {})).toHaveLength(2);
    expect(selectSamples(p, 'odd', { b: '', c: '' })).toHaveLength(1);
    expect(selectSamples(p, 'http_requests_total', { code: '500' })).toHaveLength(0);
  });

  it('refuses malformed lines with the line and column', () => {
    expect(() => parsePromText('ok 1\nbad{a="1" 2')).toThrow(PromParseError);
    expect(() => parsePromText('ok 1\nbad{a="1" 2')).toThrow(/^line 2: expected "," or "}"/);
    expect(() => parsePromText('x{a="\\q"} 1')).toThrow(/bad escape \\q/);
    expect(() => parsePromText('x one')).toThrow(/value "one" of x is not a number/);
    expect(() => parsePromText('<html>')).toThrow(/line 1: expected a metric name/);
  });
});

describe('JSON pointer', () => {
  const doc = { status: { replicas: 3, 'a/b': { '~x': 1 } }, items: [{ n: 5 }] };
  it('resolves RFC 6901 pointers and says what is missing', () => {
    expect(resolvePointer(doc, '/status/replicas')).toEqual({ value: 3 });
    expect(resolvePointer(doc, '/status/a~1b/~0x')).toEqual({ value: 1 });
    expect(resolvePointer(doc, '/items/0/n')).toEqual({ value: 5 });
    expect(resolvePointer(doc, '/items/1/n')).toEqual({ missing: 'no element /items/1' });
    expect(resolvePointer(doc, '/status/nope')).toEqual({ missing: 'no /status/nope in the body' });
  });
});

describe('samplers and runner against real endpoints and commands', () => {
  let demoUrl = '';
  let jsonUrl = '';
  let downUrl = '';
  const servers: http.Server[] = [];
  let hits = 0;

  beforeAll(async () => {
    const demo = createDemoServer({ capacity: { rps: 250, concurrency: 5 } });
    servers.push(demo.server);
    demoUrl = await listen(demo.server, '127.0.0.1', 0);
    const api = http.createServer((req, res) => {
      hits++;
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('query');
      if (req.url?.startsWith('/api/v1/query')) {
        // Answers in the documented shape of Prometheus's HTTP API (instant queries).
        const answers: Record<string, unknown> = {
          'sum(up)': { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1700000000.1, '3'] }] } },
          up: { status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'a' }, value: [1, '1'] }, { metric: { job: 'b' }, value: [1, '1'] }] } },
          'scalar(1)': { status: 'success', data: { resultType: 'scalar', result: [1700000000.1, '1.5'] } },
        };
        const a = answers[q ?? ''] ?? { status: 'error', errorType: 'bad_data', error: 'parse error at char 1' };
        res.writeHead((a as { status: string }).status === 'success' ? 200 : 400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(a));
      }
      const body = req.url === '/status' ? JSON.stringify({ spec: { replicas: 2 }, status: { replicas: hits, phase: 'Running' } }) : req.url === '/text' ? 'not json' : '';
      res.writeHead(req.url === '/boom' ? 500 : 200, { 'content-type': 'application/json' });
      res.end(body);
    });
    servers.push(api);
    jsonUrl = await listen(api, '127.0.0.1', 0);
    const gone = http.createServer();
    downUrl = await listen(gone, '127.0.0.1', 0);
    await closeServer(gone); // a port nothing listens on any more
  });
  afterAll(async () => {
    await Promise.all(servers.map(closeServer));
  });

  const probe = (s: Omit<ProbeSettings, 'name'>): Probe => toProbes([{ name: 'p', intervalSeconds: 0.2, timeoutMs: 2000, ...s }])[0]!;
  const sample = (s: Omit<ProbeSettings, 'name'>) => sampleProbe(probe(s), new AbortController().signal);

  it('reads a gauge from the demo target /metrics, with label matchers and aggregates', async () => {
    expect(await sample({ type: 'prometheus', url: `${demoUrl}/metrics`, metric: 'loadctl_demo_replicas' })).toBe(1);
    expect(await sample({ type: 'prometheus', url: `${demoUrl}/metrics`, metric: 'loadctl_demo_capacity_rps' })).toBe(250);
    await fetch(`${demoUrl}/items/1`);
    expect(await sample({ type: 'prometheus', url: `${demoUrl}/metrics`, metric: 'loadctl_demo_requests_total', labels: { outcome: 'served' } })).toBe(1);
    await expect(sample({ type: 'prometheus', url: `${demoUrl}/metrics`, metric: 'loadctl_demo_requests_total' })).rejects.toThrow('2 series match loadctl_demo_requests_total: add labels or an aggregate');
    expect(await sample({ type: 'prometheus', url: `${demoUrl}/metrics`, metric: 'loadctl_demo_requests_total', aggregate: 'sum' })).toBe(1);
    await expect(sample({ type: 'prometheus', url: `${demoUrl}/metrics`, metric: 'nope', labels: { a: 'b' } })).rejects.toThrow('no series nope{a="b"}');
    await expect(sample({ type: 'prometheus', url: `${jsonUrl}/text`, metric: 'x' })).rejects.toThrow(/is not Prometheus text: line 1/);
  });

  it('reads an HTTP JSON value by pointer, and names each failure', async () => {
    expect(await sample({ type: 'http-json', url: `${jsonUrl}/status`, pointer: '/spec/replicas' })).toBe(2);
    await expect(sample({ type: 'http-json', url: `${jsonUrl}/status`, pointer: '/status/phase' })).rejects.toThrow('the value at /status/phase is not a number (got "Running")');
    await expect(sample({ type: 'http-json', url: `${jsonUrl}/boom`, pointer: '/x' })).rejects.toThrow(`HTTP 500 from ${jsonUrl}/boom`);
    await expect(sample({ type: 'http-json', url: `${jsonUrl}/text`, pointer: '/x' })).rejects.toThrow('is not JSON');
    await expect(sample({ type: 'http-json', url: `${downUrl}/x`, pointer: '/x' })).rejects.toThrow('ECONNREFUSED');
  });

  it('reads a one-number PromQL instant query result', async () => {
    expect(await sample({ type: 'promql', url: `${jsonUrl}/`, query: 'sum(up)' })).toBe(3);
    expect(await sample({ type: 'promql', url: jsonUrl, query: 'scalar(1)' })).toBe(1.5);
    await expect(sample({ type: 'promql', url: jsonUrl, query: 'up' })).rejects.toThrow('the query gave 2 series; make it give one');
    await expect(sample({ type: 'promql', url: jsonUrl, query: '((' })).rejects.toThrow('Prometheus refused the query: parse error at char 1');
    await expect(sample({ type: 'promql', url: downUrl, query: 'up' })).rejects.toThrow('ECONNREFUSED');
  });

  it("reads a command's stdout, and names its failures", async () => {
    expect(await sample({ type: 'command', command: 'echo " 42.5 "' })).toBe(42.5);
    await expect(sample({ type: 'command', command: 'echo nope >&2; exit 3' })).rejects.toThrow('the command exited with code 3: nope');
    await expect(sample({ type: 'command', command: 'echo three' })).rejects.toThrow('the command output is not a number (got "three")');
    await expect(sample({ type: 'command', command: 'sleep 5', timeoutMs: 300 })).rejects.toThrow('the command took longer than 300 ms');
  });

  it('records failures as gaps with reasons, keeps sampling, and stops with the run', async () => {
    const { ctx, abort, logged } = besideContext();
    // Every other sample fails: the command alternates on a file's presence.
    const flag = `/tmp/loadctl-probe-${process.pid}-${Date.now()}`;
    const task = probeRunner(
      toProbes([
        { name: 'flip', type: 'command', intervalSeconds: 0.1, timeoutMs: 5000, command: `if [ -e ${flag} ]; then rm ${flag}; echo 7; else touch ${flag}; exit 1; fi` },
        { name: 'down', type: 'http-json', intervalSeconds: 0.1, timeoutMs: 5000, url: `${downUrl}/x`, pointer: '/x' },
      ]),
    );
    await task.start(ctx);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (task.result()[0]!.points.length >= 6) resolve(void clearInterval(poll));
      }, 20);
    });
    abort();
    await task.stop();
    const [flip, down] = task.result();
    const counted = flip!.points.length;
    expect(flip!.points.filter((p) => p.value === 7).length).toBeGreaterThanOrEqual(2);
    expect(flip!.points.filter((p) => p.value === null).every((p) => p.error === 'the command exited with code 1')).toBe(true);
    expect(down!.points.length).toBeGreaterThan(0);
    expect(down!.points.every((p) => p.value === null && /ECONNREFUSED/.test(p.error ?? ''))).toBe(true);
    // The dead endpoint is logged once, not once per sample; the flipping one each time it changes.
    expect(logged.filter((l) => l.startsWith('probe down:'))).toHaveLength(1);
    expect(logged.filter((l) => l.startsWith('probe down:'))[0]).toMatch(/ECONNREFUSED \(a gap in its series; the run goes on\)$/);
    expect(logged).toContain('probe flip: sampling again');
    const times = flip!.points.map((p) => p.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Stopped: nothing more is recorded afterwards.
    await new Promise((r) => setTimeout(r, 300));
    expect(task.result()[0]!.points.length).toBe(counted);
  });
});
