#!/usr/bin/env node
// Memory of loadctl's k6 output extension (k6/output) over a long run: runs the Go benchmark
// k6/output/memory_bench_test.go (build tag `bench`), which pushes ≥ 50 million k6 samples spread
// over 24 simulated hours through the output, flushed once per simulated second, and reports RSS at
// 10/50/100 %, peak RSS and samples/s (sample generation included). The node side of the same
// stream is bench/aggregator-memory.mjs.
// Usage: node bench/k6-output-memory.mjs [samples=50000000]. Needs Go. Writes bench/out/k6-output-memory/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const samples = Number(process.argv[2] ?? 50_000_000);
if (!(samples >= 1000)) throw new Error('samples must be >= 1000');
const stdout = execFileSync('go', ['test', '-count=1', '-tags', 'bench', '-run', '^TestOutputMemory$', '-v', '-timeout', '60m', './output/'], {
  cwd: join(root, 'k6'),
  env: { ...process.env, BENCH_SAMPLES: String(samples), CGO_ENABLED: '0' },
  maxBuffer: 1 << 24,
}).toString();
const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
if (!line) throw new Error(`no REPORT line in:\n${stdout}`);
const report = { command: `node bench/k6-output-memory.mjs ${samples}`, ...JSON.parse(line.slice(7)) };
const out = join(root, 'bench', 'out', 'k6-output-memory');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
