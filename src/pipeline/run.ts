// `loadctl run` end to end: plan → (bundle → execute → aggregate) × --repeat → judge against the SLA
// and the baseline pool → assemble → write reports → update the pool when asked. The set-up and the
// finish are the session's (session.ts), shared with search and gate. Returns data; the command
// prints it.

import { join } from 'node:path';
import { UsageError } from '../util/errors.js';
import { baselineFileFor, judgeAgainstBaseline } from './baseline.js';
import type { Concluded } from './output.js';
import { prepareRun } from './prepare.js';
import { abnormal, conclude, measure, type Measured } from './run-once.js';
import { finishSession, isSession, openSession, type RunOptions, type RunOutcome } from './session.js';

export type { RunOptions, RunOutcome } from './session.js';

export async function runPipeline(o: RunOptions): Promise<RunOutcome> {
  if (o.search) {
    const { searchPipeline } = await import('./search.js');
    return searchPipeline(o);
  }
  const repeat = repeatCount(o.repeat);
  const prepared = await prepareRun(o);
  const { plan, profile, scenarioFile } = prepared;
  const baselineFile = baselineFileFor(o.cwd, o.baseline, profile.name, plan.scenario.name);
  const session = await openSession(o, [prepared], { baselineFile });
  if (!isSession(session)) return session;
  const ctx = { ...session.ctx, scenarioFile };

  // Earlier runs of a set are concluded as they finish (SLA only); the last one waits for the
  // baseline judge, which sees every run of the set.
  const earlier: Concluded[] = [];
  let m: Measured | undefined;
  for (let i = 0; i < repeat; i++) {
    const outDir = o.out && repeat > 1 ? join(o.out, `run-${i + 1}`) : o.out;
    m = await measure(plan, { ...ctx, ...(outDir ? { outDir } : {}) });
    if (i === repeat - 1 || abnormal(m)) break;
    const r = conclude(m);
    earlier.push({ result: r, dir: m.runDir });
    o.stderr(`run ${i + 1}/${repeat}: ${r.status.toUpperCase()} (${r.metrics.http.requests} requests, p95 ${r.metrics.http.latencyMs.p95.toFixed(1)} ms) → ${m.runDir}`);
  }
  const lastRun = m!;
  const policy = plan.baseline;
  const judged = abnormal(lastRun)
    ? { checks: [], notes: [] }
    : await judgeAgainstBaseline(baselineFile, [...earlier.map((e) => e.result), { metrics: lastRun.aggregate.metrics, meta: lastRun.meta, capacity: lastRun.analysis.extras.capacity }], policy, {
        cwd: o.cwd,
        strict: o.strict,
        explicit: o.baseline !== undefined,
      });
  const result = conclude(lastRun, { baseline: judged.checks, earlier: earlier.map((e) => e.result) });
  const runs: Concluded[] = [...earlier, { result, dir: lastRun.runDir }];
  return finishSession(session, o, { runs, notes: judged.notes, policy, pool: { file: baselineFile, runs: runs.map((r) => r.result) } });
}

function repeatCount(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--repeat ${v}: expected a whole number from 1 to 100`);
  return n;
}
