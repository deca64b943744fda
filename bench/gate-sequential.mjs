#!/usr/bin/env node
// The sequential gate (`loadctl gate --against --budget`) with real k6 against the demo target:
// for each change in the candidate's latency (default 0, +5, +10, +25, +50 %), the detection
// (false-alarm) rate, how often it stopped with "no regression", and the median load time to a
// verdict. Then the stated sensitivity is put to the test: the first `calibration` gates at
// `calibrateAt` % (default: 5 gates at the tolerance, counted in that row when it is asked for;
// such close calls use their whole budget, so they state from the most runs) give the median
// latency change the gates state they detect with 80 % power over their budget, and one more row
// runs at exactly that change: the gate should fail 70–90 % of the time. Each row also gives the
// change its gates really saw: the mean over its gates of the log ratio of the candidate runs' and
// the reference runs' p50 (the demo's delay is a setTimeout), and the statements its gates made.
// Runs of 6 s keep 4 whole seconds, enough for within-run evidence from the first pair on.
//   node bench/gate-sequential.mjs [trials=20] [seconds=6] [budget=90] [tolerance=5] [changes=0,5,10,25,50] [jitterMs=4] [calibrateAt=tolerance] [calibration=5]
// Reference and candidate each get their own demo target (same settings; the candidate's delay is
// raised by the change), so the runs can interleave A B A B. Needs `npm run build` and
// .tools/bin/k6; writes only under bench/out/gate-sequential/.
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchProject, median, minMedianMax, root } from './gate-lib.mjs';

const args = process.argv.slice(2);
const [trials = 20, seconds = 6, budget = 90, tolerance = 5] = args.slice(0, 4).map(Number);
// 'none': only the calibration gates and the stated row.
const changes = args[4] === 'none' ? [] : (args[4] ?? '0,5,10,25,50').split(',').map(Number);
const jitterMs = Number(args[5] ?? 4);
const calibrateAt = Number(args[6] ?? tolerance);
const calibration = Number(args[7] ?? 5);
const BASE = 40;
const b = await benchProject('gate-sequential', { delayMs: BASE, jitterMs });
// A second demo target for the candidate.
const demo = spawn(process.execPath, [join(root, 'dist', 'demo', 'main.js'), '--port', '0', '--delay-ms', String(BASE), '--jitter-ms', String(jitterMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
const candUrl = await new Promise((res) => demo.stdout.once('data', (d) => res(JSON.parse(String(d)).url)));
// A kept-alive connection the target closed in between fails the first try: try again once.
const putDelay = (ms) => fetch(`${candUrl}/admin/settings`, { method: 'PUT', body: JSON.stringify({ delayMs: ms }) }).then((r) => r.json());
const setCandDelay = (ms) => putDelay(ms).catch(() => putDelay(ms));
const profile = (url) => [`baseUrl: ${url}`, 'workload:', '  thinkTimeMs: 20', '  requests:', '    - { name: read-item, path: /items/42, weight: 6 }', '    - { name: create-item, method: POST, path: /items, body: { name: x }, expect: 201, weight: 2 }', 'sla: { errorRate: 0.05 }', `baseline: { tolerances: { latencyPct: ${tolerance} } }`, ''].join('\n');
writeFileSync(join(b.work, 'profiles', 'ref.yaml'), profile(b.baseUrl));
writeFileSync(join(b.work, 'profiles', 'cand.yaml'), profile(candUrl));

// The median latency the change is a percentage of.
const probe = b.loadctl(['run', 'sustained', '-t', 'ref', '-d', `${seconds}s`, '--vus', '10', '--quiet', '--report', 'json', '--out', 'probe']);
if (probe.code !== 0) throw new Error(`probe run exited ${probe.code}: ${probe.stderr}`);
const l0 = b.readResult('probe').metrics.http.latencyMs.p50;
console.error(`median latency ${l0.toFixed(2)} ms; budget ${budget} s of load, ${seconds} s runs`);

const newRow = (pct, label, dir = String(pct)) => ({ pct, label, dir, trials: 0, fail: 0, p50Fail: 0, noRegression: 0, budgetUsed: 0, loadS: [], stated: [], statedP50: [], realized: [] });
const rows = changes.map((pct) => newRow(pct, `+${pct}%`));

/** One gate with the candidate's median latency raised by `row.pct` %; tallied in `row`. */
async function gate(row, t) {
  await setCandDelay(BASE + (row.pct / 100) * l0);
  const out = `trials/${row.dir}-${t + 1}`;
  const r = b.loadctl(['gate', 'sustained', '-t', 'cand', '--against', 'ref', '--budget', `${budget}s`, '-d', `${seconds}s`, '--vus', '10', '--quiet', '--report', 'json', '--out', out]);
  const text = `${r.stdout}\n${r.stderr}`;
  const m = /stopped after (\d+) of at most (\d+) pairs \((\d+) s of load\): (.*)/.exec(text);
  if (!m) throw new Error(`gate ${out}: no stop line (exit ${r.code})\n${text}`);
  const s = /detects latency changes >= ([\d.]+)%/.exec(text);
  const s50 = /detects p50 changes >= ([\d.]+)%/.exec(text);
  // The verdict run is the last candidate run; its checks say which metric failed.
  const verdict = b.readResult(join(out, `candidate-${m[1]}`));
  const p50 = verdict.checks.find((c) => c.kind === 'baseline' && c.metric === 'p50' && c.scope === 'overall');
  const p50s = (kind) => Array.from({ length: Number(m[1]) }, (_, i) => Math.log(b.readResult(join(out, `${kind}-${i + 1}`)).metrics.http.latencyMs.p50));
  const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
  row.realized.push(mean(p50s('candidate')) - mean(p50s('reference')));
  row.trials++;
  if (s) row.stated.push(Number(s[1]));
  if (s50) row.statedP50.push(Number(s50[1]));
  row.loadS.push(Number(m[3]));
  if (r.code === 1) row.fail++;
  if (p50?.status === 'fail') row.p50Fail++;
  if (/bounded below its tolerance/.test(m[4])) row.noRegression++;
  if (/budget used/.test(m[4])) row.budgetUsed++;
  appendFileSync(join(b.work, 'trials.ndjson'), `${JSON.stringify({ trial: t + 1, change: row.label, pct: row.pct, exit: r.code, p50: p50?.status ?? null, pairs: Number(m[1]), loadS: Number(m[3]), why: m[4], stated: s ? Number(s[1]) : null, statedP50: s50 ? Number(s50[1]) : null })}\n`);
  console.error(`trial ${t + 1} ${row.label}: exit ${r.code}, p50 ${p50?.status}, ${m[1]}/${m[2]} pairs, ${m[3]} s: ${m[4].slice(0, 90)}`);
}

let statedRow = null;
try {
  // The calibration gates first (part of their row when it is asked for): what the gates state.
  const cal = rows.find((r) => r.pct === calibrateAt) ?? newRow(calibrateAt, `calibration (+${calibrateAt}%)`, `calibration-${calibrateAt}`);
  for (let t = 0; t < calibration; t++) await gate(cal, t);
  if (!cal.stated.length) throw new Error(`the gates at +${calibrateAt}% stated no latency sensitivity`);
  const at = Number(median(cal.stated).toFixed(2));
  statedRow = newRow(at, `stated (+${at}%)`, `stated-${at}`);
  console.error(`the gates at +${calibrateAt}% state latency changes >= ${statedRow.pct}% are detected with 80% power (${cal.stated.join(', ')}): one more row at that change`);
  const all = [...rows, statedRow];
  for (let t = 0; t < trials; t++) {
    const order = all.filter((row) => row.trials < trials).sort(() => Math.random() - 0.5);
    for (const row of order) await gate(row, row.trials);
  }
} finally {
  demo.kill('SIGTERM');
  b.stop();
}
const report = {
  command: `node bench/gate-sequential.mjs ${trials} ${seconds} ${budget} ${tolerance} ${changes.join(',') || 'none'} ${jitterMs} ${calibrateAt} ${calibration}`,
  setup: `two demo targets ${BASE} ms + 0-${jitterMs} ms jitter (median latency ${l0.toFixed(2)} ms); sustained, 10 VUs, ${seconds} s runs; gate --budget ${budget}s (load time), latency tolerance ${tolerance} %, α 0.01`,
  rows: [...rows, ...(statedRow ? [statedRow] : [])].map((r) => ({
    change: r.label,
    trials: r.trials,
    failRate: r.fail / r.trials,
    p50FailRate: r.p50Fail / r.trials,
    stoppedNoRegression: r.noRegression,
    budgetUsed: r.budgetUsed,
    medianLoadSecondsToVerdict: median(r.loadS),
    realizedP50ChangePct: Number(((Math.exp(r.realized.reduce((a, x) => a + x, 0) / r.realized.length) - 1) * 100).toFixed(2)),
    statedLatencySensitivityPct: minMedianMax(r.stated),
    statedP50SensitivityPct: minMedianMax(r.statedP50),
  })),
};
writeFileSync(join(b.work, 'report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
