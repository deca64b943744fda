#!/usr/bin/env node
// The fault timeline's timing: how far the measured inject and revert times (the moment Toxiproxy
// confirmed them) are from the planned ones, over N faults on the run's clock. Real Toxiproxy
// (loadctl's own, on loopback) in front of a local HTTP server, which gets a request every 20 ms so
// the proxy carries traffic while toxics come and go. Alternates latency toxics and `down`.
// Usage: node bench/chaos-timing.mjs [faults=20] [faultMs=400] [gapMs=300]
// Needs `npm run build` and .tools/bin/toxiproxy-server (scripts/install-toxiproxy.sh).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultTimeline } from '../dist/chaos/fault-task.js';
import { ownToxiproxy } from '../dist/chaos/prepare.js';
import { ToxiproxyProvider } from '../dist/chaos/toxiproxy.js';

const [n = 20, faultMs = 400, gapMs = 300] = process.argv.slice(2).map(Number);
const server = http.createServer((_q, r) => r.end('ok'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const own = await ownToxiproxy(`http://127.0.0.1:${server.address().port}`, 'bench', { cwd: process.cwd(), env: process.env });
const provider = new ToxiproxyProvider({ name: 'toxiproxy', url: own.server.url, proxy: own.proxy });
const dir = mkdtempSync(join(tmpdir(), 'loadctl-chaos-bench-'));

const faults = Array.from({ length: n }, (_, i) => {
  const startMs = 500 + i * (faultMs + gapMs);
  const kind = i % 2 ? 'down' : 'latency';
  return { id: `f${i + 1}-${kind}`, kind, params: kind === 'latency' ? { latencyMs: 100 } : {}, at: `${startMs}ms`, startMs, endMs: startMs + faultMs, source: 'bench' };
});
const task = faultTimeline({ chaos: { provider: 'toxiproxy', faults }, provider, journal: { file: join(dir, 'chaos-journal.json'), profile: 'bench', runId: 'bench' } });
const traffic = setInterval(() => fetch(own.baseUrl).then((r) => r.text()).catch(() => {}), 20);
const ac = new AbortController();
const clock = { startedAtMs: Date.now(), now: () => Date.now() };
await task.start({ plan: {}, clock, log: () => {}, stopRun: (r) => console.error(r), signal: ac.signal });
const lastEnd = faults[faults.length - 1].endMs;
await new Promise((r) => setTimeout(r, lastEnd + 1500));
ac.abort();
await task.stop();
clearInterval(traffic);

const recs = task.result();
const inject = recs.map((r) => r.injectedAt - (clock.startedAtMs + r.plannedStartMs));
const revert = recs.map((r) => r.revertedAt - (clock.startedAtMs + r.plannedEndMs));
const sorted = (a) => [...a].sort((x, y) => x - y);
const median = (a) => sorted(a)[Math.floor((a.length - 1) / 2)];
const byKind = (k, a) => a.filter((_, i) => recs[i].kind === k);
const line = (name, a) => `${name.padEnd(16)} median ${median(a)} ms · worst ${Math.max(...a)} ms · best ${Math.min(...a)} ms (n=${a.length})`;
console.log(`faults: ${recs.length} (${recs.filter((r) => r.status === 'reverted').length} reverted), ${faultMs} ms each, ${gapMs} ms apart`);
console.log(line('inject error', inject));
console.log(line('revert error', revert));
for (const k of ['latency', 'down']) {
  console.log(line(`  ${k} inject`, byKind(k, inject)));
  console.log(line(`  ${k} revert`, byKind(k, revert)));
}
await own.server.api.deleteProxy(own.proxy);
await own.server.stop();
server.close();
rmSync(dir, { recursive: true, force: true });
