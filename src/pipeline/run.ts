// `loadctl run` end to end: plan → (bundle → execute → aggregate) × --repeat → judge against the SLA
// and the baseline pool → assemble → write reports → update the pool when asked. Returns data; the
// command prints it.

import { join } from 'node:path';
import { readBaseline } from '../baselines/store.js';
import { createRedactor, secretValuesFor } from '../config/redact.js';
import { UsageError, type LoadctlError } from '../errors.js';
import { exitCodeFor } from '../judge/exit-code.js';
import { locateK6 } from '../k6/locate.js';
import type { Plan } from '../plan/types.js';
import type { RunResult } from '../results/types.js';
import { baselineFileFor, judgeAgainstBaseline, updateBaseline } from './baseline.js';
import { revertLeftovers } from './chaos.js';
import { publish, reportNames, type Concluded } from './output.js';
import { prepareRun, type PlanOptions } from './prepare.js';
import type { ProgressMode } from './progress.js';
import type { K8sOptions } from '../k8s/run.js';
import { abnormal, conclude, measure, type Measured, type RunContext } from './run-once.js';

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

export async function runPipeline(o: RunOptions): Promise<RunOutcome> {
  if (o.search) {
    const { searchPipeline } = await import('./search.js');
    return searchPipeline(o);
  }
  const reports = reportNames(o.report);
  const repeat = repeatCount(o.repeat);
  const { plan, profile, scenarioFile } = await prepareRun(o);
  const k8s = plan.distribution?.executor === 'k8s' ? await k8sOptions(plan, o) : undefined;
  if (o.dryRun) {
    if (!k8s) return { kind: 'dry-run', plan, exitCode: 0 };
    const { dryRunManifests } = await import('../k8s/preflight.js');
    return { kind: 'dry-run', plan, exitCode: 0, manifests: await dryRunManifests(plan, scenarioFile, o.cwd, k8s, new Date()) };
  }

  const baselineFile = baselineFileFor(o.cwd, o.baseline, profile.name, plan.scenario.name);
  if (baselineFile) await readBaseline(baselineFile); // a malformed baseline stops us before any load
  const redact = createRedactor(secretValuesFor(profile.envRefs, o.env));
  const k6 = await locateK6({ flag: o.k6, env: o.env, cwd: o.cwd });
  await revertLeftovers(o.cwd, profile.name, o.env, o.stderr);
  const ctx: RunContext = { cwd: o.cwd, env: o.env, k6, scenarioFile, redact, progress: o.quiet ? 'none' : (o.progress ?? 'auto'), isTTY: o.isTTY, stderr: o.stderr, ...(k8s ? { k8s } : {}) };

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
  const notes: string[] = [];
  const policy = plan.baseline;
  const judged = abnormal(lastRun)
    ? { checks: [], notes: [] }
    : await judgeAgainstBaseline(baselineFile, [...earlier.map((e) => e.result), { metrics: lastRun.aggregate.metrics, meta: lastRun.meta, capacity: lastRun.analysis.extras.capacity }], policy, {
        cwd: o.cwd,
        strict: o.strict,
        explicit: o.baseline !== undefined,
      });
  notes.push(...judged.notes);
  const result = conclude(lastRun, { baseline: judged.checks, earlier: earlier.map((e) => e.result) });
  const all: Concluded[] = [...earlier, { result, dir: lastRun.runDir }];
  const writeError = await publish(all, reports, { env: o.env, stderr: o.stderr, redact });

  const runs = all.map((e) => e.result);
  if (o.updateBaseline && baselineFile && !writeError) {
    notes.push(...(await updateBaseline(baselineFile, runs, { cwd: o.cwd, force: o.force, poolSize: policy.poolSize })));
  }
  const exitCode = exitCodeFor(result.status, policy.inconclusive);
  return { kind: 'result', result, runDir: lastRun.runDir, runs, notes, exitCode, ...(writeError ? { writeError } : {}) };
}

async function k8sOptions(plan: Plan, o: RunOptions): Promise<K8sOptions> {
  const { checkK8s } = await import('../k8s/preflight.js');
  const kubectl = await checkK8s(plan, o.env, Boolean(o.dryRun));
  return { ...(kubectl ? { kubectl } : {}), ...(o.namespace ? { namespace: o.namespace } : {}), ...(o.context ? { context: o.context } : {}), ...(o.runnerImage ? { image: o.runnerImage } : {}), ...(o.env.LOADCTL_K8S_POLL_MS ? { pollMs: Number(o.env.LOADCTL_K8S_POLL_MS) } : {}) };
}

function repeatCount(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--repeat ${v}: expected a whole number from 1 to 100`);
  return n;
}
