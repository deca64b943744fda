#!/usr/bin/env node
// Does the drift check catch a slow leak in a compressed soak, and leave a healthy one alone?
//   node bench/soak-drift.mjs [runs=10] [duration=3m] [leakPctPerMin=10]
//   node bench/soak-drift.mjs --judge-only      (re-judge the saved runs, no k6)
//   --tolerance=<pct>: judge with sla.drift.tolerancePct other than the default 20 (a leak of a few
//   percent a minute grows less than 20 % over a 3-minute soak)
//   --from=<i>: start at run i, keeping the saved runs before it (add runs to an earlier set)
// Runs `loadctl run soak -t local -d <duration>` against the built-in demo target, alternating a
// healthy target and one leaking `leakPctPerMin` % a minute (`--set demo.leakPctPerMin=…`), one k6
// at a time, then applies judgeDrift (dist/judge/analyses/drift.js, default settings) to each run's
// result.json and prints the verdicts. Needs `npm run build` and .tools/bin/k6; writes only under
// bench/out/soak-drift/ (runs/<kind>-<i>/result.json, report.json).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const judgeOnly = process.argv.includes('--judge-only');
const tolArg = process.argv.find((a) => a.startsWith('--tolerance='));
const tolerance = tolArg ? Number(tolArg.slice('--tolerance='.length)) : undefined;
const fromArg = process.argv.find((a) => a.startsWith('--from='));
const from = fromArg ? Number(fromArg.slice('--from='.length)) : 1;
const [runsArg = '10', duration = '3m', leakArg = '10'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const runs = Number(runsArg);
const leak = Number(leakArg);
const work = join(root, 'bench', 'out', 'soak-drift');
const runsDir = join(work, 'runs');
mkdirSync(runsDir, { recursive: true });
const { judgeDrift } = await import(join(root, 'dist', 'judge', 'analyses', 'drift.js'));

if (!judgeOnly) {
  for (let i = from; i <= runs; i++) {
    // Alternate, so a slow spell of the machine hits both kinds alike.
    for (const kind of i % 2 ? ['healthy', 'leaking'] : ['leaking', 'healthy']) {
      const out = join(runsDir, `${kind}-${String(i).padStart(2, '0')}`);
      const args = ['bin/loadctl.js', 'run', 'soak', '-t', 'local', '-d', duration, '-o', out, '--report', 'json', '--progress', 'none'];
      args.push('--set', `demo.leakPctPerMin=${kind === 'leaking' ? leak : 0}`);
      const t0 = Date.now();
      const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      process.stderr.write(`${kind} ${i}: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      if (!existsSync(join(out, 'result.json'))) process.stderr.write(r.stderr.slice(-2000));
    }
  }
}

const rows = [];
for (const name of readdirSync(runsDir).sort()) {
  const file = join(runsDir, name, 'result.json');
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, 'utf8'));
  const checks = judgeDrift(result, tolerance === undefined ? {} : { tolerancePct: tolerance });
  const by = Object.fromEntries(checks.map((c) => [c.metric, c]));
  rows.push({
    run: name,
    kind: name.split('-')[0],
    leakPctPerMin: leak,
    verdict: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    failed: checks.filter((c) => c.status === 'fail').map((c) => c.metric),
    p95ChangePct: by.p95?.measured == null ? null : +(by.p95.measured * 100).toFixed(1),
    p95P: by.p95?.drift ? +by.p95.drift.pValue.toPrecision(2) : null,
    p99ChangePct: by.p99?.measured == null ? null : +(by.p99.measured * 100).toFixed(1),
    rpsChangePct: by.rps?.measured == null ? null : +(by.rps.measured * 100).toFixed(1),
    varianceFactor: by.p95?.drift ? +by.p95.drift.varianceFactor.toFixed(2) : null,
    points: by.p95?.drift?.points ?? null,
  });
}

const pad = (s, n) => String(s).padStart(n);
console.log(`run           verdict  failed        p95 Δ%   p95 p      p99 Δ%  rps Δ%  HR n/n*  points`);
for (const r of rows) {
  console.log(`${r.run.padEnd(12)}  ${r.verdict.padEnd(7)}  ${(r.failed.join(',') || '-').padEnd(12)}  ${pad(r.p95ChangePct, 6)}  ${pad(r.p95P, 8)}  ${pad(r.p99ChangePct, 6)}  ${pad(r.rpsChangePct, 6)}  ${pad(r.varianceFactor, 7)}  ${pad(r.points, 6)}`);
}
const count = (kind, verdict) => rows.filter((r) => r.kind === kind && r.verdict === verdict).length;
const total = (kind) => rows.filter((r) => r.kind === kind).length;
const summary = {
  duration,
  leakPctPerMin: leak,
  leakingFailed: `${count('leaking', 'fail')}/${total('leaking')}`,
  healthyPassed: `${count('healthy', 'pass')}/${total('healthy')}`,
};
console.log(summary);
writeFileSync(join(work, 'report.json'), `${JSON.stringify({ summary, rows }, null, 2)}\n`);
