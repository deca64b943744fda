#!/usr/bin/env node
// The sequential gate (`loadctl gate --against --budget`) with real k6 against the demo target:
// for each change in the candidate's latency (default 0, +5, +10, +25, +50 %), the detection
// (false-alarm) rate, how often it stopped with "no regression", and the median load time to a
// verdict; plus the p95 sensitivity each gate stated, to set beside the measured detection rates.
//   node bench/gate-sequential.mjs [trials=20] [seconds=5] [budget=90] [tolerance=5] [changes=0,5,10,25,50] [jitterMs=4]
// Reference and candidate each get their own demo target (same settings; the candidate's delay is
// raised by the change), so the runs can interleave A B A B. Needs `npm run build` and
// .tools/bin/k6; writes only under bench/out/gate-sequential/.
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchProject, root } from './gate-lib.mjs';

const args = process.argv.slice(2);
const [trials = 20, seconds = 5, budget = 90, tolerance = 5] = args.slice(0, 4).map(Number);
const changes = (args[4] ?? '0,5,10,25,50').split(',').map(Number);
const jitterMs = Number(args[5] ?? 4);
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

const rows = changes.map((pct) => ({ pct, fail: 0, noRegression: 0, budgetUsed: 0, pass: 0, inconclusive: 0, loadS: [], stated: [] }));
try {
  for (let t = 0; t < trials; t++) {
    const order = changes.map((_, i) => i).sort(() => Math.random() - 0.5);
    for (const i of order) {
      const row = rows[i];
      await setCandDelay(BASE + (row.pct / 100) * l0);
      const out = `trials/${row.pct}-${t + 1}`;
      const r = b.loadctl(['gate', 'sustained', '-t', 'cand', '--against', 'ref', '--budget', `${budget}s`, '-d', `${seconds}s`, '--vus', '10', '--quiet', '--report', 'json', '--out', out]);
      const text = `${r.stdout}\n${r.stderr}`;
      const m = /stopped after (\d+) of at most (\d+) pairs \((\d+) s of load\): (.*)/.exec(text);
      if (!m) throw new Error(`gate ${out}: no stop line (exit ${r.code})\n${text}`);
      const s = /detects p95 changes >= ([\d.]+)%/.exec(text);
      if (s) row.stated.push(Number(s[1]));
      row.loadS.push(Number(m[3]));
      if (r.code === 1) row.fail++;
      if (/bounded below its tolerance/.test(m[4])) row.noRegression++;
      if (/budget used/.test(m[4])) row.budgetUsed++;
      if (/^(PASS|pass)/m.test(r.stdout) || (r.code === 0 && !/inconclusive/i.test(r.stdout))) row.pass++;
      appendFileSync(join(b.work, 'trials.ndjson'), `${JSON.stringify({ trial: t + 1, pct: row.pct, exit: r.code, pairs: Number(m[1]), loadS: Number(m[3]), why: m[4], stated: s ? Number(s[1]) : null })}\n`);
      console.error(`trial ${t + 1} +${row.pct}%: exit ${r.code}, ${m[1]}/${m[2]} pairs, ${m[3]} s: ${m[4].slice(0, 90)}`);
    }
  }
} finally {
  demo.kill('SIGTERM');
  b.stop();
}
const median = (xs) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)];
const report = {
  command: `node bench/gate-sequential.mjs ${trials} ${seconds} ${budget} ${tolerance} ${changes.join(',')} ${jitterMs}`,
  setup: `two demo targets ${BASE} ms + 0-${jitterMs} ms jitter (median latency ${l0.toFixed(2)} ms); sustained, 10 VUs, ${seconds} s runs; gate --budget ${budget}s (load time), latency tolerance ${tolerance} %, α 0.01`,
  rows: rows.map((r) => ({
    change: `+${r.pct}%`,
    trials,
    failRate: r.fail / trials,
    stoppedNoRegression: r.noRegression,
    budgetUsed: r.budgetUsed,
    medianLoadSecondsToVerdict: median(r.loadS),
    statedP95SensitivityMedianPct: r.stated.length ? median(r.stated) : null,
  })),
};
writeFileSync(join(b.work, 'report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
