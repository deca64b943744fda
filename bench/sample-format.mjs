#!/usr/bin/env node
// Which k6 sample format should loadctl read: json or csv? Measures
//  (a) loadctl's parse + aggregate throughput on lines replayed from the recorded fixtures, and
//  (b) k6's own request rate when it writes json or csv into a FIFO that loadctl drains, against
//      no sample output at all (interleaved runs, same local server).
// Usage: node bench/sample-format.mjs [--seconds 10] [--vus 20] [--rounds 3] [--skip-k6]
// Writes only into bench/out/. Needs the k6 at .tools/bin/k6 (or $K6) and mkfifo.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'bench', 'out');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 10);
const vus = arg('vus', 20);
const rounds = arg('rounds', 3);
mkdirSync(out, { recursive: true });

// The library is TypeScript; bundle just the results modules so the bench needs no full build.
await build({
  stdin: {
    contents: "export * from './src/results/samples.ts'; export * from './src/results/csv.ts'; export * from './src/results/aggregator.ts'; export * from './src/k6/stream.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning',
  outfile: join(out, 'results-lib.mjs'),
});
const lib = await import(join(out, 'results-lib.mjs'));
const report = { machine: { node: process.version, cpus: (await import('node:os')).cpus().length } };

// ---- (a) parser + aggregator throughput ----
const fixture = (f) => readFileSync(join(root, 'test', 'fixtures', f), 'utf8');
const jsonText = fixture('k6-run.json');
const csvText = fixture('k6-run.csv');
const jsonLines = jsonText.split('\n').filter(Boolean);
const csvHeader = csvText.slice(0, csvText.indexOf('\n'));
const csvLines = csvText.split('\n').slice(1).filter(Boolean);
const TARGET_LINES = 2_000_000;

function parseAggregate(lines, parse) {
  const reps = Math.ceil(TARGET_LINES / lines.length);
  const agg = new lib.Aggregator({ bucketMs: 1000 });
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) for (const l of lines) { const s = parse(l); if (s && s !== 'malformed') agg.add(s); }
  agg.finish();
  return (reps * lines.length) / ((performance.now() - t0) / 1000);
}

async function streamAggregate(text, format) {
  const reps = Math.ceil(TARGET_LINES / text.split('\n').length);
  const body = format === 'csv' ? text.slice(text.indexOf('\n') + 1) : text;
  const chunks = function* () {
    if (format === 'csv') yield Buffer.from(text.slice(0, text.indexOf('\n') + 1));
    const buf = Buffer.from(body);
    for (let r = 0; r < reps; r++) for (let i = 0; i < buf.length; i += 65536) yield buf.subarray(i, i + 65536);
  };
  const counts = { parsed: 0, malformed: 0 };
  const t0 = performance.now();
  await lib.consumeSamples(Readable.from(chunks()), format, new lib.Aggregator({ bucketMs: 1000 }), counts);
  const lines = reps * body.split('\n').filter(Boolean).length;
  return { linesPerSec: lines / ((performance.now() - t0) / 1000), bytesPerLine: body.length / body.split('\n').filter(Boolean).length };
}

const plainJson = (l) => {
  const o = JSON.parse(l);
  if (o.type !== 'Point') return null;
  const t = o.data.tags ?? {};
  return { metric: o.metric, timeMs: Date.parse(o.data.time), value: o.data.value, name: t.name, status: t.status, expected: t.expected_response === 'true', phase: t.phase, scenario: t.scenario };
};
const best = {};
const csvParse = lib.createCsvParser(csvHeader);
for (let round = 0; round < 3; round++) {
  const put = (k, v) => { best[k] = Math.max(best[k] ?? 0, v); };
  put('json (fast path) parse+aggregate', parseAggregate(jsonLines, lib.parseJsonLine));
  put('json (plain JSON.parse) parse+aggregate', parseAggregate(jsonLines, plainJson));
  put('csv parse+aggregate', parseAggregate(csvLines, csvParse));
  put('json consumeSamples (stream)', (await streamAggregate(jsonText, 'json')).linesPerSec);
  put('csv consumeSamples (stream)', (await streamAggregate(csvText, 'csv')).linesPerSec);
}
report.throughputLinesPerSec = Object.fromEntries(Object.entries(best).map(([k, v]) => [k, Math.round(v)]));
report.bytesPerSampleLine = {
  json: Math.round(jsonText.length / jsonLines.length),
  csv: Math.round(csvText.length / csvLines.length),
};
console.log('(a) lines/s, best of 3 rounds of ~2M lines each:');
console.table(report.throughputLinesPerSec);

// ---- (b) k6 request rate by sample output ----
if (!process.argv.includes('--skip-k6')) {
  const k6 = process.env.K6 ?? join(root, '.tools', 'bin', 'k6');
  const server = spawn(process.execPath, [join(root, 'test', 'fixtures', 'server.mjs'), '0', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [portLine] = await once(server.stdout, 'data');
  const base = `http://127.0.0.1:${String(portLine).trim()}`;
  const script = join(out, 'k6-bench.js');
  writeFileSync(script, `import http from 'k6/http';
export const options = { vus: ${vus}, duration: '${seconds}s', summaryTrendStats: ['avg', 'p(95)'] };
export default function () { http.get(__ENV.BASE_URL + '/a', { tags: { name: 'a' } }); }
export function handleSummary(d) { return { [__ENV.SUMMARY_FILE]: JSON.stringify({ rps: d.metrics.http_reqs.values.rate, reqs: d.metrics.http_reqs.values.count }) }; }
`);
  const runs = [];
  try {
    for (let round = 0; round < rounds; round++) {
      // json-null / csv-null write to /dev/null: k6's own encoding cost without loadctl's reader.
      for (const mode of ['none', 'json', 'csv', 'json-null', 'csv-null']) {
        const fifo = join(out, `samples-${mode}.fifo`);
        const summaryFile = join(out, `summary-${mode}.json`);
        const args = ['run', '--quiet', script];
        let reading;
        const counts = { parsed: 0, malformed: 0 };
        if (mode.endsWith('-null')) args.splice(1, 0, '--out', `${mode.slice(0, -5)}=/dev/null`);
        else if (mode !== 'none') {
          rmSync(fifo, { force: true });
          await execa('mkfifo', [fifo]);
          args.splice(1, 0, '--out', `${mode}=${fifo}`);
          reading = lib.consumeSamples(createReadStream(fifo), mode, new lib.Aggregator({ bucketMs: 1000 }), counts);
        }
        const t0 = performance.now();
        const run = await execa(k6, args, { reject: false, env: { BASE_URL: base, SUMMARY_FILE: summaryFile, K6_CSV_TIME_FORMAT: 'unix_milli' } });
        await reading;
        const readerDoneMs = performance.now() - t0;
        const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
        runs.push({ round, mode, exitCode: run.exitCode, k6Rps: Math.round(s.rps), requests: s.reqs, samplesRead: counts.parsed, malformed: counts.malformed, wallSec: +(readerDoneMs / 1000).toFixed(1) });
        console.log(JSON.stringify(runs.at(-1)));
        rmSync(fifo, { force: true });
      }
    }
  } finally {
    server.kill('SIGTERM');
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  report.k6 = { vus, seconds, rounds, runs, medianRps: Object.fromEntries(['none', 'json', 'csv', 'json-null', 'csv-null'].map((m) => [m, median(runs.filter((r) => r.mode === m).map((r) => r.k6Rps))])) };
  console.log('(b) k6 requests/s (median):', report.k6.medianRps);
}
writeFileSync(join(out, 'sample-format.json'), JSON.stringify(report, null, 2));
console.log(`written ${join(out, 'sample-format.json')}`);
