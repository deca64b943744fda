// `loadctl gate <scenario> -t <candidate> --against <reference>`: the most noise-robust way to
// compare two builds in one CI job. Reference and candidate runs alternate on the same machine
// (A B A B …), so drift in the machine hits both alike; the reference runs are the pool the
// candidate runs are judged against. Without --against the candidate is judged against its stored
// baseline pool (like `run --repeat`).

import { join } from 'node:path';
import { baselineRunFrom, runValues } from '../baselines/values.js';
import { createRedactor, secretValuesFor } from '../config/redact.js';
import { exitCodeFor, UsageError } from '../errors.js';
import { judgeRegression, regressionOptions, sensitivityNotes } from '../judge/regression.js';
import { judged } from './baseline.js';
import { locateK6 } from '../k6/locate.js';
import type { RunResult } from '../results/types.js';
import { revertLeftovers } from './chaos.js';
import { publish, reportNames, type Concluded } from './output.js';
import { prepareRun } from './prepare.js';
import { runPipeline, type RunOptions, type RunOutcome } from './run.js';
import { abnormal, conclude, measure, type Measured, type RunContext } from './run-once.js';

export interface GateOptions extends RunOptions {
  against?: string; // reference profile
  pairs?: string; // reference/candidate pairs, default 5
}

export async function gatePipeline(o: GateOptions): Promise<RunOutcome> {
  const pairs = pairCount(o.pairs);
  if (!o.against) return runPipeline({ ...o, repeat: String(pairs) });
  if (o.updateBaseline) throw new UsageError('--update-baseline does not go with --against', 'a gate against a reference profile keeps no pool; drop one of them');

  const reports = reportNames(o.report);
  const candidate = await prepareRun(o);
  const reference = await prepareRun({ ...o, target: o.against });
  if (o.dryRun) return { kind: 'dry-run', plan: candidate.plan, exitCode: 0 };
  const redact = createRedactor([...secretValuesFor(candidate.profile.envRefs, o.env), ...secretValuesFor(reference.profile.envRefs, o.env)]);
  const k6 = await locateK6({ flag: o.k6, env: o.env, cwd: o.cwd });
  for (const p of new Set([candidate.profile.name, reference.profile.name])) await revertLeftovers(o.cwd, p, o.env, o.stderr);
  const base: Omit<RunContext, 'scenarioFile'> = { cwd: o.cwd, env: o.env, k6, redact, progress: o.quiet ? 'none' : (o.progress ?? 'auto'), isTTY: o.isTTY, stderr: o.stderr };
  const dir = (kind: string, i: number) => (o.out ? { outDir: join(o.out, `${kind}-${i + 1}`) } : {});

  const refs: Concluded[] = [];
  const cands: Concluded[] = [];
  let stopped: Measured | undefined;
  let last: Measured | undefined;
  for (let i = 0; i < pairs; i++) {
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
    // The last candidate is concluded with the regression checks, once every pair is in.
    if (i === pairs - 1) last = cand;
    else cands.push({ result: conclude(cand), dir: cand.runDir });
  }

  const policy = candidate.plan.baseline;
  let verdictRun: Concluded;
  const notes: string[] = [];
  if (stopped) {
    verdictRun = { result: conclude(stopped), dir: stopped.runDir };
    notes.push('gate stopped early');
  } else {
    const l = last!;
    const earlier = cands.map((c) => c.result);
    const pool = refs.map((r) => baselineRunFrom(r.result));
    const options = regressionOptions(policy);
    const checks = judgeRegression(pool, [...earlier, l.aggregate].map(runValues), options);
    notes.push(...sensitivityNotes(pool, pairs, options, judged(checks), 'this gate'));
    verdictRun = { result: conclude(l, { baseline: checks, earlier }), dir: l.runDir };
    notes.push(`gate: ${pairs} reference runs (${reference.profile.name}) and ${pairs} candidate runs (${candidate.profile.name}), interleaved`);
  }
  const all = [...interleave(refs, cands), verdictRun];
  const writeError = await publish(all, stopped ? ['json'] : reports, { env: o.env, stderr: o.stderr, redact });
  const result: RunResult = verdictRun.result;
  return { kind: 'result', result, runDir: verdictRun.dir, runs: all.map((r) => r.result), notes, exitCode: exitCodeFor(result.status, policy.inconclusive), ...(writeError ? { writeError } : {}) };
}

function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}

function pairCount(v: string | undefined): number {
  if (v === undefined) return 5;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 3 || n > 50) throw new UsageError(`--pairs ${v}: expected a whole number from 3 to 50 (fewer cannot show run-to-run noise)`);
  return n;
}
