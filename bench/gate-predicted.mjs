#!/usr/bin/env node
// How well does the gate's own model predict what its gates did? For every gate a
// bench/gate-sequential.mjs run kept (its reference and candidate runs' result.json), the gate's
// simulation (src/judge/gate-power.ts) is rebuilt from that gate's own runs, as the gate itself
// does for its stated sensitivity, and asked the gate's chance of failing at the change the bench
// set (the same time added to every request, as a share of the p50). Per row: the gates that
// failed, the mean predicted chance, and what the gates stated. Agreement of the two is what makes
// the stated "detects … with 80 % power" figure trustworthy, at any change, not only at 80 %.
//   node bench/gate-predicted.mjs [dir=bench/out/gate-sequential] [budgetPairs=7] [tolerance=5]
// Needs `npm run build`; reads only.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minMedianMax, root } from './gate-lib.mjs';

const [dir = join(root, 'bench', 'out', 'gate-sequential'), pairsArg = '7', tolArg = '5'] = process.argv.slice(2);
const pairs = Number(pairsArg);
const tolerancePct = Number(tolArg);
const { runValues } = await import(join(root, 'dist', 'judge', 'baseline', 'values.js'));
const { latencyFamily } = await import(join(root, 'dist', 'judge', 'baseline', 'sensitivity-notes.js'));
const { gateModel, gateSensitivity } = await import(join(root, 'dist', 'judge', 'baseline', 'sensitivity.js'));
const { gatePowerAt } = await import(join(root, 'dist', 'judge', 'baseline', 'gate-power.js'));

const trials = join(dir, 'trials');
const rows = new Map();
for (const gate of readdirSync(trials).sort()) {
  const m = /^(.*?)-?([\d.]+)-(\d+)$/.exec(gate); // "<pct>-<t>", "stated-<pct>-<t>", "calibration-<pct>-<t>"
  if (!m) continue;
  const pct = Number(m[2]);
  const load = (kind) => {
    const out = [];
    for (let i = 1; existsSync(join(trials, gate, `${kind}-${i}`, 'result.json')); i++) out.push(JSON.parse(readFileSync(join(trials, gate, `${kind}-${i}`, 'result.json'), 'utf8')));
    return out;
  };
  const refs = load('reference');
  const cands = load('candidate');
  if (cands.length === 0 || refs.length !== cands.length) continue;
  const failed = cands.at(-1).status === 'fail'; // the last candidate run carries the gate's verdict
  const input = { family: latencyFamily(refs.map(runValues), cands.map(runValues)), pairs, tolerancePct, alpha: 0.01, beta: 0.1, minPool: 3 };
  const model = gateModel(input);
  if (!model?.addedTime) continue;
  const key = `${m[1] || 'row'} +${pct}%`;
  const row = rows.get(key) ?? { change: key, pct, gates: 0, failed: 0, predicted: [], stated: [] };
  row.gates++;
  if (failed) row.failed++;
  row.predicted.push(gatePowerAt(pct, model.sim, model.addedTime));
  const s = gateSensitivity(input).find((x) => x.metric === 'latency');
  if (s) row.stated.push(s.detectablePct);
  rows.set(key, row);
}
const report = [...rows.values()].sort((a, b) => a.pct - b.pct).map((r) => ({
  change: r.change,
  gates: r.gates,
  failed: r.failed,
  failRate: Number((r.failed / r.gates).toFixed(3)),
  predictedFailRate: Number((r.predicted.reduce((a, x) => a + x, 0) / r.gates).toFixed(3)),
  statedPct: minMedianMax(r.stated)?.map((x) => Number(x.toFixed(2))) ?? null,
}));
console.log(JSON.stringify({ command: `node bench/gate-predicted.mjs ${dir} ${pairs} ${tolerancePct}`, rows: report }, null, 2));
