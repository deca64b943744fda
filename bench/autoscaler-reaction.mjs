#!/usr/bin/env node
// How closely the demo target's simulated autoscaler keeps its configured reaction delay, as
// loadctl's probes see it: for each delay, a `loadctl run sustained --rate` at 1.5× one replica's
// capacity against a demo target started here, probed every 100 ms through its /metrics (replicas,
// and requests served + refused, whose first rise marks the start of load). Reaction = first probe
// sample with 2 replicas − first sample with any request.
// Usage: node bench/autoscaler-reaction.mjs [delays=2,4,8] [rps=200]
// Needs `npm run build` and .tools/bin/k6. Writes only under bench/out/.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { startDemoTarget } = await import(join(root, 'dist/target/index.js'));
const { probeRunner } = await import(join(root, 'dist/probes/runner.js'));
const { toProbes } = await import(join(root, 'dist/probes/settings.js'));
const [delaysArg = '2,4,8', rpsArg = '200'] = process.argv.slice(2);
const rps = Number(rpsArg);
const out = join(root, 'bench', 'out', 'autoscaler-reaction');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'profiles'), { recursive: true });
cpSync(join(root, 'scenarios'), join(out, 'scenarios'), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');

console.log('configured s  measured s  error s  replicas max');
for (const delay of delaysArg.split(',').map(Number)) {
  const target = await startDemoTarget({ capacity: { rps }, autoscaler: { reactionSeconds: delay, maxReplicas: 3 } });
  writeFileSync(join(out, 'profiles', 'as.yaml'), `baseUrl: ${target.baseUrl}\nworkload: { requests: [{ name: item, path: /items/1 }] }\nsafety: { maxVUs: 1000 }\n`);
  const run = new AbortController();
  const ctx = { plan: {}, clock: { startedAtMs: Date.now(), now: () => Date.now() }, log: () => {}, stopRun: () => {}, signal: run.signal };
  const url = `${target.baseUrl}/metrics`;
  const task = probeRunner(toProbes([
    { name: 'replicas', type: 'prometheus', url, metric: 'loadctl_demo_replicas', intervalSeconds: 0.1 },
    { name: 'requests', type: 'prometheus', url, metric: 'loadctl_demo_requests_total', aggregate: 'sum', intervalSeconds: 0.1 },
  ]));
  await task.start(ctx);
  try {
    // Asynchronously: the probes sample on this process's event loop while loadctl runs.
    await promisify(execFile)(process.execPath, [join(root, 'bin', 'loadctl.js'), 'run', 'sustained', '-t', 'as', '--rate', String(rps * 1.5), '-d', `${delay + 6}s`, '--report', 'json', '-q', '--out', join(out, `run-${delay}`)],
      { cwd: out, env: { ...process.env, NO_COLOR: '1', LOADCTL_K6: join(root, '.tools', 'bin', 'k6') } });
  } catch (e) {
    if (e.code !== 1) throw e; // 1: the SLA broke under overload, as intended
  }
  run.abort();
  await task.stop();
  await target.stop();
  const [replicas, requests] = task.result();
  const loadAt = requests.points.find((p) => p.value > 0)?.atMs;
  const rose = replicas.points.find((p) => p.value > 1)?.atMs;
  const measured = loadAt !== undefined && rose !== undefined ? (rose - loadAt) / 1000 : NaN;
  const max = Math.max(...replicas.points.map((p) => p.value ?? 0));
  console.log(`${String(delay).padStart(12)}  ${measured.toFixed(2).padStart(10)}  ${(measured - delay).toFixed(2).padStart(7)}  ${String(max).padStart(12)}`);
}
