// One run of a prepared plan, in two steps: `measure` (bundle → execute → aggregate) and
// `conclude` (judge → assemble). Between them the caller may gather more evidence (the baseline
// pool, a gate's reference runs); the RunResult is built once, in `conclude`, and never changed.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleScenario } from '../bundle/bundle.js';
import { projectRoot } from '../util/roots.js';
import { judge } from '../judge/sla/verdict.js';
import { chooseSampleFormat } from '../k6/args.js';
import type { K6Binary } from '../k6/locate.js';
import { assertOutputsAvailable } from '../k6/outputs.js';
import type { Plan } from '../plan/types.js';
import { assembleResult } from '../results/assemble.js';
import { makeRunId } from '../results/run-id.js';
import type { Check, RunMeta, RunResult, Verdict } from '../results/types.js';
import { gitSha, loadctlVersion } from '../util/meta.js';
import type { BesideTask } from './beside.js';
import { analyse, type Analysis, type RunExtras } from './analyse.js';
import { chaosSetup } from './chaos.js';
import type { ClusterSettings, Executed } from './executor.js';
import { executorFor } from './executors.js';
import { createProgress, type ProgressMode } from './progress.js';
import { safetyStop } from './safety.js';
import { probeRunner } from '../probes/runner.js';
import { toProbes } from '../probes/settings.js';
import { withScriptThresholds } from '../thresholds/attach.js';

export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  k6: K6Binary;
  scenarioFile: string;
  redact: (s: string) => string;
  progress: ProgressMode;
  isTTY: boolean;
  stderr: (line: string) => void;
  /** Folder for this run's files; default reports/<run-id>. */
  outDir?: string;
  /** The per-user tools folder (the compile cache), decided at the edge. */
  toolsDir?: string;
  /** A run on a cluster: namespace, context, runner image, kubectl. */
  cluster?: ClusterSettings;
  /** Tasks beside k6 besides the safety stop (fault timeline, probes), made fresh for each run. */
  tasks?: (plan: Plan) => BesideTask[];
}

export interface Measured extends Executed {
  runId: string;
  runDir: string;
  meta: RunMeta;
  /** What the tasks beside k6 recorded, judged: checks, SLA scope, result fields. */
  analysis: Analysis;
}

/**
 * The label a machine's runs carry in their fingerprint: LOADCTL_MACHINE (CI runners change host
 * names; a team names the machine class instead), else the host name. Recorded in every result
 * (meta.host), so run, gate, compare and `baseline add` all fingerprint with the same label.
 */
export function machineLabel(env: NodeJS.ProcessEnv): string {
  return env.LOADCTL_MACHINE || hostname();
}

export async function measure(planned: Plan, c: RunContext): Promise<Measured> {
  assertOutputsAvailable(planned.outputs, c.k6, planned.target.profileFile ?? planned.target.name);
  const plan = await withScriptThresholds(planned, { k6: c.k6.path, script: c.scenarioFile, cwd: c.cwd, env: c.env });
  // Bundled while the target starts (a demo target takes ~100 ms to listen): start-up is k6's wait.
  const script =
    plan.scenario.kind === 'scenario'
      ? bundleScenario(c.scenarioFile, plan.scenario.name, c.cwd, join(projectRoot(c.cwd), '.cache', 'bundles'), c.toolsDir).then((b) => b.file)
      : Promise.resolve(c.scenarioFile);
  script.catch(() => undefined); // awaited by the executor; a compile error surfaces there
  // Known before k6 starts: a chaos journal goes into the run folder.
  const { runId, runDir, release } = reserveRunFolder(c, makeRunId(new Date(), plan.scenario.name, plan.target.name));
  const progress = createProgress({ mode: c.progress, isTTY: c.isTTY, write: c.stderr });
  let executed: Executed;
  try {
    const executor = await executorFor(plan);
    executed = await executor.execute(plan, {
      cwd: c.cwd,
      env: c.env,
      k6: c.k6,
      script,
      format: chooseSampleFormat(c.k6, c.env),
      redact: c.redact,
      onLog: (line) => progress.log(line),
      onProgress: (live) => progress.update(live, plan),
      onStarted: (p) => progress.start(p),
      tasks: [safetyStop(), ...probeTasks(plan, c.env), ...(c.tasks?.(plan) ?? [])],
      setups: [chaosSetup(c.cwd, c.env, c.toolsDir)],
      run: { runId, runDir },
      ...(c.cluster ? { cluster: c.cluster } : {}),
    });
  } catch (e) {
    release();
    throw e;
  } finally {
    progress.stop();
  }
  const sha = await gitSha(c.cwd);
  const meta: RunMeta = {
    loadctlVersion: loadctlVersion(),
    k6Version: c.k6.version,
    node: process.version,
    planHash: planHash(plan),
    host: machineLabel(c.env),
    ...(sha ? { gitSha: sha } : {}),
  };
  return { ...executed, runId, meta, runDir, analysis: analyse(executed) };
}

/**
 * The run's id and folder: --out, else reports/<id>, reserved at once, so a second run of the same
 * scenario and target started in the same second (two CI jobs in one checkout) gets <id>-2, … and
 * never writes into the first one's folder. `release` takes the reservation back when the run
 * ended before writing anything (a target that is down leaves no empty folder behind).
 */
export function reserveRunFolder(c: Pick<RunContext, 'cwd' | 'outDir'>, id: string): { runId: string; runDir: string; release(): void } {
  if (c.outDir) return { runId: id, runDir: resolve(c.cwd, c.outDir), release: () => undefined };
  const reports = join(projectRoot(c.cwd), 'reports');
  const madeReports = !existsSync(reports);
  for (let n = 1; ; n++) {
    const runId = n === 1 ? id : `${id}-${n}`;
    const runDir = join(reports, runId);
    try {
      mkdirSync(reports, { recursive: true });
      mkdirSync(runDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      // A folder that cannot be made now is reported when the reports are written, after the verdict.
      return { runId, runDir, release: () => undefined };
    }
    const release = () => {
      for (const dir of [runDir, ...(madeReports ? [reports] : [])]) {
        try {
          rmdirSync(dir); // only when still empty
        } catch {
          // something was written: the folder stays
        }
      }
    };
    return { runId, runDir, release };
  }
}

/** The profile's probes sample the system under test beside k6 (URLs resolved from the env now). */
function probeTasks(plan: Plan, env: NodeJS.ProcessEnv): BesideTask[] {
  return plan.probes?.length ? [probeRunner(toProbes(plan.probes, env))] : [];
}

export interface Evidence {
  baseline?: Check[];
  extra?: Check[];
  earlier?: readonly Pick<Verdict, 'status' | 'reason'>[];
  /**
   * What was found across several runs about this one (a capacity search's verdict trial): its
   * checks stand in for the run's own analysis checks, its SLA is applied step by step in them
   * (so not to the whole run), and its fields join the result.
   */
  acrossRuns?: { checks: Check[]; extras: RunExtras };
}

/** Judges a measured run with everything known about it and builds its RunResult. */
export function conclude(m: Measured, e: Evidence = {}): RunResult {
  const a = m.analysis;
  const wholeRunSla = a.wholeRunSla && !e.acrossRuns;
  const checks = e.acrossRuns?.checks ?? a.checks;
  const verdict = judge({ end: m.end, sla: wholeRunSla ? m.plan.sla : {}, metrics: a.slaMetrics, slaScope: a.slaScope, ...(e.baseline ? { baseline: e.baseline } : {}), ...(e.earlier ? { earlier: e.earlier } : {}), extra: [...checks, ...(e.extra ?? [])] });
  return assembleResult({
    plan: m.plan,
    runId: m.runId,
    startedAt: m.startedAt,
    durationMs: m.exit.durationMs,
    meta: m.meta,
    aggregate: m.aggregate,
    samples: m.samples,
    k6: { exitCode: m.exit.exitCode, ...(m.exit.signal ? { signal: m.exit.signal } : {}) },
    verdict,
    extras: { ...a.extras, ...e.acrossRuns?.extras, ...(m.instances ? { instances: m.instances } : {}) },
  });
}

/** A run that did not complete normally is not judged against a baseline. */
export function abnormal(m: Pick<Measured, 'end'>): boolean {
  return m.end.kind === 'crashed' || m.end.kind === 'interrupted';
}

/**
 * Stable across runs of the same load: a demo target's port is not part of it, nor is how the
 * baseline judges (changing a tolerance does not make old runs incomparable).
 */
export function planHash(plan: Plan): string {
  // Where the metrics also go (outputs) and how they are split (metricTags) do not change the
  // load: runs with and without compare.
  // Nor how many k6 processes share it (distribution): the same load, however it is generated.
  const { baseline: _policy, metricTags: _tags, outputs: _outputs, distribution: _distribution, ...load } = plan;
  const stable = plan.target.managed === 'demo' ? { ...load, target: { ...load.target, baseUrl: '' } } : load;
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex').slice(0, 16);
}
