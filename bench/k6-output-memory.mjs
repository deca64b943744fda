#!/usr/bin/env node
// The `loadctl` sample stream over a 24-hour soak, both halves:
// 1. k6 side: the Go benchmark k6/output/memory_bench_test.go (build tag `bench`) pushes ≥ 50 million
//    k6 samples, spread over 24 simulated hours in the shape k6 emits them per request, through
//    loadctl's k6 output, flushed once per simulated second: RSS at 10/50/100 %, peak RSS, samples/s
//    (sample generation included). The lines it writes go to a file under bench/out/.
// 2. node side: that file goes through the real consumeSamples → Aggregator from dist/ (as loadctl
//    reads the pipe), in a child process: RSS at 10/50/100 % of the lines, peak RSS, lines/s.
// Usage: node bench/k6-output-memory.mjs [samples=50000000] [bucketMs=24000]
// (`loadctl run` picks 24000 ms buckets for a 24 h plan; 1000 gives 86,400 buckets.)
// Needs Go and `npm run build`. Writes bench/out/k6-output-memory/.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'bench', 'out', 'k6-output-memory');

if (process.argv[2] === '--consume') {
  // Child: the node half, alone in its process so its RSS is its own.
  const [file, bucketMs] = [process.argv[3], Number(process.argv[4])];
  const { Aggregator } = await import(join(root, 'dist', 'results', 'aggregator.js'));
  const { consumeSamples } = await import(join(root, 'dist', 'k6', 'stream.js'));
  const size = statSync(file).size;
  const counts = { parsed: 0, malformed: 0 };
  const agg = new Aggregator({ bucketMs });
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  const rss = {};
  let read = 0;
  let peak = 0;
  stream.on('data', (chunk) => {
    read += chunk.length;
    const m = process.memoryUsage.rss();
    if (m > peak) peak = m;
    for (const p of [10, 50]) if (!(`${p}%` in rss) && read >= (size * p) / 100) rss[`${p}%`] = Math.round(m / 1048576);
    agg.live(); // as the progress line does once a second
  });
  const t0 = performance.now();
  await consumeSamples(stream, 'loadctl', agg, counts);
  const result = agg.finish();
  const sec = (performance.now() - t0) / 1000;
  rss['100%'] = Math.round(process.memoryUsage.rss() / 1048576);
  console.log(JSON.stringify({
    file: { bytes: size },
    samples: counts.parsed,
    malformed: counts.malformed,
    requests: result.metrics.http.requests,
    buckets: result.series.length,
    rssMB: rss,
    peakRssMB: Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576),
    samplesPerSec: Math.round(counts.parsed / sec),
    resultMB: +(JSON.stringify(result).length / 1048576).toFixed(2),
    elapsedSec: +sec.toFixed(1),
  }));
  process.exit(0);
}

const samples = Number(process.argv[2] ?? 50_000_000);
const bucketMs = Number(process.argv[3] ?? 24_000);
if (!(samples >= 1000) || !(bucketMs > 0)) throw new Error('usage: node bench/k6-output-memory.mjs [samples>=1000] [bucketMs>0]');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const lines = join(out, 'loadctl-output.ndjson');
const stdout = execFileSync('go', ['test', '-count=1', '-tags', 'bench', '-run', '^TestOutputMemory$', '-v', '-timeout', '60m', './output/'], {
  cwd: join(root, 'k6'),
  env: { ...process.env, BENCH_SAMPLES: String(samples), BENCH_OUT: lines, BENCH_BUCKET_MS: String(bucketMs), CGO_ENABLED: '0' },
  maxBuffer: 1 << 24,
}).toString();
const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
if (!line) throw new Error(`no REPORT line in:\n${stdout}`);
const k6Side = JSON.parse(line.slice(7));
const nodeSide = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--consume', lines, String(bucketMs)], { maxBuffer: 1 << 24 }).toString());
rmSync(lines, { force: true });
const report = { command: `node bench/k6-output-memory.mjs ${samples} ${bucketMs}`, k6OutputExtension: k6Side, loadctlNode: nodeSide };
writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
