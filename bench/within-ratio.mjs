#!/usr/bin/env node
// How much more do runs differ from each other than their own batches say? The ratio of the
// between-run standard deviation to the within-run standard error (batch means), per metric, for
// `runs` runs of `sustained` against the demo target — the floor the judge uses when there is no
// pool to show run-to-run spread (judge/within-run.ts BETWEEN_WITHIN_RATIO).
//   node bench/within-ratio.mjs [runs=6] [seconds=20] [delayMs=40] [jitterMs=4]
// Needs `npm run build` and .tools/bin/k6; writes only under bench/out/within-ratio/.
import { join } from 'node:path';
import { benchProject, root } from './gate-lib.mjs';

const [runs = 6, seconds = 20, delayMs = 40, jitterMs = 4] = process.argv.slice(2).map(Number);
const { withinRunEvidence } = await import(join(root, 'dist', 'judge', 'baseline', 'within-run.js'));
const b = await benchProject('within-ratio', { delayMs, jitterMs });
const keys = ['p50', 'p95', 'p99', 'errorRate', 'rps'];
const rows = [];
try {
  for (let i = 0; i < runs; i++) {
    const r = b.loadctl(['run', ...b.sustained(seconds), '--out', `run-${i + 1}`]);
    if (r.code !== 0) throw new Error(`run ${i + 1} exited ${r.code}: ${r.stdout}\n${r.stderr}`);
    const res = b.readResult(`run-${i + 1}`);
    const http = res.metrics.http;
    const w = withinRunEvidence(res.series, res.histograms.buckets);
    const value = { p50: Math.log(http.latencyMs.p50), p95: Math.log(http.latencyMs.p95), p99: Math.log(http.latencyMs.p99), errorRate: http.errorRate, rps: Math.log(http.rps) };
    rows.push({ value, within: w });
    console.error(`run ${i + 1}: p50 ${http.latencyMs.p50.toFixed(2)} ms, ${http.requests} requests, within se(log p50) ${w?.p50?.se.toFixed(4)}`);
  }
} finally {
  b.stop();
}
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const ratios = {};
for (const k of keys) {
  const between = sd(rows.map((r) => r.value[k]));
  const ses = rows.map((r) => r.within?.[k]?.se).filter((x) => x !== undefined);
  const within = ses.length === rows.length ? Math.sqrt(mean(ses.map((s) => s * s))) : null;
  ratios[k] = { betweenSd: Number(between.toFixed(5)), withinSe: within === null ? null : Number(within.toFixed(5)), ratio: within ? Number((between / within).toFixed(2)) : null };
}
const report = { command: `node bench/within-ratio.mjs ${runs} ${seconds} ${delayMs} ${jitterMs}`, setup: `demo target ${delayMs} ms + 0-${jitterMs} ms jitter; sustained, 10 VUs, ${seconds} s per run; log scale for latency and throughput`, ratios };
console.log(JSON.stringify(report, null, 2));
