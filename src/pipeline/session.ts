// The one set-up and the one finish that `run`, `run --search` and `gate` share. Between them each
// flow only decides which runs to measure and what evidence to judge them with (run-once.ts).
//   open:   the executor's preflight → --dry-run answered → a malformed baseline refused before any
//           load → secrets redacted → k6 found → faults an earlier run left behind reverted
//   finish: every run's reports written (the verdict run last, and published) → the baseline pool
//           updated when asked and the reports were written → the verdict's exit code

import { readBaseline } from '../baselines/store.js';
import { createRedactor, secretValuesFor } from '../config/redact.js';
import type { BaselinePolicy } from '../config/types.js';
import type { LoadctlError } from '../util/errors.js';
import { exitCodeFor } from '../judge/sla/exit-code.js';
import { locateK6 } from '../k6/locate.js';
import type { Plan } from '../plan/types.js';
import type { ReportName } from '../report/index.js';
import type { RunResult } from '../results/types.js';
import { updateBaseline } from './baseline.js';
import { revertLeftovers } from './chaos.js';
import type { ClusterSettings } from './executor.js';
import { executorFor } from './executors.js';
import { publish, reportNames, type Concluded } from './output.js';
import type { PlanOptions, Prepared } from './prepare.js';
import type { ProgressMode } from './progress.js';
import type { RunContext } from './run-once.js';

export interface RunOptions extends PlanOptions {
  dryRun?: boolean;
  out?: string;
  k6?: string;
  report?: string; // e.g. "html,md,junit,json" (json is always written)
  quiet?: boolean;
  progress?: ProgressMode;
  repeat?: string;
  baseline?: string; // a baseline file, or "none"
  updateBaseline?: boolean;
  force?: boolean;
  strict?: boolean;
  /** Capacity search instead of the scenario's own shape (pipeline/search.ts). */
  search?: boolean;
  ceiling?: string;
  budget?: string;
  /** With --executor k8s. */
  namespace?: string;
  context?: string;
  runnerImage?: string;
  isTTY: boolean;
  stderr: (line: string) => void;
}

export type RunOutcome =
  | { kind: 'dry-run'; plan: Plan; exitCode: 0; /** --executor k8s: what would be applied. */ manifests?: string }
  | {
      kind: 'result';
      result: RunResult; // the one the verdict is about (the last of a set)
      runDir: string;
      runs: RunResult[];
      notes: string[];
      exitCode: number;
      /** Set when the reports could not be written: printed after the verdict, exit 3. */
      writeError?: LoadctlError;
    };

export interface Session {
  /** What every measured run of the flow shares (its scenario file is the run's own). */
  ctx: Omit<RunContext, 'scenarioFile'>;
  reports: ReportName[];
}

export interface OpenOptions {
  /** The pool the runs are judged against, read now so a malformed one stops the flow before any load. */
  baselineFile?: string | null;
  /** Overrides --quiet/--progress (a search's trials show no progress line). */
  progress?: ProgressMode;
}

/** A flow's set-up for its prepared plans (the first is the one a dry run shows); a dry run ends here. */
export async function openSession(o: RunOptions, prepared: Prepared[], open: OpenOptions = {}): Promise<Session | RunOutcome> {
  const first = prepared[0]!;
  let cluster: ClusterSettings = {
    ...(o.namespace ? { namespace: o.namespace } : {}),
    ...(o.context ? { context: o.context } : {}),
    ...(o.runnerImage ? { image: o.runnerImage } : {}),
  };
  const executors = await Promise.all(prepared.map((p) => executorFor(p.plan)));
  for (const [i, executor] of executors.entries()) {
    if (executor.preflight) cluster = await executor.preflight(prepared[i]!.plan, { env: o.env, dryRun: Boolean(o.dryRun), cluster });
  }
  if (o.dryRun) {
    const executor = executors[0]!;
    const manifests = executor.dryRun ? await executor.dryRun(first.plan, { scenarioFile: first.scenarioFile, cwd: o.cwd, cluster, now: new Date() }) : undefined;
    return { kind: 'dry-run', plan: first.plan, exitCode: 0, ...(manifests !== undefined ? { manifests } : {}) };
  }
  if (open.baselineFile) await readBaseline(open.baselineFile);
  const redact = createRedactor(prepared.flatMap((p) => secretValuesFor(p.profile.envRefs, o.env)));
  const k6 = await locateK6({ flag: o.k6, env: o.env, cwd: o.cwd, ...(o.toolsDir ? { toolsDir: o.toolsDir } : {}) });
  for (const name of new Set(prepared.map((p) => p.profile.name))) await revertLeftovers(o.cwd, name, o.env, o.stderr);
  const progress = open.progress ?? (o.quiet ? 'none' : (o.progress ?? 'auto'));
  const ctx: Session['ctx'] = { cwd: o.cwd, env: o.env, k6, redact, progress, isTTY: o.isTTY, stderr: o.stderr, ...(Object.keys(cluster).length > 0 ? { cluster } : {}), ...(o.toolsDir ? { toolsDir: o.toolsDir } : {}) };
  return { ctx, reports: reportNames(o.report) };
}

export function isSession(s: Session | RunOutcome): s is Session {
  return !('kind' in s);
}

export interface Finish {
  /** Every concluded run of the flow; the last is the verdict run. */
  runs: Concluded[];
  notes: string[];
  policy: BaselinePolicy;
  /** The pool to add the flow's runs to with --update-baseline (absent: the flow keeps no pool). */
  pool?: { file: string | null; runs: RunResult[] };
  /** Only these reports (a stopped gate writes result.json alone). */
  reports?: ReportName[];
}

/** Writes the reports, updates the pool when asked, and turns the verdict into the flow's outcome. */
export async function finishSession(s: Session, o: Pick<RunOptions, 'updateBaseline' | 'force' | 'cwd'>, f: Finish): Promise<RunOutcome> {
  const verdictRun = f.runs[f.runs.length - 1]!;
  const writeError = await publish(f.runs, f.reports ?? s.reports, { env: s.ctx.env, stderr: s.ctx.stderr, redact: s.ctx.redact });
  const notes = [...f.notes];
  if (o.updateBaseline && f.pool?.file && !writeError) {
    notes.push(...(await updateBaseline(f.pool.file, f.pool.runs, { cwd: o.cwd, force: o.force, poolSize: f.policy.poolSize })));
  }
  const result = verdictRun.result;
  return { kind: 'result', result, runDir: verdictRun.dir, runs: f.runs.map((r) => r.result), notes, exitCode: exitCodeFor(result.status, f.policy.inconclusive), ...(writeError ? { writeError } : {}) };
}
