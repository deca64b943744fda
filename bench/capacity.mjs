#!/usr/bin/env node
// Staircase vs search: the capacity each finds for the demo target at two capacity limits, and the
// wall time each took, both through the real CLI (`loadctl run`, real k6, the demo target started
// by loadctl). The staircase is one `loadctl run scaling` covering 50..730/s in steps of 40/s (so
// both limits lie inside it at the same precision); the search is one `loadctl run sustained --rate R`
// per trial, driven by src/search (grow ×2 from 50/s, then bisect to 10 %). Both judged by
// src/judge (judgeScalingRun, trialOutcome) with the profile's SLA (p95 ≤ 250 ms, errors ≤ 1 %).
// Usage: node bench/capacity.mjs [limits=300,600] [stepSeconds=8] [trialSeconds=5]
// Needs `npm run build` and .tools/bin/k6. Writes only under bench/out/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { judgeScalingRun } = await import(join(root, 'dist/capacity/scaling-run.js'));
const { searchCapacity } = await import(join(root, 'dist/capacity/search-driver.js'));
const { trialOutcome } = await import(join(root, 'dist/capacity/trial-outcome.js'));
const [limitsArg = '300,600', stepSeconds = '8', trialSeconds = '5'] = process.argv.slice(2);
const limits = limitsArg.split(',').map(Number);
const out = join(root, 'bench', 'out', 'capacity');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'profiles'), { recursive: true });
cpSync(join(root, 'scenarios'), join(out, 'scenarios'), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');
const sla = { p95: 250, errorRate: 0.01 };
const stair = { start: 50, step: 40, steps: 18, stepSeconds: Number(stepSeconds) };

function loadctl(args) {
  execFileSync(process.execPath, [join(root, 'bin', 'loadctl.js'), ...args], {
    cwd: out,
    env: { ...process.env, NO_COLOR: '1', LOADCTL_K6: join(root, '.tools', 'bin', 'k6') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
const json = (path) => JSON.parse(readFileSync(path, 'utf8'));
const run = (args, dir) => {
  try {
    loadctl([...args, '--out', dir, '--report', 'json', '-q']);
  } catch (e) {
    if (e.status !== 1) throw e; // 1 = an SLA breach: expected on overloaded steps
  }
  return json(join(dir, 'result.json'));
};

const rows = [];
for (const limit of limits) {
  const profile = `cap${limit}`;
  writeFileSync(
    join(out, 'profiles', `${profile}.yaml`),
    [`demo: { capacity: { rps: ${limit} } }`, 'workload: { requests: [{ name: item, path: /items/1 }] }', `sla: ${JSON.stringify(sla)}`,
      'safety: { maxVUs: 2000, maxRPS: 5000 }', `scenarios: { scaling: ${JSON.stringify(stair)} }`].join('\n'),
  );

  // Staircase: one run; steps from the plan, judged over each step's hold.
  let t0 = performance.now();
  const plan = JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'loadctl.js'), 'run', 'scaling', '-t', profile, '--dry-run'], { cwd: out }).toString());
  const r = run(['run', 'scaling', '-t', profile], join(out, `stair-${limit}`));
  const { scaling } = judgeScalingRun({ stages: plan.shape.stages, series: r.series, bucketMs: r.bucketMs, bucketHistograms: r.histograms.buckets, seriesStartMs: Date.parse(r.startedAt), sla });
  const a = scaling.analysis;
  rows.push({ limit, method: 'staircase', capacity: a.capacity, seconds: (performance.now() - t0) / 1000, runs: 1, knee: a.knee });

  // Search: one short run per trial.
  t0 = performance.now();
  let n = 0;
  const s = await searchCapacity(
    async (rate, ms) => {
      const res = run(['run', 'sustained', '-t', profile, '--rate', String(rate), '-d', `${ms / 1000}s`], join(out, `search-${limit}-${++n}`));
      return trialOutcome(res.metrics, rate, ms, sla);
    },
    { start: 50, ceiling: 2000, precision: 0.1, stepMs: Number(trialSeconds) * 1000, budgetMs: 600_000 },
  );
  rows.push({ limit, method: 'search', capacity: s.capacity, seconds: (performance.now() - t0) / 1000, runs: s.trials.length, trials: s.trials.map((t) => `${t.rate}${t.sustained ? '✓' : '✗'}`).join(' ') });
}

console.log('limit/s  method     capacity/s  error   wall s  runs  notes');
for (const r of rows) {
  const err = r.capacity === null ? '   -  ' : `${(((r.capacity - r.limit) / r.limit) * 100).toFixed(1).padStart(5)}%`;
  console.log(`${String(r.limit).padEnd(8)} ${r.method.padEnd(10)} ${String(r.capacity).padStart(10)}  ${err}  ${r.seconds.toFixed(0).padStart(6)}  ${String(r.runs).padStart(4)}  ${r.trials ?? `knee ${r.knee}`}`);
}
