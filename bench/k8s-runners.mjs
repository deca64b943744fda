#!/usr/bin/env node
// Throughput of `--executor k8s --parallelism 2` against `--parallelism 1` on the test cluster
// (scripts/k8s-test-cluster.sh), interleaved and alternating which goes first: the same plain
// closed-model run against the in-cluster target's /healthz (no CPU work, so the runners, not the
// target, are what is measured). The figure is the merged result's requests/s; each run's wall time
// is printed beside it. Usage (as root, cluster up or not):
//   node bench/k8s-runners.mjs [pairs=2] [seconds=20] [vus=16]
// Needs `npm run build`. Writes only under bench/out/k8s-runners/.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'bench', 'out', 'k8s-runners');
const [pairs = 2, seconds = 20, vus = 16] = process.argv.slice(2).map(Number);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const up = await run('bash', [join(root, 'scripts', 'k8s-test-cluster.sh'), 'up'], { maxBuffer: 1 << 20 });
const env = Object.fromEntries(up.stdout.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
const script = join(out, 'healthz.js');
writeFileSync(script, `import http from 'k6/http';\nexport default function () { http.get(\`\${__ENV.BASE_URL}/healthz\`); }\n`);
writeFileSync(join(out, 'package.json'), '{}\n');

async function once(n, i) {
  const dir = join(out, `p${n}-${i}`);
  const t0 = Date.now();
  await run(process.execPath, [join(root, 'bin', 'loadctl.js'), 'run', script, '-t', env.LOADCTL_K8S_TARGET, '--executor', 'k8s', '--parallelism', String(n), '--vus', String(vus), '-d', `${seconds}s`, '--runner-image', 'loadctl.local/k6:1.1.0', '--out', dir, '--progress', 'none', '--report', 'json'], {
    cwd: out,
    env: { ...process.env, KUBECONFIG: env.KUBECONFIG, PATH: `${join(root, '.tools', 'k8s', 'bin')}:${process.env.PATH}`, LOADCTL_K6: join(root, '.tools', 'bin', 'k6') },
    maxBuffer: 1 << 24,
  }).catch((e) => (console.error(String(e.stderr ?? e).slice(-600)), e));
  const r = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
  return { rps: r.metrics.http.rps, wallS: (Date.now() - t0) / 1000 };
}

const rows = [];
for (let i = 0; i < pairs; i++) {
  const order = i % 2 === 0 ? [1, 2] : [2, 1];
  const got = {};
  for (const n of order) got[n] = await once(n, i);
  rows.push(got);
  console.log(`pair ${i + 1}: 1 runner ${got[1].rps.toFixed(0)} req/s (${got[1].wallS.toFixed(1)} s wall), 2 runners ${got[2].rps.toFixed(0)} req/s (${got[2].wallS.toFixed(1)} s wall), ratio ${(got[2].rps / got[1].rps).toFixed(2)}`);
}
const mean = (k) => rows.reduce((a, r) => a + r[k].rps, 0) / rows.length;
console.log(`mean: 2 runners / 1 runner = ${(mean(2) / mean(1)).toFixed(2)} (${mean(2).toFixed(0)} vs ${mean(1).toFixed(0)} req/s, ${vus} VUs, ${seconds} s, ${pairs} pairs)`);
