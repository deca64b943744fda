#!/usr/bin/env node
// Does loadctl's aggregation stay flat in memory over a 24-hour soak? Feeds a synthetic stream
// of k6 CSV samples (the exact shape k6 v2.2.0 writes with K6_CSV_TIME_FORMAT=unix_milli: the
// header and columns of test/fixtures/k6-run.csv) through the real consumeSamples → CSV parser →
// Aggregator from dist/, as Buffers from a Readable like the FIFO gives, and records process RSS
// every 5 % of the samples, the peak RSS, samples/s and the size of JSON.stringify(finish()).
//
// Per iteration (one request): http_reqs, http_req_duration, http_req_blocked,
// http_req_connecting, http_req_tls_handshaking, http_req_sending, http_req_waiting,
// http_req_receiving, http_req_failed, checks, data_sent, data_received, iteration_duration,
// iterations (14 samples, plus group_duration for requests inside a group); vus + vus_max once
// a second. At the default 41 iterations/s that is ~588 samples/s, so 50 M samples span ~23.6 h
// of 1 s buckets.
//
// Usage: node bench/aggregator-memory.mjs [--samples 50e6] [--iterations-per-sec 41]
//          [--keep-bucket-histograms true|false] [--live true|false] [--seed 1] [--dump N]
//          [--url-names N] [--timeout-rate p]
//        node bench/aggregator-memory.mjs --generate-only   (the generator's own speed)
// Run with plain `node`; under `node --expose-gc` each 5 % mark first runs a full GC, so
// heapUsed shows the retained heap. Needs `npx tsc -p tsconfig.json`. Writes only
// bench/out/aggregator-memory<variant>.json (variant e.g. -nokeep, -10M, -urls2000, -timeouts,
// -gc, so variants do not overwrite each other) and, with --dump, aggregator-memory-sample.csv.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const TOTAL = Number(arg('samples', '50e6'));
const ITER_PER_SEC = Number(arg('iterations-per-sec', '41'));
const KEEP = arg('keep-bucket-histograms', 'true') !== 'false';
const LIVE = arg('live', 'true') !== 'false'; // call live() once a simulated second, like execute.ts
// Untagged requests: k6 names them by URL, so names can be unbounded (the Aggregator caps them at
// maxNames, default 1000). With --url-names N, 20 % of requests go to one of N URL-named requests.
const URL_NAMES = Number(arg('url-names', '0'));
// k6's default request timeout is 60 s: with --timeout-rate p a fraction p of requests take
// 60 000 ms (status 0, error_code 1050), which widens every histogram that sees one.
const TIMEOUT_RATE = Number(arg('timeout-rate', '0'));
const BUCKET_MS = Number(arg('bucket-ms', '1000')); // `loadctl run` picks 24000 for a 24 h plan
const DUMP = Number(arg('dump', '0')); // write the first N rows to bench/out/aggregator-memory-sample.csv
let dumped = false;
let seed = Number(arg('seed', '1')) >>> 0 || 1;

const { Aggregator } = await import(join(root, 'dist', 'results', 'aggregator.js'));
const { consumeSamples } = await import(join(root, 'dist', 'k6', 'stream.js'));

// The header comes from the recorded fixture, so the columns are k6's own.
const fixture = readFileSync(join(root, 'test', 'fixtures', 'k6-run.csv'), 'utf8');
const HEADER = fixture.slice(0, fixture.indexOf('\n'));
if (HEADER !== 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata') {
  throw new Error(`unexpected fixture header: ${HEADER}`);
}

// xorshift32: deterministic, fast.
const rand = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 4294967296;
};
// Standard normal (Box-Muller); latencies are log-normal around a per-name median.
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

// Request mix: name, method, group, weight, median ms, log-sd, failure probability, bytes.
const NAMES = [
  { name: 'health', method: 'GET', group: '', w: 2, med: 3, sd: 0.4, fail: 0.0005, sent: 98, recv: 190 },
  { name: 'read-item', method: 'GET', group: '', w: 10, med: 18, sd: 0.6, fail: 0.004, sent: 101, recv: 420 },
  { name: 'create-item', method: 'POST', group: '', w: 3, med: 35, sd: 0.5, fail: 0.01, sent: 190, recv: 260 },
  { name: 'slow', method: 'GET', group: '', w: 1, med: 250, sd: 0.3, fail: 0.002, sent: 96, recv: 210 },
  { name: 'job-start', method: 'POST', group: '::job', w: 2, med: 40, sd: 0.5, fail: 0.01, sent: 170, recv: 230 },
  { name: 'job-poll', method: 'GET', group: '::job', w: 3, med: 12, sd: 0.5, fail: 0.003, sent: 110, recv: 250 },
  { name: 'wizard-start', method: 'POST', group: '::wizard', w: 1, med: 25, sd: 0.5, fail: 0.005, sent: 120, recv: 230 },
  { name: 'wizard-answer', method: 'POST', group: '::wizard', w: 1, med: 30, sd: 0.5, fail: 0.005, sent: 150, recv: 240 },
];
const totalW = NAMES.reduce((s, n) => s + n.w, 0);
const pick = () => {
  let r = rand() * totalW;
  for (const n of NAMES) if ((r -= n.w) < 0) return n;
  return NAMES[NAMES.length - 1];
};
const PHASES = ['warm-up', 'steady'];
const f6 = (x) => x.toFixed(6); // Go's %f, as k6's csv output prints values

const VUS = 40;
const meanGapMs = 1000 / ITER_PER_SEC;
const startMs = 1795567183834; // the fixture's first timestamp
const CHUNK = 1 << 16;

const counts = { parsed: 0, malformed: 0 };
const agg = new Aggregator({ bucketMs: BUCKET_MS, keepBucketHistograms: KEEP });
const marks = []; // every 5 %
let generated = 0;
let nextMark = 1;
let peakRss = process.memoryUsage.rss();
let liveCalls = 0;
const t0 = performance.now();

function mark(pct) {
  // Under `node --expose-gc` a full GC first, so heapUsed is what is retained, not garbage.
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  const row = {
    pct,
    samples: generated,
    simulatedHours: +((clock - startMs) / 3600e3).toFixed(2),
    rssMB: +(m.rss / 1048576).toFixed(1),
    heapUsedMB: +(m.heapUsed / 1048576).toFixed(1),
    externalMB: +((m.external + m.arrayBuffers) / 1048576).toFixed(1),
    seriesPoints: agg.closedSeries().length,
    elapsedSec: +((performance.now() - t0) / 1000).toFixed(1),
  };
  marks.push(row);
  console.error(
    `${String(pct).padStart(3)}%  ${(generated / 1e6).toFixed(1)} M samples  ${row.simulatedHours} h  rss ${row.rssMB} MB  heap ${row.heapUsedMB} MB  points ${row.seriesPoints}  ${row.elapsedSec} s`,
  );
}

let clock = startMs;
function* lines() {
  yield Buffer.from(`${HEADER}\n`);
  let buf = '';
  let nextSecond = startMs; // vus/vus_max once a second, like k6
  let phase = PHASES[0];
  const warmUntil = startMs + 30_000;
  while (generated < TOTAL) {
    clock += -Math.log(1 - rand()) * meanGapMs; // Poisson arrivals of iteration ends
    const now = Math.floor(clock);
    if (now >= nextSecond) {
      const ts = nextSecond;
      buf += `vus,${ts},${VUS}.000000,,,,,,,,,,,,,,,,\nvus_max,${ts},${VUS}.000000,,,,,,,,,,,,,,,,\n`;
      generated += 2;
      nextSecond += 1000;
      if (nextSecond > warmUntil) phase = PHASES[1];
      if (LIVE) {
        agg.live();
        liveCalls++;
      }
    }
    // Several VUs write concurrently and k6 flushes in batches: request times wander a little.
    const ts = now - Math.floor(rand() * 300);
    let n = pick();
    if (URL_NAMES > 0 && rand() < 0.2) {
      const k = Math.floor(rand() * URL_NAMES);
      n = { ...NAMES[1], name: `http://127.0.0.1:8080/items/${k}` };
    }
    const timedOut = TIMEOUT_RATE > 0 && rand() < TIMEOUT_RATE;
    const dur = timedOut ? 60000 + rand() : n.med * Math.exp(n.sd * gauss());
    const failed = timedOut || rand() < n.fail;
    const status = timedOut ? '0' : failed ? (rand() < 0.5 ? '503' : '500') : n.method === 'POST' ? '201' : '200';
    const code = timedOut ? '1050' : failed ? `1${status}` : '';
    const exp = failed ? 'false' : 'true';
    // check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata
    const tags = `,,,${code},${exp},${n.group},${n.method},${n.name},HTTP/1.1,sustained,,${status},,,${n.name},phase=${phase},\n`;
    const connecting = rand() < 0.002 ? 0.05 + rand() * 0.3 : 0; // new connection now and then
    const blocked = connecting > 0 ? connecting + 0.02 + rand() * 0.05 : 0.001 + rand() * 0.01;
    const sending = 0.005 + rand() * 0.05;
    const receiving = 0.02 + rand() * 0.2;
    const waiting = Math.max(0, dur - sending - receiving);
    buf +=
      `http_reqs,${ts},1.000000${tags}` +
      `http_req_duration,${ts},${f6(dur)}${tags}` +
      `http_req_blocked,${ts},${f6(blocked)}${tags}` +
      `http_req_connecting,${ts},${f6(connecting)}${tags}` +
      `http_req_tls_handshaking,${ts},0.000000${tags}` +
      `http_req_sending,${ts},${f6(sending)}${tags}` +
      `http_req_waiting,${ts},${f6(waiting)}${tags}` +
      `http_req_receiving,${ts},${f6(receiving)}${tags}` +
      `http_req_failed,${ts},${failed ? '1.000000' : '0.000000'}${tags}` +
      `checks,${ts},${failed ? '0.000000' : '1.000000'},${n.name} is ${n.method === 'POST' ? 201 : 200},,,,${n.group},,,,sustained,,,,,,,\n` +
      `data_sent,${ts},${n.sent}.000000,,,,,,,,,sustained,,,,,,,\n` +
      `data_received,${ts},${n.recv}.000000,,,,,,,,,sustained,,,,,,,\n` +
      `iteration_duration,${ts},${f6(dur + 50 + rand() * 2)},,,,,,,,,sustained,,,,,,,\n` +
      `iterations,${ts},1.000000,,,,,,,,,sustained,,,,,,,\n`;
    generated += 14;
    if (n.group !== '') {
      buf += `group_duration,${ts},${f6(dur + 0.2 + rand())},,,,,${n.group},,,,sustained,,,,,,,\n`;
      generated++;
    }
    if (DUMP > 0 && !dumped && buf.length > DUMP * 120) {
      dumped = true;
      mkdirSync(join(root, 'bench', 'out'), { recursive: true });
      writeFileSync(join(root, 'bench', 'out', 'aggregator-memory-sample.csv'), `${HEADER}\n${buf.split('\n').slice(0, DUMP).join('\n')}\n`);
    }
    if (buf.length >= CHUNK) {
      yield Buffer.from(buf, 'latin1');
      buf = '';
      const rss = process.memoryUsage.rss();
      if (rss > peakRss) peakRss = rss;
      // The consumer has parsed everything yielded before this chunk; close enough for 5 % marks.
      while (generated >= (nextMark * TOTAL) / 20 && nextMark <= 20) mark(5 * nextMark++);
    }
  }
  if (buf) yield Buffer.from(buf, 'latin1');
}

if (process.argv.includes('--generate-only')) {
  // The generator's own cost, to tell it apart from loadctl's in samples/s.
  let bytes = 0;
  for await (const chunk of Readable.from(lines(), { objectMode: false })) bytes += chunk.length;
  const sec = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ generateOnly: true, samples: generated, bytes, sec: +sec.toFixed(1), samplesPerSec: Math.round(generated / sec), bytesPerSample: +(bytes / generated).toFixed(1) }));
  process.exit(0);
}
await consumeSamples(Readable.from(lines(), { objectMode: false }), 'csv', agg, counts);
const feedSec = (performance.now() - t0) / 1000;
while (nextMark <= 20) mark(5 * nextMark++);
const tf = performance.now();
const result = agg.finish();
const finishMs = performance.now() - tf;
const afterFinishRss = process.memoryUsage.rss();
const json = JSON.stringify(result);
const afterStringifyRss = process.memoryUsage.rss();
peakRss = Math.max(peakRss, afterFinishRss, afterStringifyRss);
const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
const bucketChars = (result.histograms.buckets ?? []).reduce((s, b) => s + (b ? b.length : 0), 0);

const perIter = 14 + NAMES.filter((n) => n.group !== '').reduce((a, n) => a + n.w, 0) / totalW; // + group_duration
const at = (p) => marks.find((m) => m.pct === p);
const report = {
  command: `node bench/aggregator-memory.mjs --samples ${TOTAL} --iterations-per-sec ${ITER_PER_SEC} --keep-bucket-histograms ${KEEP} --live ${LIVE}${URL_NAMES ? ` --url-names ${URL_NAMES}` : ''}${TIMEOUT_RATE ? ` --timeout-rate ${TIMEOUT_RATE}` : ''}`,
  node: process.version,
  gcBeforeMarks: typeof globalThis.gc === 'function',
  stream: `${ITER_PER_SEC} iterations/s x ${perIter.toFixed(2)} samples + vus/vus_max each second ≈ ${Math.round(ITER_PER_SEC * perIter + 2)} samples/s; ${NAMES.length} request names; log-normal latencies`,
  samplesFed: generated,
  parsed: counts.parsed,
  malformed: counts.malformed,
  simulatedHours: +((result.durationMs ?? 0) / 3600e3).toFixed(2),
  seriesPoints: result.series.length,
  requests: result.metrics.http.requests,
  names: Object.keys(result.metrics.http.byName).length,
  otherNames: result.otherNames,
  failed: result.metrics.http.failed,
  p95Ms: +result.metrics.http.latencyMs.p95.toFixed(3),
  lateSamples: result.lateSamples,
  samplesPerSec: Math.round(generated / feedSec), // generation + parse + aggregate, one thread
  feedSec: +feedSec.toFixed(1),
  finishMs: Math.round(finishMs),
  rssMB: { at10: at(10).rssMB, at50: at(50).rssMB, at100: at(100).rssMB, afterFinish: +(afterFinishRss / 1048576).toFixed(1), afterStringify: +(afterStringifyRss / 1048576).toFixed(1) },
  peakRssMB: +(peakRss / 1048576).toFixed(1),
  kernelPeakRssMB: hwm ? +(Number(hwm[1]) / 1024).toFixed(1) : null,
  resultJsonBytes: Buffer.byteLength(json),
  bucketHistogramChars: bucketChars,
  liveCalls,
  marks,
};
mkdirSync(join(root, 'bench', 'out'), { recursive: true });
const variant = [
  TOTAL !== 50e6 ? `-${TOTAL / 1e6}M` : '',
  KEEP ? '' : '-nokeep',
  URL_NAMES ? `-urls${URL_NAMES}` : '',
  TIMEOUT_RATE ? '-timeouts' : '',
  typeof globalThis.gc === 'function' ? '-gc' : '',
].join('');
const file = join(root, 'bench', 'out', `aggregator-memory${variant}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));
const { marks: _m, ...head } = report;
console.log(JSON.stringify(head, null, 2));
console.log(`written ${file}`);
