#!/usr/bin/env node
// How long loadctl makes you wait: wall time from invoking `loadctl run` until k6's first request
// reaches the target, against bare `k6 run` of the same bundle with the same plan, interleaved and
// alternating which side goes first; plus `loadctl --version` and `loadctl list`, and bare
// `node -e 0` for scale. The target is a tiny server inside this script that notes when the first
// request with k6's User-Agent arrives (loadctl's own reachability probe does not count), so both
// sides are timed on one clock. Usage: node bench/startup.mjs [pairs=9]
// Needs `npm run build` and a k6 (LOADCTL_K6, else .tools/bin/k6). Writes only under bench/out/.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'bench', 'out', 'startup');
const [pairs = 9] = process.argv.slice(2).map(Number);
const k6 = process.env.LOADCTL_K6 ?? join(root, '.tools', 'bin', 'k6');
const cli = join(root, 'bin', 'loadctl.js');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'profiles'), { recursive: true });

let waiting = null; // resolves with the arrival time of the next k6 request
const server = http.createServer((req, res) => {
  if (waiting && /k6/i.test(req.headers['user-agent'] ?? '')) {
    waiting(performance.now());
    waiting = null;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const baseUrl = `http://127.0.0.1:${server.address().port}`;

const profile = join(out, 'profiles', 'bench.yaml');
writeFileSync(profile, [`baseUrl: ${baseUrl}`, 'workload:', '  requests:', '    - { name: root, path: / }', 'sla: { p95: 1000, errorRate: 0.01 }', ''].join('\n'));
// A short closed-model run: the shape ramps the same way on both sides, so the ramp cancels out.
const common = ['sustained', '-t', profile, '--vus', '2', '-d', '2s'];
const env = { ...process.env, NO_COLOR: '1', LOADCTL_K6: k6 };
// loadctl runs in this repository (its scenarios/), as a developer here would; reports go to out/.
const plan = execFileSync(process.execPath, [cli, 'run', ...common, '--dry-run'], { cwd: root, env }).toString();
execFileSync(process.execPath, [cli, 'build', 'sustained', '--out', join(out, 'bundle')], { cwd: root, env });
const bundle = join(out, 'bundle', 'sustained.js');

/** Starts `cmd`, resolves with ms until the first k6 request and ms until exit. */
function timed(cmd, args, extraEnv) {
  return new Promise((resolveRun, reject) => {
    const firstRequest = new Promise((r) => (waiting = r));
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', async (code) => {
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`));
      resolveRun({ untilFirstRequestMs: (await firstRequest) - t0, wallMs: performance.now() - t0 });
    });
  });
}

const runLoadctl = (i) => timed(process.execPath, [cli, 'run', ...common, '--progress', 'none', '--report', 'json', '--out', join(out, `run-${i}`)], {});
const runBare = () => timed(k6, ['run', '--quiet', '--no-usage-report', bundle], { LOADCTL_PLAN: plan, BASE_URL: baseUrl });

const rows = [];
for (let i = 0; i < pairs; i++) {
  const first = i % 2 === 0 ? 'loadctl' : 'bare';
  const a = first === 'loadctl' ? await runLoadctl(i) : await runBare();
  const b = first === 'loadctl' ? await runBare() : await runLoadctl(i);
  const [lc, bare] = first === 'loadctl' ? [a, b] : [b, a];
  rows.push({ pair: i + 1, first, loadctlMs: Math.round(lc.untilFirstRequestMs), k6Ms: Math.round(bare.untilFirstRequestMs), extraMs: Math.round(lc.untilFirstRequestMs - bare.untilFirstRequestMs) });
  console.error(`pair ${i + 1}: first request after ${lc.untilFirstRequestMs.toFixed(0)} ms (loadctl) vs ${bare.untilFirstRequestMs.toFixed(0)} ms (bare k6)`);
}
server.close();

/** Median wall time of a short command, run n times. */
function wall(cmd, args, n = 7) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    execFileSync(cmd, args, { cwd: root, env, stdio: 'ignore' });
    times.push(performance.now() - t0);
  }
  return Math.round(median(times));
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const report = {
  command: `node bench/startup.mjs ${pairs}`,
  what: 'ms from spawning the command until the first request with a k6 User-Agent reaches the target; same bundle, same plan, interleaved',
  medianUntilFirstRequestMs: { loadctl: median(rows.map((r) => r.loadctlMs)), k6: median(rows.map((r) => r.k6Ms)) },
  medianExtraMs: median(rows.map((r) => r.extraMs)),
  medianWallMs: { nodeNoop: wall(process.execPath, ['-e', '0']), version: wall(process.execPath, [cli, '--version']), list: wall(process.execPath, [cli, 'list']) },
  rows,
};
writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
