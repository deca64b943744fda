// `loadctl run <scenario|file> --target <profile>`: plan → bundle → k6 → aggregate → judge (SLA,
// then the baseline pool) → reports. With --repeat N the scenario runs N times and the baseline
// judge sees every run.

import { join } from 'node:path';
import { joinable, readBaseline } from '../../baselines/store.js';
import { createRedactor, secretValuesFor } from '../../config/redact.js';
import { UsageError } from '../../errors.js';
import { locateK6 } from '../../k6/locate.js';
import type { Plan } from '../../plan/types.js';
import type { RunResult } from '../../results/types.js';
import { baselineFileFor, judgeAgainstBaseline, updateBaseline } from './baseline.js';
import { runOnce, type OnceOutcome } from './once.js';
import { exitCodeOf, reportNames, writeRun } from './output.js';
import { abnormal, settle } from './settle.js';
import { prepareRun, type PlanOptions } from './prepare.js';

export interface RunOptions extends PlanOptions {
  dryRun?: boolean;
  out?: string;
  k6?: string;
  report?: string; // e.g. "html,md,junit,json" (json is always written)
  quiet?: boolean;
  progress?: 'auto' | 'tty' | 'plain' | 'json' | 'none';
  repeat?: string;
  baseline?: string; // a baseline file, or "none"
  updateBaseline?: boolean;
  force?: boolean;
  strict?: boolean;
  isTTY: boolean;
  stderr: (line: string) => void;
}

export type RunOutcome =
  | { kind: 'dry-run'; plan: Plan; exitCode: 0 }
  | { kind: 'result'; result: RunResult; runDir: string; runs: OnceOutcome[]; notes: string[]; exitCode: number };

export async function runCommand(o: RunOptions): Promise<RunOutcome> {
  const reports = reportNames(o.report);
  const repeat = repeatCount(o.repeat);
  const { plan, profile, scenarioFile } = await prepareRun(o);
  if (o.dryRun) return { kind: 'dry-run', plan, exitCode: 0 };

  const baselineFile = baselineFileFor(o.cwd, o.baseline, profile.name, plan.scenario.name);
  if (baselineFile) await readBaseline(baselineFile); // a malformed baseline stops us before any load
  const redact = createRedactor(secretValuesFor(profile.envRefs, o.env));
  const k6 = await locateK6({ flag: o.k6, env: o.env, cwd: o.cwd });
  const ctx = { cwd: o.cwd, env: o.env, k6, scenarioFile, redact, progress: o.quiet ? ('none' as const) : (o.progress ?? 'auto'), isTTY: o.isTTY, stderr: o.stderr };
  const write = (run: OnceOutcome) => writeRun(run, reports, { env: o.env, stderr: o.stderr, redact });

  const runs: OnceOutcome[] = [];
  for (let i = 0; i < repeat; i++) {
    const outDir = o.out && repeat > 1 ? join(o.out, `run-${i + 1}`) : o.out;
    const run = await runOnce(plan, { ...ctx, ...(outDir ? { outDir } : {}) });
    runs.push(run);
    if (abnormal(run.result)) break;
    if (i < repeat - 1) {
      write(run);
      o.stderr(`run ${i + 1}/${repeat}: ${run.result.status.toUpperCase()} (${run.result.metrics.http.requests} requests, p95 ${run.result.metrics.http.latencyMs.p95.toFixed(1)} ms) → ${run.runDir}`);
    }
  }

  const last = runs[runs.length - 1]!;
  const notes: string[] = [];
  const policy = profile.profile.baseline ?? {};
  if (!abnormal(last.result)) {
    const judged = await judgeAgainstBaseline(baselineFile, runs.map((r) => r.result), policy, {
      cwd: o.cwd,
      env: o.env,
      strict: o.strict,
      explicit: o.baseline !== undefined,
    });
    notes.push(...judged.notes);
    if (judged.checks.length > 0 && profile.profile.baseline) last.result.baselinePolicy = profile.profile.baseline;
    settle(last.result, judged.checks, runs);
  }
  write(last);

  if (o.updateBaseline && baselineFile) {
    if (runs.every((r) => joinable(r.result.status)) || o.force) {
      notes.push(...(await updateBaseline(baselineFile, runs.map((r) => r.result), { env: o.env, cwd: o.cwd, force: o.force, poolSize: policy.poolSize })));
    } else {
      notes.push(`baseline not updated: the run's verdict is ${last.result.status} (only runs where nothing failed join the pool; --force overrides)`);
    }
  }
  const exitCode = exitCodeOf(last.result, policy);
  return { kind: 'result', result: last.result, runDir: last.runDir, runs, notes, exitCode };
}


function repeatCount(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--repeat ${v}: expected a whole number from 1 to 100`);
  return n;
}
