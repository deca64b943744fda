// A stand-in for a loadctl run that gets SIGKILLed mid-fault (test/chaos-recovery.test.ts): runs
// the built fault timeline (dist/) and prints "injected" once every fault is in, then waits to be
// killed. Either against a Toxiproxy it did not start, or (url "own") with loadctl's own Toxiproxy
// in front of 127.0.0.1:<port>, as prepareChaos sets it up; then it first prints "own <pid>".
//   node chaos-child.mjs <toxiproxy-url> <proxy> <journal-file> <profile>
//   node chaos-child.mjs own <upstream-port> <journal-file> <profile>
import { faultTimeline } from '../../dist/chaos/fault-task.js';
import { ownToxiproxy } from '../../dist/chaos/prepare.js';
import { providerFromRef } from '../../dist/chaos/providers.js';

const [url, proxyOrPort, journalFile, profile] = process.argv.slice(2);
let ref = { name: 'toxiproxy', url, proxy: proxyOrPort };
if (url === 'own') {
  const own = await ownToxiproxy(`http://127.0.0.1:${proxyOrPort}`, 'loadctl-own', { cwd: process.cwd(), env: process.env });
  ref = { name: 'toxiproxy', url: own.server.url, proxy: own.proxy, ownedServerPid: own.server.pid };
  process.stdout.write(`own ${own.server.pid} ${own.server.url}\n`);
}
const faults = [
  { id: 'f1-latency', kind: 'latency', params: { latencyMs: 500 }, at: '0s', startMs: 0, endMs: 120_000, source: 'test' },
  { id: 'f2-down', kind: 'down', params: {}, at: '0s', startMs: 0, endMs: 120_000, source: 'test' },
];
const task = faultTimeline({ chaos: { provider: 'toxiproxy', faults }, provider: providerFromRef(ref), journal: { file: journalFile, profile, runId: 'killed-run' } });
let injected = 0;
await task.start({
  plan: {},
  clock: { startedAtMs: Date.now(), now: () => Date.now() },
  log: (line) => {
    if (/injected at/.test(line) && ++injected === faults.length) process.stdout.write('injected\n');
  },
  stopRun: () => {},
  signal: new AbortController().signal,
});
setTimeout(() => {}, 300_000); // bounded: exits by itself after 5 minutes if nobody kills it
