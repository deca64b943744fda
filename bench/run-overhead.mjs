#!/usr/bin/env node
// loadctl run vs bare `k6 run` of the same bundled script against the same demo target,
// interleaved, alternating which goes first. Measures (1) wall time from invocation until the k6 process starts and
// (2) throughput: requests completed in the same fixed-duration run (both run the same plan for the
// same seconds), so the ratio does not depend on how each side measures elapsed time. loadctl runs
// as a user runs it: full aggregation and live progress (plain lines, stderr not a terminal);
// LOADCTL_SAMPLE_FORMAT=csv measures the fallback stream for a k6 without loadctl's output. Usage: node bench/run-overhead.mjs [pairs=5] [seconds=10] [vus=10] [delayMs=0]
// delayMs 0 makes k6 itself the bottleneck (the worst case for any per-sample cost); a delay
// makes the target the bottleneck, as in most real load tests.
// Needs `npm run build` and .tools/bin/k6. Writes only under bench/out/.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'bench', 'out', 'run-overhead');
const [pairs = 5, seconds = 10, vus = 10, delayMs = 0] = process.argv.slice(2).map(Number);
// BENCH_BARE=summary (default): bare k6 with its default end-of-test summary, as users run it.
// BENCH_BARE=output: k6 exactly as loadctl runs it, writing loadctl's output to a file nobody reads.
const BARE = process.env.BENCH_BARE ?? 'summary';
if (BARE !== 'summary' && BARE !== 'output') throw new Error('BENCH_BARE must be summary or output');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const k6 = join(root, '.tools', 'bin', 'k6');
const cli = join(root, 'bin', 'loadctl.js');

// A k6 wrapper that stamps the moment it is exec'd, for "time until k6 starts".
const stamp = join(out, 'k6-started');
const wrapper = join(out, 'k6-wrapper.sh');
writeFileSync(wrapper, `#!/bin/sh\n[ "$1" = run ] && date +%s%N > "${stamp}"\nexec "${k6}" "$@"\n`);
chmodSync(wrapper, 0o755);

// One demo target for every run, so both sides load the same server.
const demo = spawn(process.execPath, [join(root, 'dist', 'demo', 'main.js'), '--port', '0', '--delay-ms', String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
const baseUrl = await new Promise((res, rej) => {
  demo.stdout.once('data', (d) => res(JSON.parse(String(d)).url));
  demo.once('exit', () => rej(new Error('demo target exited')));
});

// Cheap requests and no think time, so k6 itself is the bottleneck and any cost loadctl adds to it
// shows in the throughput.
mkdirSync(join(out, 'profiles'), { recursive: true });
writeFileSync(
  join(out, 'profiles', 'bench.yaml'),
  [
    `baseUrl: ${baseUrl}`,
    'workload:',
    '  requests:',
    '    - { name: health, path: /health, weight: 1 }',
    '    - { name: read-item, path: /items/42, weight: 4 }',
    'sla: { p95: 1000, errorRate: 0.01 }',
    '',
  ].join('\n'),
);
const profile = join(out, 'profiles', 'bench.yaml');

const common = ['sustained', '-t', profile, '--vus', String(vus), '-d', `${seconds}s`];
const plan = execFileSync(process.execPath, [cli, 'run', ...common, '--dry-run'], { cwd: root }).toString();
execFileSync(process.execPath, [cli, 'build', 'sustained', '--out', join(out, 'bundle')], { cwd: root });
const bundle = join(out, 'bundle', 'sustained.js');

function timed(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const wall0 = BigInt(Date.now()) * 1_000_000n;
  execFileSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const total = Number(process.hrtime.bigint() - t0) / 1e6;
  const startedNs = BigInt(readFileSync(stamp, 'utf8').trim());
  return { totalMs: total, untilK6Ms: Number(startedNs - wall0) / 1e6 };
}

function runLoadctl(i) {
  const timing = timed(process.execPath, [cli, 'run', ...common, '--out', join(out, `a${i}`)], { LOADCTL_K6: wrapper, NO_COLOR: '1' });
  return { timing, result: JSON.parse(readFileSync(join(out, `a${i}`, 'result.json'), 'utf8')) };
}

// loadctl starts k6 in a session of its own (so it can stop k6's whole process group). With the
// kernel's autogroup scheduling (/proc/sys/kernel/sched_autogroup_enabled) a new session is a new
// CPU-share group, which on a shared 2-core box shifts CPU from the co-located target to k6. Bare
// k6 runs under `setsid` too, so both sides get the same treatment and only loadctl's cost differs.
function runBare(i) {
  if (BARE === 'summary') {
    const summary = join(out, `b${i}.json`);
    const timing = timed('setsid', ['-w', wrapper, 'run', '--quiet', '--no-usage-report', `--summary-export=${summary}`, bundle], { LOADCTL_PLAN: plan, BASE_URL: baseUrl });
    return { timing, reqs: JSON.parse(readFileSync(summary, 'utf8')).metrics.http_reqs };
  }
  // k6 as loadctl runs it (summary and thresholds off, its json stream) into a file, no node
  // reading it: what is left between this and loadctl is loadctl's own cost.
  const file = join(out, `b${i}.ndjson`);
  const noSummary = / v1\./.test(execFileSync(k6, ['version']).toString()) ? '--no-summary' : '--summary-mode=disabled';
  const timing = timed('setsid', ['-w', wrapper, 'run', '--quiet', '--no-usage-report', noSummary, '--no-thresholds', '--out', `json=${file}`, bundle], { LOADCTL_PLAN: plan, BASE_URL: baseUrl });
  let count = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{"metric":"http_reqs"')) continue;
    const p = JSON.parse(line).data;
    count += p.value;
    const t = Date.parse(p.time);
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  rmSync(file, { force: true });
  return { timing, reqs: { count, rate: count / (Math.max(1, last - first) / 1000) } };
}

// Pairs alternate which side goes first (A B, B A, …), so neither always runs on a target that
// has just been loaded.
const rows = [];
for (let i = 0; i < pairs; i++) {
  let lc;
  let bare;
  if (i % 2 === 0) {
    lc = runLoadctl(i);
    bare = runBare(i);
  } else {
    bare = runBare(i);
    lc = runLoadctl(i);
  }
  const { result } = lc;
  const a = lc.timing;
  const b = bare.timing;
  const reqs = bare.reqs;
  rows.push({
    pair: i + 1,
    first: i % 2 === 0 ? "loadctl" : "bare",
    format: result.samples.format,
    loadctlRequests: result.metrics.http.requests,
    k6Requests: reqs.count,
    loadctlRps: result.metrics.http.rps,
    k6Rps: reqs.rate,
    loadctlUntilK6Ms: a.untilK6Ms,
    k6UntilK6Ms: b.untilK6Ms,
    loadctlWallMs: a.totalMs,
    k6WallMs: b.totalMs,
  });
  console.error(`pair ${i + 1}: loadctl (${result.samples.format}) ${result.metrics.http.requests} requests (k6 started after ${a.untilK6Ms.toFixed(0)} ms), bare k6 ${reqs.count} requests`);
  rmSync(join(out, `a${i}`), { recursive: true, force: true });
}
demo.kill('SIGTERM');

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const ratio = median(rows.map((r) => r.loadctlRequests / r.k6Requests));
const rpsRatio = median(rows.map((r) => r.loadctlRps / r.k6Rps));
const extra = median(rows.map((r) => r.loadctlUntilK6Ms - r.k6UntilK6Ms));
const report = {
  command: `${process.env.LOADCTL_SAMPLE_FORMAT ? `LOADCTL_SAMPLE_FORMAT=${process.env.LOADCTL_SAMPLE_FORMAT} ` : ''}${BARE === 'output' ? 'BENCH_BARE=output ' : ''}node bench/run-overhead.mjs ${pairs} ${seconds} ${vus} ${delayMs}`,
  bare: BARE === 'summary' ? 'k6 run <bundle> with its default end-of-test summary' : "k6 run <bundle> as loadctl runs it (summary and thresholds off, --out json=<file>), no loadctl",
  target: `demo target ${baseUrl} (${delayMs} ms added delay), health + read-item requests, no think time, ${vus} VUs, ${seconds} s per run`,
  sampleStream: rows[0]?.format,
  medianThroughputRatio: Number(ratio.toFixed(3)), // requests in the same run length, loadctl / bare k6
  medianReqPerSecRatio: Number(rpsRatio.toFixed(3)), // each side's own req/s (k6: over its whole test run)
  medianTargetReqPerSec: { loadctl: Math.round(median(rows.map((r) => r.loadctlRps))), k6: Math.round(median(rows.map((r) => r.k6Rps))) },
  medianExtraMsBeforeK6Starts: Math.round(extra),
  medianWallMs: { loadctl: Math.round(median(rows.map((r) => r.loadctlWallMs))), k6: Math.round(median(rows.map((r) => r.k6WallMs))) },
  rows,
};
writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
