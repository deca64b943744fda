#!/usr/bin/env node
// k6's own memory on a long run: bare `k6 run` with its default end-of-test summary ON (k6 keeps
// every Trend sample for it) vs the same scenario under `loadctl run` (k6 with
// --summary-mode=disabled --no-thresholds streaming its samples into loadctl's node process, through
// loadctl's own output when the k6 has it, else CSV; result.json's samples.format says which). Both run at the
// same time against one demo target; VmRSS of bare k6, of loadctl's k6 child and of the loadctl
// node process is read from /proc/<pid>/status every `every` seconds.
// Usage: node bench/k6-rss.mjs [seconds=600] [vus=10] [thinkMs=20] [every=10] [--no-thresholds-k6] [--script=<file>]
// --script runs a plain k6 script with thresholds instead (e.g. bench/scripts/thresholds-soak.js):
// bare `k6 run --summary-mode=disabled <script>` (its thresholds on: k6 keeps every Trend sample
// for them) vs `loadctl run <script>` (loadctl judges the thresholds; k6 gets --no-thresholds).
// --no-thresholds-k6 adds a third k6, started with exactly loadctl's argv and env (k6Invocation
// from dist/) plus --no-thresholds, writing its csv to /dev/null: k6 feeds every sample to its
// metrics engine (whose Trend sinks keep every value) whenever the summary OR thresholds are on.
// Needs `npx tsc -p tsconfig.json` and .tools/bin/k6. Writes only under bench/out/. Linux only.

import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'bench', 'out', 'k6-rss');
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const [seconds = 600, vus = 10, thinkMs = 20, every = 10] = positional.map(Number);
const withNoThresholds = process.argv.includes('--no-thresholds-k6');
const scriptArg = process.argv.find((a) => a.startsWith('--script='))?.slice('--script='.length);
const plainScript = scriptArg ? resolve(scriptArg) : null;
if (!(seconds >= 5)) throw new Error('seconds must be >= 5');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const k6 = join(root, '.tools', 'bin', 'k6');
const cli = join(root, 'bin', 'loadctl.js');

// ---- /proc helpers ----
function status(pid) {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null; // gone
  }
}
function field(pid, name) {
  const s = status(pid);
  const m = s && new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(s);
  return m ? Number(m[1]) * 1024 : null;
}
const rss = (pid) => field(pid, 'VmRSS');
const hwm = (pid) => field(pid, 'VmHWM');
/** Direct child of `ppid` whose executable name is `comm`, or null. */
function childNamed(ppid, comm) {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = status(d);
    if (!s) continue;
    if (new RegExp(`^PPid:\\s+${ppid}$`, 'm').test(s) && new RegExp(`^Name:\\s+${comm}$`, 'm').test(s)) return Number(d);
  }
  return null;
}
const mb = (b) => (b === null || b === undefined ? null : Math.round((b / 1048576) * 10) / 10);

// ---- target, profile, bundle, plan ----
const children = [];
const demo = spawn(process.execPath, [join(root, 'dist', 'demo', 'main.js'), '--port', '0', '--delay-ms', '5', '--jitter-ms', '5'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(demo);
const baseUrl = await new Promise((res, rej) => {
  demo.stdout.once('data', (d) => res(JSON.parse(String(d)).url));
  demo.once('exit', () => rej(new Error('demo target exited')));
});

const profile = join(out, 'bench.yaml');
writeFileSync(
  profile,
  [
    `baseUrl: ${baseUrl}`,
    'workload:',
    `  thinkTimeMs: ${thinkMs}`,
    '  requests:',
    '    - { name: health, path: /health, weight: 1 }',
    '    - { name: read-item, path: /items/42, weight: 4 }',
    '    - { name: create-item, method: POST, path: /items, body: { name: widget, price: 9.5 }, expect: 201, weight: 1 }',
    'sla: { p95: 1000, errorRate: 0.01 }',
    '',
  ].join('\n'),
);
const common = plainScript ? [plainScript, '-t', profile] : ['sustained', '-t', profile, '--vus', String(vus), '-d', `${seconds}s`];
const plan = execFileSync(process.execPath, [cli, 'run', ...common, '--dry-run'], { cwd: root }).toString();
writeFileSync(join(out, 'plan.json'), plan);
let bundle = plainScript;
if (!plainScript) {
  execFileSync(process.execPath, [cli, 'build', 'sustained', '--out', join(out, 'bundle')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  bundle = join(out, 'bundle', 'sustained.js');
}
// The plain script reads its load from the environment, the same for both sides.
const scriptEnv = plainScript ? { VUS: String(vus), DURATION: `${seconds}s`, THINK_MS: String(thinkMs) } : {};

// ---- both runs, side by side ----
// Bare k6: plain `k6 run`, default end-of-test summary (printed to stdout, kept in a file).
// --no-usage-report only stops k6 phoning home (traffic must stay on 127.0.0.1).
const bareLog = createWriteStream(join(out, 'bare-k6-stdout.txt'));
// k6 v1 spells "no summary" --no-summary; v2 --summary-mode=disabled.
const k6Major = Number(/ v(\d+)\./.exec(execFileSync(k6, ['version']).toString())?.[1] ?? 2);
const noSummary = k6Major >= 2 ? '--summary-mode=disabled' : '--no-summary';
const bare = spawn(k6, ['run', '--no-usage-report', '--no-color', ...(plainScript ? [noSummary] : []), bundle], {
  cwd: root,
  env: { ...process.env, ...scriptEnv, LOADCTL_PLAN: plan, BASE_URL: baseUrl, K6_NO_USAGE_REPORT: 'true' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
children.push(bare);
bare.stdout.pipe(bareLog);
bare.stderr.pipe(createWriteStream(join(out, 'bare-k6-stderr.txt')));

const lc = spawn(process.execPath, [cli, 'run', ...common, '--quiet', '--report', 'json', '--out', join(out, 'loadctl-run')], {
  cwd: root,
  env: { ...process.env, ...scriptEnv, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
children.push(lc);
lc.stdout.pipe(createWriteStream(join(out, 'loadctl-stdout.txt')));
lc.stderr.pipe(createWriteStream(join(out, 'loadctl-stderr.txt')));

let nt = null;
if (withNoThresholds) {
  const { k6Invocation } = await import(join(root, 'dist', 'k6', 'args.js'));
  const inv = k6Invocation({ plan: { ...JSON.parse(plan), target: { ...JSON.parse(plan).target, baseUrl } }, script: bundle, samplesPath: '/dev/null', format: 'csv', k6Major });
  const args = [...inv.args];
  if (!args.includes('--no-thresholds')) args.splice(args.indexOf(noSummary) + 1, 0, '--no-thresholds');
  nt = spawn(k6, args, { cwd: root, env: { ...inv.envDefaults, ...process.env, ...inv.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(nt);
  nt.stderr.pipe(createWriteStream(join(out, 'no-thresholds-k6-stderr.txt')));
}

const exited = (p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(p.exitCode) : p.once('exit', (code) => r(code))));
const bareDone = exited(bare);
const lcDone = exited(lc);
let lcK6 = null;
const peaks = { bareK6: 0, loadctlK6: 0, loadctlNode: 0, ...(nt ? { noThresholdsK6: 0 } : {}) };
const ntDone = nt ? exited(nt) : Promise.resolve(null);
const rows = [];
const t0 = Date.now();

// A target that dies mid-run (it should not, but this machine is shared) turns every later
// request into a fast connection error: stop, and flag the rows instead of reporting them as load.
let targetDiedAt = null;
const onTargetExit = (code, signal) => {
  targetDiedAt = Math.round((Date.now() - t0) / 1000);
  console.error(`k6-rss: the demo target exited (${signal ?? code}) at t=${targetDiedAt} s; stopping the runs`);
  for (const c of [bare, lc, nt]) if (c && c.exitCode === null) c.kill('SIGTERM');
};
demo.once('exit', onTargetExit);

// Safety bound: nothing outlives the planned duration by more than 90 s.
const killer = setTimeout(() => {
  console.error('k6-rss: runs overran their time bound; stopping them');
  for (const c of [bare, lc, nt]) if (c && c.exitCode === null) c.kill('SIGTERM');
}, (seconds + 90) * 1000);

function sample() {
  if (lcK6 === null) lcK6 = childNamed(lc.pid, 'k6');
  const row = {
    t: Math.round((Date.now() - t0) / 1000),
    bareK6MB: mb(bare.exitCode === null ? rss(bare.pid) : null),
    loadctlK6MB: mb(lcK6 !== null ? rss(lcK6) : null),
    loadctlNodeMB: mb(lc.exitCode === null ? rss(lc.pid) : null),
  };
  if (nt) row.noThresholdsK6MB = mb(nt.exitCode === null ? rss(nt.pid) : null);
  for (const [k, pid] of [['bareK6', bare.pid], ['loadctlK6', lcK6], ['loadctlNode', lc.pid], ...(nt ? [['noThresholdsK6', nt.pid]] : [])]) {
    const h = pid !== null ? hwm(pid) : null; // VmHWM: the kernel's own peak, between our samples too
    if (h !== null && h > peaks[k]) peaks[k] = h;
  }
  rows.push(row);
  console.error(`t=${String(row.t).padStart(4)} s  bare k6 ${row.bareK6MB ?? '-'} MB  loadctl's k6 ${row.loadctlK6MB ?? '-'} MB  loadctl node ${row.loadctlNodeMB ?? '-'} MB${nt ? `  k6 --no-thresholds ${row.noThresholdsK6MB ?? '-'} MB` : ''}`);
}
// First sample once both k6 processes have started, then every `every` s.
await new Promise((r) => setTimeout(r, 1000));
sample();
const ticker = setInterval(sample, every * 1000);
const [bareCode, lcCode, ntCode] = await Promise.all([bareDone, lcDone, ntDone]);
clearInterval(ticker);
clearTimeout(killer);
demo.off('exit', onTargetExit);
if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGTERM');

let loadctlRequests = null;
let sampleStream = null;
try {
  const result = JSON.parse(readFileSync(join(out, 'loadctl-run', 'result.json'), 'utf8'));
  loadctlRequests = result.metrics.http.requests;
  sampleStream = result.samples.format;
} catch {}
const bareText = readFileSync(join(out, 'bare-k6-stdout.txt'), 'utf8');
const bareReqMatch = /http_reqs\D*?(\d+)\s/.exec(bareText);
// Growth: last sample while both k6 run minus the first sample taken 30 s or later (after warm-up).
// Only rows where both k6 processes still run: afterwards loadctl's node is writing reports.
const growth = (key) => {
  const live = rows.filter((r) => r[key] !== null && r.bareK6MB !== null && r.loadctlK6MB !== null);
  const from = live.find((r) => r.t >= Math.min(30, seconds / 2)) ?? live[0];
  const to = live.at(-1);
  return from && to ? Math.round((to[key] - from[key]) * 10) / 10 : null;
};
const report = {
  command: `node bench/k6-rss.mjs ${seconds} ${vus} ${thinkMs} ${every}${nt ? ' --no-thresholds-k6' : ''}${scriptArg ? ` --script=${scriptArg}` : ''}`,
  ...(plainScript ? { script: `${scriptArg}: bare k6 with --summary-mode=disabled (its thresholds on), loadctl judging the thresholds itself` } : {}),
  setup: `one demo target (${baseUrl}, delay 5 ms + 0..5 ms jitter); ${plainScript ? 'the plain script' : "bundled 'sustained' scenario"}, ${vus} VUs, ${thinkMs} ms think time, ${seconds} s, both runs at once on ${(await import('node:os')).cpus().length} cores`,
  bare: plainScript ? 'k6 run --no-usage-report --summary-mode=disabled <script> (its thresholds ON), env BASE_URL' : `k6 run --no-usage-report <bundle> (default end-of-test summary ON), env LOADCTL_PLAN + BASE_URL`,
  loadctl: `node bin/loadctl.js run ${common.join(' ')} --quiet --report json (k6 with --summary-mode=disabled --no-thresholds --out <sampleStream>=<fifo>)`,
  sampleStream,
  ...(nt ? { noThresholdsK6: 'k6 with loadctl\'s exact argv/env (k6Invocation) + --no-thresholds, --out csv=/dev/null' } : {}),
  ...(targetDiedAt !== null ? { targetDiedAtSec: targetDiedAt, warning: 'the demo target died: rows after targetDiedAtSec are not comparable' } : {}),
  exitCodes: { bareK6: bareCode, loadctl: lcCode, ...(nt ? { noThresholdsK6: ntCode } : {}) },
  requests: { bareK6: bareReqMatch ? Number(bareReqMatch[1]) : null, loadctl: loadctlRequests },
  peakRssMB: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, mb(v)])),
  growthAfterWarmupMB: Object.fromEntries(Object.keys(peaks).map((k) => [k, growth(`${k}MB`)])),
  rows,
};
const reportFile = join(root, 'bench', 'out', nt ? 'k6-rss-no-thresholds.json' : 'k6-rss.json');
writeFileSync(reportFile, JSON.stringify(report, null, 2));
console.table(rows);
const { rows: _rows, ...head } = report;
console.log(JSON.stringify(head, null, 2));
console.log(`written ${reportFile}`);
