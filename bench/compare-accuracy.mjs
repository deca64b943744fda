#!/usr/bin/env node
// `loadctl compare` of one run against one run, with real k6 against the demo target: how often
// does the same target twice give pass, and the target's latency raised by +50 % give fail?
//   node bench/compare-accuracy.mjs [trials=50] [seconds=20] [delayMs=40] [jitterMs=4]
// Each trial: a reference run, a run of the same target (A/A) and a run with the delay raised so
// the median latency rises 50 %; each of the two compared with the reference. Also prints the
// between/within ratio seen over all reference and A/A runs (judge/within-run.ts). Needs
// `npm run build` and .tools/bin/k6; writes only under bench/out/compare-accuracy/.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchProject, root } from './gate-lib.mjs';

const [trials = 50, seconds = 20, delayMs = 40, jitterMs = 4] = process.argv.slice(2).map(Number);
const { withinRunEvidence } = await import(join(root, 'dist', 'judge', 'baseline', 'within-run.js'));
const b = await benchProject('compare-accuracy', { delayMs, jitterMs });
const tally = { aa: { pass: 0, fail: 0, inconclusive: 0, exit: [] }, up: { pass: 0, fail: 0, inconclusive: 0, exit: [] } };
const notPassing = { aa: {}, up: {} };
const pairs = []; // log p50/p95/p99 of reference and A/A runs, with their within-run se
let l0 = null;
function once(dir) {
  const r = b.loadctl(['run', ...b.sustained(seconds), '--out', dir]);
  if (r.code !== 0) throw new Error(`${dir} exited ${r.code}: ${r.stdout}\n${r.stderr}`);
  return b.readResult(dir);
}
function compare(a, ref, key) {
  const r = b.loadctl(['compare', a, ref, '--json']);
  const c = JSON.parse(r.stdout);
  tally[key][c.status]++;
  tally[key].exit.push(r.code);
  for (const x of c.checks.filter((x) => x.status !== 'pass')) notPassing[key][x.name] = (notPassing[key][x.name] ?? 0) + 1;
  return c;
}
try {
  for (let t = 0; t < trials; t++) {
    await b.setDelay(delayMs);
    const ref = once(`t${t + 1}/ref`);
    l0 ??= ref.metrics.http.latencyMs.p50;
    const same = once(`t${t + 1}/same`);
    await b.setDelay(delayMs + 0.5 * l0);
    once(`t${t + 1}/up50`);
    const aa = compare(`t${t + 1}/same`, `t${t + 1}/ref`, 'aa');
    const up = compare(`t${t + 1}/up50`, `t${t + 1}/ref`, 'up');
    pairs.push([ref, same].map((r) => ({ v: r.metrics.http.latencyMs, w: withinRunEvidence(r.series, r.histograms.buckets) })));
    console.error(`trial ${t + 1}: same target ${aa.status}, +50% ${up.status}`);
    // One line per trial as it finishes, so an interrupted bench keeps what it measured.
    appendFileSync(join(b.work, 'trials.ndjson'), `${JSON.stringify({ trial: t + 1, same: aa.status, up50: up.status, sameNotPassing: aa.checks.filter((x) => x.status !== 'pass').map((x) => x.name) })}\n`);
  }
} finally {
  b.stop();
}
// Between-run sd from the A/A pairs: Var(a − b) = 2σ², so σ = sd of differences / √2.
const ratio = {};
for (const k of ['p50', 'p95', 'p99']) {
  const d = pairs.map(([a, c]) => Math.log(c.v[k]) - Math.log(a.v[k]));
  const between = Math.sqrt(d.reduce((s, x) => s + x * x, 0) / d.length / 2);
  const ses = pairs.flat().map((r) => r.w?.[k]?.se).filter((x) => x !== undefined);
  const within = Math.sqrt(ses.reduce((s, x) => s + x * x, 0) / ses.length);
  ratio[k] = { betweenSd: Number(between.toFixed(4)), withinSe: Number(within.toFixed(4)), ratio: Number((between / within).toFixed(2)) };
}
const report = {
  command: `node bench/compare-accuracy.mjs ${trials} ${seconds} ${delayMs} ${jitterMs}`,
  setup: `demo target ${delayMs} ms + 0-${jitterMs} ms jitter, +50 % = delay raised by ${(0.5 * l0).toFixed(1)} ms; sustained, 10 VUs, ${seconds} s per run`,
  rows: [
    { condition: 'same target twice', trials, ...tally.aa, exit: undefined, exit0: tally.aa.exit.filter((c) => c === 0).length, notPassing: notPassing.aa },
    { condition: 'p50 +50 %', trials, ...tally.up, exit: undefined, exit1: tally.up.exit.filter((c) => c === 1).length, notPassing: notPassing.up },
  ],
  betweenWithinRatio: ratio,
};
console.log(JSON.stringify(report, null, 2));
