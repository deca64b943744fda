// `loadctl gate <scenario> -t <candidate> --against <reference>`: the most noise-robust way to
// compare two builds in one CI job. Reference and candidate runs alternate on the same machine
// (A B A B …), so drift in the machine hits both alike; the reference runs are the pool the
// candidate runs are judged against. Without --against the candidate is judged against its stored
// baseline pool (like `run --repeat`).

import { join } from 'node:path';
import { baselineRunFrom, runValues } from '../../baselines/values.js';
import { createRedactor, secretValuesFor } from '../../config/redact.js';
import { UsageError } from '../../errors.js';
import { judgeRegression, regressionOptions } from '../../judge/regression.js';
import { locateK6 } from '../../k6/locate.js';
import { exitCodeFor } from '../../results/assemble.js';
import { writeReports } from '../../report/write.js';
import { machineLabel } from '../run/baseline.js';
import { runCommand, type RunOptions, type RunOutcome } from '../run/index.js';
import { runOnce, type OnceOutcome } from '../run/once.js';
import { exitCodeOf, reportNames, writeRun } from '../run/output.js';
import { prepareRun } from '../run/prepare.js';
import { abnormal, settle } from '../run/settle.js';

export interface GateOptions extends RunOptions {
  against?: string; // reference profile
  pairs?: string; // reference/candidate pairs, default 5
}

export async function gateCommand(o: GateOptions): Promise<RunOutcome> {
  const pairs = pairCount(o.pairs);
  if (!o.against) return runCommand({ ...o, repeat: String(pairs) });
  if (o.updateBaseline) throw new UsageError('--update-baseline does not go with --against', 'a gate against a reference profile keeps no pool; drop one of them');

  const reports = reportNames(o.report);
  const candidate = await prepareRun(o);
  const reference = await prepareRun({ ...o, target: o.against });
  if (o.dryRun) return { kind: 'dry-run', plan: candidate.plan, exitCode: 0 };
  const secrets = [...secretValuesFor(candidate.profile.envRefs, o.env), ...secretValuesFor(reference.profile.envRefs, o.env)];
  const redact = createRedactor(secrets);
  const k6 = await locateK6({ flag: o.k6, env: o.env, cwd: o.cwd });
  const base = { cwd: o.cwd, env: o.env, k6, redact, progress: o.quiet ? ('none' as const) : (o.progress ?? 'auto'), isTTY: o.isTTY, stderr: o.stderr };
  const dir = (kind: string, i: number) => (o.out ? { outDir: join(o.out, `${kind}-${i + 1}`) } : {});

  const refs: OnceOutcome[] = [];
  const cands: OnceOutcome[] = [];
  for (let i = 0; i < pairs; i++) {
    const ref = await runOnce(reference.plan, { ...base, scenarioFile: reference.scenarioFile, ...dir('reference', i) });
    refs.push(ref);
    if (abnormal(ref.result)) return stopped(ref, cands, refs);
    const cand = await runOnce(candidate.plan, { ...base, scenarioFile: candidate.scenarioFile, ...dir('candidate', i) });
    cands.push(cand);
    if (abnormal(cand.result)) return stopped(cand, cands, refs);
    o.stderr(`pair ${i + 1}/${pairs}: reference p95 ${ref.result.metrics.http.latencyMs.p95.toFixed(1)} ms, candidate p95 ${cand.result.metrics.http.latencyMs.p95.toFixed(1)} ms`);
  }

  const machine = machineLabel(o.env);
  const policy = candidate.profile.profile.baseline ?? {};
  const checks = judgeRegression(refs.map((r) => baselineRunFrom(r.result, machine)), cands.map((c) => runValues(c.result)), regressionOptions(policy));
  const last = cands[cands.length - 1]!;
  if (candidate.profile.profile.baseline) last.result.baselinePolicy = candidate.profile.profile.baseline;
  settle(last.result, checks, cands);
  for (const run of [...refs, ...cands]) writeRun(run, reports, { env: o.env, stderr: o.stderr, redact }, run === last);
  const notes = [`gate: ${pairs} reference runs (${reference.profile.name}) and ${pairs} candidate runs (${candidate.profile.name}), interleaved`];
  const exitCode = exitCodeOf(last.result, policy);
  return { kind: 'result', result: last.result, runDir: last.runDir, runs: [...refs, ...cands], notes, exitCode };

  function stopped(run: OnceOutcome, c: OnceOutcome[], r: OnceOutcome[]): RunOutcome {
    for (const x of [...r, ...c]) writeReports(x.runDir, x.result, ['json'], { redact });
    return { kind: 'result', result: run.result, runDir: run.runDir, runs: [...r, ...c], notes: ['gate stopped early'], exitCode: exitCodeFor(run.result.status) };
  }
}

function pairCount(v: string | undefined): number {
  if (v === undefined) return 5;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 3 || n > 50) throw new UsageError(`--pairs ${v}: expected a whole number from 3 to 50 (fewer cannot show run-to-run noise)`);
  return n;
}
