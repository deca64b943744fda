// Replays output recorded from real k6 (test/fixtures/README.md) and checks loadctl's own
// aggregation against k6's end-of-test summary from the same run.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../src/results/aggregator.js';
import { decodeHistogram, mergeHistograms, summaryFromHistogram } from '../src/results/histograms.js';
import { createCsvParser } from '../src/results/csv.js';
import { parseJsonLine, type ParsedLine, type Sample } from '../src/results/samples.js';
import { DEFAULT_TRACKED_TAGS } from '../src/results/k6-metric-types.js';
import { consumeSamples, createFifo } from '../src/k6/stream.js';
import { execa } from 'execa';
import type { LatencySummary, SampleCounts, SampleFormat } from '../src/results/types.js';

const fixture = (f: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url)), 'utf8');
const jsonLines = fixture('k6-run.json').split('\n').filter((l) => l !== '');
const csvLines = fixture('k6-run.csv').split('\n').filter((l) => l !== '');
type Values = Record<string, number>;
const summary = JSON.parse(fixture('k6-summary.json')) as { metrics: Record<string, { values: Values }> };
const k6 = (metric: string): Values => summary.metrics[metric]!.values;

// record.sh records loadctl's stream tracking the custom `phase` tag as well.
const TAGS = [...DEFAULT_TRACKED_TAGS, 'phase'];
const isSample = (s: ParsedLine): s is Sample => s !== null && s !== 'malformed' && s !== 'skipped' && !('declare' in s);

function samplesOf(format: 'json' | 'csv'): Sample[] {
  const parse = format === 'json' ? parseJsonLine : createCsvParser(csvLines[0]!);
  const lines = format === 'json' ? jsonLines : csvLines.slice(1);
  return lines.map(parse).filter(isSample);
}

/** Adds the samples, and for json the metric declarations before them, as the stream does. */
function aggregate(samples: Sample[], bucketMs = 1000) {
  const agg = new Aggregator({ bucketMs, tags: TAGS });
  for (const line of jsonLines) {
    const d = parseJsonLine(line);
    if (d && typeof d === 'object' && 'declare' in d) agg.declareMetric(d.declare.metric, d.declare.type, d.declare.contains);
  }
  for (const s of samples) agg.add(s);
  return agg.finish();
}

function expectClose(actual: number, expected: number, rel = 0.01): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel + 1e-9);
}

function expectAgrees(ours: LatencySummary, theirs: Values): void {
  expectClose(ours.p50, theirs.med!);
  expectClose(ours.p90, theirs['p(90)']!);
  expectClose(ours.p95, theirs['p(95)']!);
  expectClose(ours.p99, theirs['p(99)']!);
  expectClose(ours.mean, theirs.avg!, 1e-9);
  expect(ours.min).toBe(theirs.min);
  expect(ours.max).toBe(theirs.max);
}

describe('parsers on recorded k6 output', () => {
  it('parses every json line: Points to samples, Metric lines to declarations', () => {
    const results = jsonLines.map(parseJsonLine);
    expect(results).not.toContain('malformed');
    const declared = results.filter((r) => r !== null && typeof r === 'object' && 'declare' in r);
    expect(declared).toHaveLength(jsonLines.filter((l) => l.includes('"type":"Metric"')).length);
    expect(declared).toContainEqual({ declare: { metric: 'tunnel_setup', type: 'trend', contains: 'time' } });
    expect(declared).toContainEqual({ declare: { metric: 'queue_depth', type: 'gauge', contains: 'default' } });
    const req = results.filter(isSample).find((r) => r.metric === 'http_reqs' && r.status === '503');
    expect(req).toMatchObject({ name: 'b', expected: false, scenario: 'default' });
    expect(req!.phase).toMatch(/^(warm|steady)$/);
  });

  it('json fast path matches a plain JSON.parse reading of each line', () => {
    for (const line of jsonLines) {
      const o = JSON.parse(line) as { type: string; metric: string; data: { time: string; value: number; tags: Record<string, string> } };
      const got = parseJsonLine(line);
      if (o.type !== 'Point') continue;
      const t = o.data.tags;
      expect(got).toEqual({
        metric: o.metric, value: o.data.value, name: t.name, status: t.status, phase: t.phase, scenario: t.scenario, tags: Object.keys(t).length > 0 ? t : undefined,
        expected: t.expected_response === undefined ? undefined : t.expected_response === 'true',
        timeMs: (got as Sample).timeMs,
      });
      expect(Math.floor((got as Sample).timeMs)).toBe(Date.parse(o.data.time));
    }
  });

  it('json and csv carry the same samples (csv time is whole ms)', () => {
    const j = samplesOf('json');
    const c = samplesOf('csv');
    expect(c).toHaveLength(j.length);
    // csv prints values with 6 decimals (Go's %f); k6's own metrics have no more than that.
    const key = (s: Sample) => `${s.metric}|${s.value.toFixed(6)}|${s.name}|${s.status}|${s.expected}|${s.phase}|${s.scenario}|${Math.floor(s.timeMs)}`;
    expect(c.map(key).sort()).toEqual(j.map(key).sort());
  });

  it('handles escapes, time zones, quoted csv fields and other time formats', () => {
    const line = '{"metric":"http_reqs","type":"Point","data":{"time":"2026-01-01T02:00:00.5+02:00","value":1,"tags":{"name":"q?a=1\\u0026b=\\"2\\"","status":"200"}}}';
    expect(parseJsonLine(line)).toMatchObject({ timeMs: Date.UTC(2026, 0, 1, 0, 0, 0, 500), name: 'q?a=1&b="2"', status: '200' });
    const csv = createCsvParser('metric_name,timestamp,metric_value,check,name,extra_tags,metadata');
    expect(csv('checks,1767225600,1.000000,"has, comma ""x""",,phase=warm&x=y,')).toMatchObject({ metric: 'checks', timeMs: 1767225600000, phase: 'warm' });
    expect(csv('vus,1767225600123456,2.000000,,,,')).toMatchObject({ timeMs: 1767225600123.456, value: 2 });
    expect(csv('vus,2026-01-01T00:00:00Z,2.000000,,,,')).toMatchObject({ timeMs: Date.UTC(2026, 0, 1) });
  });

  it('flags broken lines as malformed', () => {
    const line = jsonLines.find((l) => l.startsWith('{"metric":"http_req_duration"'))!;
    for (const cut of [line.length - 1, line.length - 3, 40, 80]) expect(parseJsonLine(line.slice(0, cut))).toBe('malformed');
    expect(parseJsonLine('not json')).toBe('malformed');
    expect(parseJsonLine('')).toBeNull();
    const csv = createCsvParser(csvLines[0]!);
    const row = csvLines[1]!;
    expect(csv(row.slice(0, row.lastIndexOf(',') - 1))).toBe('malformed');
    expect(csv('http_reqs,abc,1,,,,,,,,,,,,,,,,')).toBe('malformed');
    expect(() => createCsvParser('a,b,c')).toThrow(/k6 CSV header/);
  });
});

describe('agreement with k6 handleSummary from the same run', () => {
  for (const format of ['json', 'csv'] as const) {
    it(`${format}: percentiles within 1 %, counts exact, overall and per name`, () => {
      const { metrics } = aggregate(samplesOf(format));
      const http = metrics.http;
      expect(http.requests).toBe(k6('http_reqs').count);
      expect(http.failed).toBe(k6('http_req_failed').passes);
      expect(http.failed).toBeGreaterThan(0);
      expect(metrics.checks).toEqual({ passes: k6('checks').passes, fails: k6('checks').fails });
      expect(metrics.iterations).toBe(k6('iterations').count);
      expect(metrics.dataSentBytes).toBe(k6('data_sent').count);
      expect(metrics.dataReceivedBytes).toBe(k6('data_received').count);
      expect(metrics.vusMax).toBe(k6('vus_max').max);
      expectAgrees(http.latencyMs, k6('http_req_duration'));
      expect(Object.keys(http.byName).sort()).toEqual(['a', 'b']);
      for (const name of ['a', 'b']) {
        const ours = http.byName[name]!;
        expect(ours.requests).toBe(k6(`http_reqs{name:${name}}`).count);
        expect(ours.failed).toBe(k6(`http_req_failed{name:${name}}`).passes);
        expectAgrees(ours.latencyMs, k6(`http_req_duration{name:${name}}`));
      }
    });
  }

  it('waiting and connecting timings and the encoded histograms agree too', () => {
    const r = aggregate(samplesOf('json'));
    expectAgrees(r.timings.waitingMs, k6('http_req_waiting'));
    const fromHist = summaryFromHistogram(r.histograms.byName.a!);
    const t = k6('http_req_duration{name:a}');
    for (const [ours, theirs] of [[fromHist.p50, t.med], [fromHist.p95, t['p(95)']], [fromHist.max, t.max]] as const) expectClose(ours, theirs!);
  });
});

describe('time buckets', () => {
  it('series sums equal the totals, one point per bucket', () => {
    for (const bucketMs of [250, 1000]) {
      const r = aggregate(samplesOf('json'), bucketMs);
      const sum = (f: (p: (typeof r.series)[number]) => number) => r.series.reduce((a, p) => a + f(p), 0);
      expect(sum((p) => p.requests)).toBe(r.metrics.http.requests);
      expect(sum((p) => p.failed)).toBe(r.metrics.http.failed);
      expect(r.series).toHaveLength(Math.floor(r.durationMs / bucketMs) + 1);
      expect(r.series.map((p) => p.tMs)).toEqual(r.series.map((_, i) => i * bucketMs));
      const counted = r.histograms.buckets!.reduce((a, h) => a + (h ? decodeHistogram(h).totalCount : 0), 0);
      expect(counted).toBe(r.metrics.http.requests);
      expect(r.series.every((p) => p.vus === 2 || p.requests === 0)).toBe(true);
    }
  });

  it('late samples are merged into their closed bucket', () => {
    const agg = new Aggregator({ bucketMs: 1000, lateBuckets: 1 });
    const s = (metric: string, timeMs: number, value: number): Sample => ({ metric, timeMs, value });
    agg.add(s('http_reqs', 0, 1));
    agg.add(s('http_req_duration', 0, 10));
    agg.add(s('http_reqs', 5000, 1));
    agg.add(s('http_reqs', 100, 1)); // bucket 0 was closed when t=5000 arrived
    agg.add(s('http_req_duration', 100, 30));
    agg.add(s('http_req_failed', 100, 1));
    const r = agg.finish();
    expect(r.lateSamples).toBe(3);
    expect(r.series[0]).toMatchObject({ requests: 2, failed: 1, errorRate: 0.5, p99: expect.closeTo(29.8, 1) as number });
    expect(r.series.map((p) => p.requests)).toEqual([2, 0, 0, 0, 0, 1]);
  });

  it('live() reports a progress snapshot', () => {
    const agg = new Aggregator({ bucketMs: 1000 });
    for (let t = 0; t < 3000; t += 10) {
      agg.add({ metric: 'http_reqs', timeMs: t, value: 1 });
      agg.add({ metric: 'http_req_duration', timeMs: t, value: 1 + (t % 100) / 10 });
      agg.add({ metric: 'http_req_failed', timeMs: t, value: t % 50 === 0 ? 1 : 0 });
      if (t % 1000 === 0) agg.add({ metric: 'vus', timeMs: t, value: 7 });
    }
    const live = agg.live();
    expect(live).toMatchObject({ elapsedMs: 2990, requests: 300, rps: 100, errorRate: 0.2, vus: 7 });
    expect(live.p95).toBeCloseTo(10.5, 0);
  });
});

describe('merging across instances', () => {
  it('two halves merged equal the whole, exactly', () => {
    const all = samplesOf('json');
    const whole = aggregate(all);
    const halves = [0, 1].map((k) => aggregate(all.filter((_, i) => i % 2 === k)));
    const merged = mergeHistograms(halves.map((h) => h.histograms.overall));
    expect(decodeHistogram(merged).totalCount).toBe(whole.metrics.http.requests);
    expect(summaryFromHistogram(merged)).toEqual(summaryFromHistogram(whole.histograms.overall));
    for (const name of ['a', 'b']) {
      const m = mergeHistograms(halves.map((h) => h.histograms.byName[name]!));
      expect(summaryFromHistogram(m)).toEqual(summaryFromHistogram(whole.histograms.byName[name]!));
    }
  });
});

/** Streams `text` in chunks of `chunk` bytes through consumeSamples, as the FIFO delivers it. */
async function consume(text: string, format: SampleFormat, chunk = 4096) {
  const parts: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  const counts: SampleCounts = { parsed: 0, malformed: 0 };
  const agg = new Aggregator({ bucketMs: 1000, tags: TAGS });
  await consumeSamples(Readable.from(parts), format, agg, counts);
  return { counts, result: agg.finish() };
}

describe('streaming', () => {

  it('joins lines split across chunks (multi-byte characters included)', async () => {
    const text = fixture('k6-run.json').replaceAll('"phase":"warm"', '"phase":"wärm"');
    const { counts, result } = await consume(text, 'json', 997);
    expect(counts).toEqual({ parsed: samplesOf('json').length, malformed: 0 });
    expect(result.metrics.http.requests).toBe(k6('http_reqs').count);
    const csv = await consume(fixture('k6-run.csv'), 'csv', 13);
    expect(csv.counts).toEqual({ parsed: samplesOf('csv').length, malformed: 0 });
  });

  it('counts malformed and truncated lines without failing', async () => {
    const good = jsonLines.slice(0, 200);
    const points = good.filter((l) => l.includes('"type":"Point"')).length;
    const text = [...good, 'garbage', good[5]!.slice(0, 50), '{"metric":"x"}', ''].join('\n') + good[9]!.slice(0, 60);
    const { counts } = await consume(text, 'json', 4096);
    expect(counts).toEqual({ parsed: points, malformed: 4 });
    const rows = csvLines.slice(0, 100);
    const csv = await consume([...rows, 'http_reqs,1', rows[3]!.slice(0, 30), '"unterminated'].join('\n'), 'csv', 64);
    expect(csv.counts).toEqual({ parsed: 99, malformed: 3 });
  });
});

describe('memory stays bounded', () => {
  it('2 million samples over an hour of buckets encode into a bounded result', () => {
    const agg = new Aggregator({ bucketMs: 1000 });
    const sample: Sample = { metric: '', timeMs: 0, value: 0, name: 'a' };
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const requests = 500_000;
    for (let i = 0; i < requests; i++) {
      sample.timeMs = i * 7.2; // one hour
      sample.name = i % 3 === 0 ? 'a' : 'b';
      sample.metric = 'http_reqs'; sample.value = 1; agg.add(sample);
      sample.metric = 'http_req_duration'; sample.value = 0.2 + rand() * rand() * 200; agg.add(sample);
      sample.metric = 'http_req_failed'; sample.value = rand() < 0.01 ? 1 : 0; agg.add(sample);
      sample.metric = 'http_req_waiting'; sample.value *= 0.9; agg.add(sample);
    }
    const r = agg.finish();
    expect(r.metrics.http.requests).toBe(requests);
    expect(r.series).toHaveLength(3600);
    const bytes = JSON.stringify(r).length;
    // ~1.5 KB per one-second bucket at most (series point + 2-digit histogram), whatever the rate.
    expect(bytes).toBeLessThan(3600 * 1500);
    const wholeRun = r.histograms.overall.length + Object.values(r.histograms.byName).join('').length;
    expect(wholeRun).toBeLessThan(60_000);
  });
});

describe('named pipe', () => {
  it('a reader whose writer never came is released with no samples', async () => {
    const fifo = await createFifo();
    const counts: SampleCounts = { parsed: 0, malformed: 0 };
    const reading = consumeSamples(fifo.open(), 'json', new Aggregator(), counts);
    await fifo.release();
    await reading;
    await fifo.cleanup();
    expect(counts).toEqual({ parsed: 0, malformed: 0 });
    expect(existsSync(fifo.path)).toBe(false);
  });

  it('streams what a writer puts in and ends at EOF', async () => {
    const fifo = await createFifo();
    const counts: SampleCounts = { parsed: 0, malformed: 0 };
    const reading = consumeSamples(fifo.open(), 'json', new Aggregator(), counts);
    const w = createWriteStream(fifo.path);
    for (const line of jsonLines) w.write(`${line}\n`);
    w.end();
    await reading;
    await fifo.cleanup();
    expect(counts.parsed).toBe(samplesOf('json').length);
  });

  const k6 = fileURLToPath(new URL('../.tools/bin/k6', import.meta.url));
  it('real k6 writes json and csv into FIFOs without blocking', async () => {
    const server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [json, csv] = [await createFifo(), await createFifo()];
    const counts = { json: { parsed: 0, malformed: 0 }, csv: { parsed: 0, malformed: 0 } };
    const aggs = { json: new Aggregator(), csv: new Aggregator() };
    const reading = [consumeSamples(json.open(), 'json', aggs.json, counts.json), consumeSamples(csv.open(), 'csv', aggs.csv, counts.csv)];
    const script = `import http from 'k6/http'; export const options = { vus: 1, iterations: 20 };
      export default function () { http.get(__ENV.BASE + '/x', { tags: { name: 'x' } }); }`;
    try {
      const run = await execa(k6, ['run', '--quiet', '--out', `json=${json.path}`, '--out', `csv=${csv.path}`, '-'], {
        input: script, env: { BASE: base, K6_CSV_TIME_FORMAT: 'unix_milli' }, reject: false, timeout: 30_000,
      });
      expect(run.exitCode).toBe(0);
      await Promise.all(reading);
    } finally {
      await Promise.all([json.cleanup(), csv.cleanup()]);
      server.close();
    }
    expect(counts.json.malformed + counts.csv.malformed).toBe(0);
    expect(counts.csv.parsed).toBe(counts.json.parsed);
    expect(aggs.json.finish().metrics.http.byName.x!.requests).toBe(20);
    expect(aggs.csv.finish().metrics.http.requests).toBe(20);
  }, 40_000);
});

// loadctl's k6 output (k6/output) aggregates inside k6; recorded from the same run as the files above.
describe('the loadctl stream (recorded from the same k6 run)', () => {
  const ndjson = fixture('k6-run.ndjson');

  it("agrees with k6's summary: counts exactly, percentiles within 1 %, min/max/mean exact", async () => {
    const { counts, result } = await consume(ndjson, 'loadctl', 211);
    expect(counts.malformed).toBe(0);
    const http = result.metrics.http;
    expect(http.requests).toBe(k6('http_reqs').count);
    expect(http.failed).toBe(k6('http_req_failed').passes);
    expect(result.metrics.iterations).toBe(k6('iterations').count);
    expect(result.metrics.checks).toEqual({ passes: k6('checks').passes, fails: k6('checks').fails });
    expectAgrees(http.latencyMs, k6('http_req_duration'));
    for (const name of ['a', 'b']) {
      expect(http.byName[name]!.requests).toBe(k6(`http_reqs{name:${name}}`).count);
      expectAgrees(http.byName[name]!.latencyMs, k6(`http_req_duration{name:${name}}`));
    }
  });

  it('gives the aggregate the csv of the same run gives, histograms and series identical', async () => {
    const a = await consume(ndjson, 'loadctl');
    const b = await consume(fixture('k6-run.csv'), 'csv');
    expect(a.counts.parsed).toBe(b.counts.parsed);
    expect(a.result.histograms).toEqual(b.result.histograms);
    // csv cannot type custom metrics, so the per-bucket values of those differ; the rest is identical.
    const plain = (r: typeof a.result) => r.series.map(({ metrics: _m, ...p }) => p);
    expect(plain(a.result)).toEqual(plain(b.result));
    expect(a.result.metrics.http.requests).toBe(b.result.metrics.http.requests);
    expect(a.result.metrics.dataReceivedBytes).toBe(b.result.metrics.dataReceivedBytes);
    expect(a.result.metrics.vusMax).toBe(b.result.metrics.vusMax);
    expect(a.result.durationMs).toBe(b.result.durationMs);
  });

  it('counts malformed, truncated and foreign lines without failing', async () => {
    const lines = ndjson.split('\n').filter((l) => l !== '');
    const first = JSON.parse(lines[0]!) as { v: number; slots: { names: Record<string, { duration: { h: number[] } }> }[] };
    const wrongVersion = JSON.stringify({ ...first, v: 99 });
    const badPairs = structuredClone(first);
    badPairs.slots[0]!.names.a!.duration.h.push(7); // odd length: counts no longer add up
    const text = [lines[0], 'garbage', lines[1]!.slice(0, 80), wrongVersion, JSON.stringify(badPairs), ...lines.slice(1)].join('\n');
    const { counts, result } = await consume(text, 'loadctl', 333);
    expect(counts.malformed).toBe(4);
    expect(result.metrics.http.requests).toBe(k6('http_reqs').count); // every good line still counted
  });
});

describe('addSlot', () => {
  it('counts every request folded into (other) once names run out, as adding samples does', () => {
    const agg = new Aggregator({ maxNames: 2 });
    const dist = (ms: number, n: number) => ({ n, sum: ms * n, min: ms, max: ms, h: [ms * 1000, n] });
    agg.addSlot({
      t: 1000, first: 1000, last: 1900, samples: 30,
      names: {
        a: { requests: 5, failed: 0, duration: dist(2, 5) },
        b: { requests: 5, failed: 1, duration: dist(3, 5) },
        c: { requests: 5, failed: 2, duration: dist(4, 5) },
      },
    }, 1000);
    const r = agg.finish();
    expect(r.otherNames).toBe(5);
    expect(r.metrics.http.requests).toBe(15);
    expect(r.metrics.http.failed).toBe(3);
    expect(Object.keys(r.metrics.http.byName).sort()).toEqual(['(other)', 'a', 'b']);
    expect(r.metrics.http.byName['(other)']).toMatchObject({ requests: 5, failed: 2 });
    expect(r.metrics.http.latencyMs.max).toBe(4);
  });
});
