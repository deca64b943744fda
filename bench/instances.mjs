#!/usr/bin/env node
// Throughput of `loadctl run --instances 2` against `--instances 1` (one k6) on this machine,
// interleaved and alternating which goes first, against nginx on loopback answering a tiny
// static body (so k6 runs out of CPU before the target does). Each run is a plain k6 script with
// closed-model VUs and no think time for a fixed time; the figure is the merged result's
// requests/s. Usage: node bench/instances.mjs [pairs=3] [seconds=10] [vus=20] [nginxWorkers=1]
// Needs `npm run build`, .tools/bin/k6 and nginx (`sh scripts/install-nginx.sh`). Writes only
// under bench/out/instances/.

import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'bench', 'out', 'instances');
const [pairs = 3, seconds = 10, vus = 20, workers = 1] = process.argv.slice(2).map(Number);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'logs'), { recursive: true });

const port = await new Promise((res) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});
writeFileSync(
  join(out, 'nginx.conf'),
  `worker_processes ${workers};
pid ${join(out, 'nginx.pid')};
error_log ${join(out, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "ok\\n"; }
  }
}
`,
);
const nginx = spawn('nginx', ['-p', out, '-c', join(out, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
const stopNginx = () => nginx.kill('SIGQUIT');
process.on('exit', stopNginx);

mkdirSync(join(out, 'profiles'), { recursive: true });
writeFileSync(join(out, 'profiles', 'nginx.yaml'), `baseUrl: http://127.0.0.1:${port}\nworkload:\n  requests:\n    - { name: root, path: / }\nsla: { errorRate: 0.01 }\n`);
writeFileSync(
  join(out, 'hit.js'),
  `import http from 'k6/http';\nexport const options = { vus: ${vus}, duration: '${seconds}s' };\nexport default function () { http.get(__ENV.BASE_URL + '/'); }\n`,
);
// nginx answers once it listens.
for (let i = 0; ; i++) {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
    break;
  } catch (e) {
    if (i > 100) throw e;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function once(instances, label) {
  const dir = join(out, label);
  await run(process.execPath, [join(root, 'bin', 'loadctl.js'), 'run', join(out, 'hit.js'), '-t', join(out, 'profiles', 'nginx.yaml'), '--instances', String(instances), '--out', dir, '--report', 'json', '--progress', 'none'], {
    cwd: out,
    env: { ...process.env, NO_COLOR: '1', LOADCTL_K6: join(root, '.tools', 'bin', 'k6') },
    maxBuffer: 1 << 24,
  }).catch((e) => {
    if (e.code !== 1) throw e; // a failed verdict still measured
  });
  const r = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
  return { requests: r.metrics.http.requests, rps: r.metrics.http.rps, p95: r.metrics.http.latencyMs.p95, instances: r.instances?.map((i) => Math.round(i.rps)) };
}

const rows = [];
try {
  for (let p = 0; p < pairs; p++) {
    const order = p % 2 === 0 ? [1, 2] : [2, 1];
    const got = {};
    for (const n of order) got[n] = await once(n, `pair${p + 1}-x${n}`);
    const ratio = got[2].rps / got[1].rps;
    rows.push({ pair: p + 1, order: order.join('→'), one: got[1], two: got[2], ratio });
    console.log(`pair ${p + 1} (${order.join('→')}): 1 instance ${got[1].rps.toFixed(0)} req/s (p95 ${got[1].p95.toFixed(2)} ms) · 2 instances ${got[2].rps.toFixed(0)} req/s [${got[2].instances.join(' + ')}] (p95 ${got[2].p95.toFixed(2)} ms) · ratio ${ratio.toFixed(3)}`);
  }
} finally {
  stopNginx();
}
const ratios = rows.map((r) => r.ratio).sort((a, b) => a - b);
const median = ratios[Math.floor(ratios.length / 2)];
console.log(`median ratio (2 instances / 1) over ${pairs} interleaved pairs, ${seconds} s each, ${vus} VUs, nginx ${workers} worker(s): ${median.toFixed(3)} [${ratios.map((r) => r.toFixed(3)).join(', ')}]`);
writeFileSync(join(out, 'summary.json'), JSON.stringify({ pairs, seconds, vus, workers, rows, median }, null, 2));
