// A stand-in for a loadctl run that gets SIGKILLed mid-fault (test/chaos-recovery.test.ts): runs
// the built fault timeline (dist/) against a Toxiproxy it did not start, prints "injected" once
// every fault is in, then waits to be killed.
//   node chaos-child.mjs <toxiproxy-url> <proxy> <journal-file> <profile>
import { faultTimeline } from '../../dist/chaos/fault-task.js';
import { providerFromRef } from '../../dist/chaos/providers.js';

const [url, proxy, journalFile, profile] = process.argv.slice(2);
const faults = [
  { id: 'f1-latency', kind: 'latency', params: { latencyMs: 500 }, at: '0s', startMs: 0, endMs: 120_000, source: 'test' },
  { id: 'f2-down', kind: 'down', params: {}, at: '0s', startMs: 0, endMs: 120_000, source: 'test' },
];
const provider = providerFromRef({ name: 'toxiproxy', url, proxy });
const task = faultTimeline({ chaos: { provider: 'toxiproxy', faults }, provider, journal: { file: journalFile, profile, runId: 'killed-run' } });
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
