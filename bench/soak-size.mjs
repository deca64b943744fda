#!/usr/bin/env node
// How big do the records of a 24-hour soak get? Feeds a simulated 24 h run (steady load with a
// slow leak: latency +30 % over the day) through the real Aggregator from dist/ with the bucket
// size `loadctl run` picks for 24 h (autoBucketMs: 24 s), builds the RunResult the way
// assembleResult does, judges drift on it (timed: it runs once at the end of every run) and writes
// the history record. Prints the sizes of result.json, of the history record and of a history file
// at its bound (400 records), and the drift verdict.
//   node bench/soak-size.mjs [--hours 24] [--rps 40] [--seed 1]
// Needs `npx tsc -p tsconfig.json`; writes only bench/out/soak-size/.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : dflt);
};
const HOURS = arg('hours', 24);
const RPS = arg('rps', 40);
const dist = (p) => import(join(root, 'dist', p));
const { Aggregator } = await dist('results/aggregator.js');
const { autoBucketMs } = await dist('plan/plan.js');
const { assembleResult } = await dist('results/assemble.js');
const { judgeDrift } = await dist('judge/analyses/drift.js');
const { historyRecord, formatHistory, DEFAULT_HISTORY_SIZE } = await dist('trend/record.js');
const { seededRandom, gaussian } = await dist('util/random.js');

const rand = seededRandom(arg('seed', 1));
const durationMs = HOURS * 3_600_000;
const bucketMs = autoBucketMs(durationMs);
const agg = new Aggregator({ bucketMs });
const NAMES = [['read-item', 10, 12], ['create-item', 3, 20], ['health', 2, 2], ['slow', 1, 255]];
const weights = NAMES.reduce((a, n) => a + n[1], 0);
const start = Date.UTC(2026, 10, 1);
const t0 = Date.now();
let requests = 0;
for (let ms = 0; ms < durationMs; ms += 1000 / RPS) {
  const t = start + ms;
  let pick = rand() * weights;
  const [name, , median] = NAMES.find((n) => (pick -= n[1]) < 0) ?? NAMES[0];
  const leak = 1 + 0.3 * (ms / durationMs);
  const value = median * leak * Math.exp(0.35 * gaussian(rand));
  const failed = rand() < 0.001 ? 1 : 0;
  agg.add({ metric: 'http_reqs', timeMs: t, value: 1, name });
  agg.add({ metric: 'http_req_duration', timeMs: t, value, name });
  agg.add({ metric: 'http_req_failed', timeMs: t, value: failed, name });
  if (ms % 1000 < 1000 / RPS) agg.add({ metric: 'vus', timeMs: t, value: 20 });
  requests++;
}
const a = agg.finish();
const aggregateSeconds = (Date.now() - t0) / 1000;
const plan = { scenario: { name: 'soak' }, target: { name: 'local', baseUrl: 'http://127.0.0.1:8080' }, phases: [{ name: 'warm-up', startMs: 0, endMs: durationMs / 31 }, { name: 'steady', startMs: durationMs / 31, endMs: durationMs }] };
const base = { plan, runId: 'bench-24h', startedAt: new Date(start), durationMs: a.durationMs, meta: { loadctlVersion: '0.1.0', k6Version: 'v2.2.0', node: process.version, planHash: 'bench' }, metrics: a.metrics, samples: { parsed: requests * 3, malformed: 0 }, k6: { exitCode: 0 }, bucketMs, series: a.series, histograms: a.histograms };
const j0 = performance.now();
const drift = judgeDrift({ series: a.series, phases: plan.phases, bucketMs });
const judgeMs = performance.now() - j0;
const result = assembleResult({ ...base, checks: drift });
const resultJson = `${JSON.stringify(result, null, 2)}\n`;
const record = historyRecord(result, drift);
const line = formatHistory([record]);
const fullHistory = formatHistory(Array.from({ length: DEFAULT_HISTORY_SIZE }, (_, i) => ({ ...record, runId: `${record.runId}-${i}` })));

const report = {
  hours: HOURS,
  rps: RPS,
  requests,
  bucketMs,
  seriesPoints: a.series.length,
  resultJsonBytes: Buffer.byteLength(resultJson),
  bucketHistogramBytes: (a.histograms.buckets ?? []).reduce((s, h) => s + (h?.length ?? 0), 0),
  historyRecordBytes: Buffer.byteLength(line),
  historyFileBytesAtBound: Buffer.byteLength(fullHistory),
  historyBound: DEFAULT_HISTORY_SIZE,
  judgeDriftMs: Number(judgeMs.toFixed(1)),
  aggregateSeconds,
  drift: drift.map((c) => ({ metric: c.metric, status: c.status, measured: c.measured, points: c.drift?.points, varianceFactor: c.drift?.varianceFactor })),
};
console.log(report);
const out = join(root, 'bench', 'out', 'soak-size');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(out, 'history-record.json'), line);
