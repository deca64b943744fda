#!/usr/bin/env node
// How good is the regression gate on this machine, with real k6 against the demo target?
//   node bench/gate-accuracy.mjs [trials=20] [seconds=12] [repeat=2] [pool=10] [jitterMs=4] [tolerance=10] [changes=0,25,10]
// Issue 15's steady-target case: `node bench/gate-accuracy.mjs 20 12 2 5 0 5 0,25,11` (jitter off,
// pool of 5, 2-run gates, latency tolerance 5 %).
// The sequential gate (`gate --against --budget`): `node bench/gate-accuracy.mjs sequential
// [trials=20] [seconds=6] [budget=90] [tolerance=5] [changes=0,5,10,25,50] [jitterMs=4]` runs
// bench/gate-sequential.mjs (detection rate, false alarms and median time to a verdict per change,
// and the stated sensitivity put to the test).
// Builds a baseline pool of `pool` runs, then runs `trials` gates for each condition — nothing
// changed (A/A), the target's latency raised 25 %, raised 10 % — in shuffled order, each gate
// being `loadctl run sustained --repeat <repeat> -d <seconds>s` against the pool. Reports the
// false-alarm rate, the detection rates, how long a gate takes, and whether `loadctl compare` on
// the saved runs gives the live verdict. Needs `npm run build` and .tools/bin/k6; writes only
// under bench/out/gate-accuracy/.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './gate-lib.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
if (process.argv[2] === 'sequential') {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'gate-sequential.mjs'), ...process.argv.slice(3)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const argv = process.argv.slice(2);
const [trials = 20, seconds = 12, repeat = 2, poolSize = 10, jitterMs = 4, tolerance = 10] = argv.slice(0, 6).map(Number);
const changes = (argv[6] ?? '0,25,10').split(',').map(Number);
const work = join(root, 'bench', 'out', 'gate-accuracy');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'profiles'), { recursive: true });
symlinkSync(join(root, 'scenarios'), join(work, 'scenarios'));
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
const cli = join(root, 'bin', 'loadctl.js');
const BASE_DELAY = 20;

const demo = spawn(process.execPath, [join(root, 'dist', 'demo', 'main.js'), '--port', '0', '--delay-ms', String(BASE_DELAY), '--jitter-ms', String(jitterMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
const baseUrl = await new Promise((res, rej) => {
  demo.stdout.once('data', (d) => res(JSON.parse(String(d)).url));
  demo.once('exit', () => rej(new Error('demo target exited')));
});
const setDelay = (ms) => fetch(`${baseUrl}/admin/settings`, { method: 'PUT', body: JSON.stringify({ delayMs: ms }) }).then((r) => r.json());

writeFileSync(
  join(work, 'profiles', 'bench.yaml'),
  [
    `baseUrl: ${baseUrl}`,
    'workload:',
    '  thinkTimeMs: 20',
    '  requests:',
    '    - { name: health, path: /health, weight: 1 }',
    '    - { name: read-item, path: /items/42, weight: 6 }',
    '    - { name: create-item, method: POST, path: /items, body: { name: x }, expect: 201, weight: 2 }',
    'sla: { errorRate: 0.05 }',
    `baseline: { poolSize: ${poolSize}, tolerances: { latencyPct: ${tolerance} } }`,
    '',
  ].join('\n'),
);

const common = ['sustained', '-t', 'bench', '-d', `${seconds}s`, '--vus', '10', '--quiet', '--report', 'json'];
function loadctl(args) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', LOADCTL_MACHINE: 'bench' }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

console.error(`building a pool of ${poolSize} runs against ${baseUrl} ...`);
for (let i = 0; i < poolSize; i++) {
  const r = loadctl(['run', ...common, '--update-baseline', '--out', join(work, 'pool', `run-${i + 1}`)]);
  if (r.code !== 0) throw new Error(`pool run ${i + 1} exited ${r.code}: ${r.stdout}\n${r.stderr}`);
}
const pool = JSON.parse(readFileSync(join(work, 'baselines', 'bench', 'sustained.json'), 'utf8'));
const p50s = pool.runs.map((r) => r.values.overall.p50).sort((a, b) => a - b);
const l0 = p50s[Math.floor(p50s.length / 2)];
console.error(`pool median p50 ${l0.toFixed(2)} ms`);

const conditions = changes.map((pct) => ({ name: pct === 0 ? 'A/A (no change)' : `latency +${pct}%`, pct }));
const outcomes = conditions.map(() => ({ fail: 0, inconclusive: 0, pass: 0, compareAgrees: 0, gateMs: [] }));
for (let t = 0; t < trials; t++) {
  const order = conditions.map((_, i) => i).sort(() => Math.random() - 0.5);
  for (const c of order) {
    // Raise the target's own delay so the measured median latency rises by pct.
    await setDelay(BASE_DELAY + (conditions[c].pct / 100) * l0);
    const out = join(work, 'trials', `${conditions[c].pct}-${t + 1}`);
    const r = loadctl(['run', ...common, '--repeat', String(repeat), '--out', out]);
    const last = JSON.parse(readFileSync(join(out, `run-${repeat}`, 'result.json'), 'utf8'));
    const verdict = r.code === 1 ? 'fail' : last.status === 'inconclusive' ? 'inconclusive' : r.code === 0 ? 'pass' : `exit ${r.code}`;
    outcomes[c][verdict] = (outcomes[c][verdict] ?? 0) + 1;
    outcomes[c].gateMs.push(r.ms);
    const runs = Array.from({ length: repeat }, (_, i) => join(out, `run-${i + 1}`));
    const cmp = loadctl(['compare', ...runs, 'baseline', '--json']);
    if (JSON.parse(cmp.stdout).status === last.status) outcomes[c].compareAgrees++;
    console.error(`trial ${t + 1} ${conditions[c].name}: ${verdict} (${(r.ms / 1000).toFixed(1)} s)`);
  }
}
await setDelay(BASE_DELAY);
demo.kill('SIGTERM');

const report = {
  command: `node bench/gate-accuracy.mjs ${trials} ${seconds} ${repeat} ${poolSize} ${jitterMs} ${tolerance} ${changes.join(',')}`,
  setup: `demo target delay ${BASE_DELAY} ms + 0-${jitterMs} ms jitter, latency tolerance ${tolerance} %; sustained, 10 VUs, ${seconds} s per run, ${repeat} runs per gate (${repeat * seconds} s of load), pool of ${poolSize}; pool median p50 ${l0.toFixed(2)} ms`,
  rows: conditions.map((c, i) => ({
    condition: c.name,
    trials,
    fail: outcomes[i].fail,
    inconclusive: outcomes[i].inconclusive,
    pass: outcomes[i].pass,
    failRate: outcomes[i].fail / trials,
    compareAgrees: `${outcomes[i].compareAgrees}/${trials}`,
    medianGateSeconds: Number((median(outcomes[i].gateMs) / 1000).toFixed(1)),
  })),
};
writeFileSync(join(work, 'report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
