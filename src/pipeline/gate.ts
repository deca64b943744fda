// `loadctl gate <scenario> -t <candidate> --against <reference>`: the most noise-robust way to
// compare two builds in one CI job. Reference and candidate runs alternate on the same machine
// (A B A B …), so drift in the machine hits both alike; the reference runs are the pool the
// candidate runs are judged against. Without --against the candidate is judged against its stored
// baseline pool (like `run --repeat`).

import { join } from 'node:path';
import { baselineRunFrom, runValues } from '../judge/baseline/values.js';
import { UsageError } from '../util/errors.js';
import { judgeRegression, regressionOptions } from '../judge/baseline/regression.js';
import { gateSensitivityNotes, sensitivityNotes } from '../judge/baseline/sensitivity-notes.js';
import { sequentialLook } from '../judge/baseline/sequential.js';
import { parseDuration } from '../plan/duration.js';
import { judged } from './baseline.js';
import type { Concluded } from './output.js';
import { prepareRun } from './prepare.js';
import { runPipeline } from './run.js';
import { abnormal, conclude, measure, type Measured } from './run-once.js';
import { finishSession, isSession, openSession, type RunOptions, type RunOutcome } from './session.js';

export interface GateOptions extends RunOptions {
  against?: string; // reference profile
  pairs?: string; // reference/candidate pairs, default 5
  // RunOptions.budget (--budget), with --against: the load time a sequential gate may use (e.g. 2m);
  // it stops after any pair once the answer is clear. Without --against it stays --search's budget.
}

export async function gatePipeline(o: GateOptions): Promise<RunOutcome> {
  const pairsFlag = pairCount(o.pairs);
  if (!o.against) return runPipeline({ ...o, repeat: String(pairsFlag) });
  if (o.updateBaseline) throw new UsageError('--update-baseline does not go with --against', 'a gate against a reference profile keeps no pool; drop one of them');

  const candidate = await prepareRun(o);
  const reference = await prepareRun({ ...o, target: o.against });
  const sequential = o.budget !== undefined;
  const pairs = sequential ? budgetPairs(o.budget!, candidate.plan.durationMs, reference.plan.durationMs) : pairsFlag;
  const session = await openSession(o, [candidate, reference]);
  if (!isSession(session)) return session;
  const base = session.ctx;
  const dir = (kind: string, i: number) => (o.out ? { outDir: join(o.out, `${kind}-${i + 1}`) } : {});

  const policy = candidate.plan.baseline;
  const options = regressionOptions(policy);
  const refs: Concluded[] = [];
  const cands: Concluded[] = [];
  const notes: string[] = [];
  let stopped: Measured | undefined;
  let verdictRun: Concluded | undefined;
  for (let i = 0; i < pairs && !verdictRun; i++) {
    const ref = await measure(reference.plan, { ...base, scenarioFile: reference.scenarioFile, ...dir('reference', i) });
    if (abnormal(ref)) {
      stopped = ref;
      break;
    }
    refs.push({ result: conclude(ref), dir: ref.runDir });
    const cand = await measure(candidate.plan, { ...base, scenarioFile: candidate.scenarioFile, ...dir('candidate', i) });
    if (abnormal(cand)) {
      stopped = cand;
      break;
    }
    o.stderr(`pair ${i + 1}/${pairs}: reference p95 ${ref.aggregate.metrics.http.latencyMs.p95.toFixed(1)} ms, candidate p95 ${cand.aggregate.metrics.http.latencyMs.p95.toFixed(1)} ms`);
    const earlier = cands.map((c) => c.result);
    const pool = refs.map((r) => baselineRunFrom(r.result));
    const values = [...earlier, cand.aggregate].map(runValues);
    if (sequential) {
      // After every pair: stop when the evidence is clear either way, or when the budget is used.
      const look = sequentialLook(pool, values, i + 1, pairs, options);
      o.stderr(`  after ${i + 1} of at most ${pairs} pairs: ${look.reason}`);
      if (look.outcome === 'continue') {
        cands.push({ result: conclude(cand), dir: cand.runDir });
        continue;
      }
      verdictRun = { result: conclude(cand, { baseline: look.checks, earlier }), dir: cand.runDir };
      const loadS = ((i + 1) * ((candidate.plan.durationMs ?? 0) + (reference.plan.durationMs ?? 0))) / 1000;
      notes.push(`gate (sequential, budget ${o.budget}): stopped after ${i + 1} of at most ${pairs} pairs (${loadS.toFixed(0)} s of load): ${look.reason}`);
      notes.push(...gateSensitivityNotes(pool.map((r) => r.values), values, pairs, options));
    } else if (i === pairs - 1) {
      // The last candidate is concluded with the regression checks, once every pair is in.
      const checks = judgeRegression(pool, values, options);
      verdictRun = { result: conclude(cand, { baseline: checks, earlier }), dir: cand.runDir };
      notes.push(`gate: ${pairs} reference runs (${reference.profile.name}) and ${pairs} candidate runs (${candidate.profile.name}), interleaved`);
      notes.push(...sensitivityNotes(pool, pairs, options, judged(checks), 'this gate'));
    } else cands.push({ result: conclude(cand), dir: cand.runDir });
  }
  if (stopped) {
    verdictRun = { result: conclude(stopped), dir: stopped.runDir };
    notes.push('gate stopped early');
  }
  if (!verdictRun) throw new Error('gate: no verdict run');
  return finishSession(session, o, { runs: [...interleave(refs, cands), verdictRun], notes, policy, ...(stopped ? { reports: ['json' as const] } : {}) });
}

function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}

/** How many reference/candidate pairs a load-time budget pays for. */
function budgetPairs(budget: string, candMs: number | null, refMs: number | null): number {
  const ms = parseDuration(budget);
  if (ms === null || ms <= 0) throw new UsageError(`--budget ${budget}: expected a duration like 90s or 2m`);
  if (candMs === null || refMs === null) throw new UsageError('--budget needs scenarios with a planned duration', 'give the run length with --duration (e.g. -d 10s), or use --pairs');
  const n = Math.floor(ms / (candMs + refMs));
  if (n < 1) throw new UsageError(`--budget ${budget} does not cover one pair of runs (${((candMs + refMs) / 1000).toFixed(0)} s of load)`, 'raise --budget or shorten the runs with --duration');
  return Math.min(n, 50);
}

function pairCount(v: string | undefined): number {
  if (v === undefined) return 5;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 3 || n > 50) throw new UsageError(`--pairs ${v}: expected a whole number from 3 to 50 (fewer cannot show run-to-run noise)`);
  return n;
}
