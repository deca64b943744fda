// One run of a prepared plan: k6 through the pipeline, judged against the SLA. Writes nothing;
// the caller decides where the result goes once every judge has spoken.

import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleScenario } from '../../bundle/bundle.js';
import { projectRoot } from '../../config/roots.js';
import { judgeSla } from '../../judge/sla.js';
import { chooseSampleFormat } from '../../k6/args.js';
import type { K6Binary } from '../../k6/locate.js';
import type { Plan } from '../../plan/types.js';
import { assembleResult } from '../../results/assemble.js';
import type { RunResult } from '../../results/types.js';
import { makeRunId } from '../../results/write.js';
import { gitSha, loadctlVersion } from '../../util/meta.js';
import { executeRun } from './execute.js';
import { createProgress, type ProgressMode } from './progress.js';

export interface OnceContext {
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
}

export interface OnceOutcome {
  result: RunResult;
  runDir: string;
}

export async function runOnce(plan: Plan, c: OnceContext): Promise<OnceOutcome> {
  const script =
    plan.scenario.kind === 'scenario'
      ? (await bundleScenario(c.scenarioFile, plan.scenario.name, c.cwd, join(projectRoot(c.cwd), '.cache', 'bundles'))).file
      : c.scenarioFile;
  const progress = createProgress({ mode: c.progress, isTTY: c.isTTY, write: c.stderr });
  const executed = await executeRun(plan, {
    cwd: c.cwd,
    env: c.env,
    k6: c.k6,
    script,
    format: chooseSampleFormat(c.k6, c.env),
    redact: c.redact,
    onLog: (line) => progress.log(line),
    onProgress: (live) => progress.update(live, plan),
    onStarted: (p) => progress.start(p),
  });
  progress.stop();

  const live = executed.plan;
  const runId = makeRunId(executed.startedAt, live.scenario.name, live.target.name);
  const agg = executed.aggregate;
  const checks = executed.abnormal?.status === 'error' ? [] : judgeSla(live.sla, agg.metrics);
  const sha = await gitSha(c.cwd);
  const result = assembleResult({
    plan: live,
    runId,
    startedAt: executed.startedAt,
    durationMs: executed.exit.durationMs,
    meta: {
      loadctlVersion: loadctlVersion(),
      k6Version: c.k6.version,
      node: process.version,
      planHash: planHash(plan),
      host: hostname(),
      ...(sha ? { gitSha: sha } : {}),
    },
    metrics: agg.metrics,
    checks,
    samples: executed.samples,
    k6: { exitCode: executed.exit.exitCode, ...(executed.exit.signal ? { signal: executed.exit.signal } : {}) },
    bucketMs: agg.bucketMs,
    series: agg.series,
    histograms: agg.histograms,
    ...(executed.abnormal ? { abnormal: executed.abnormal } : {}),
  });
  return { result, runDir: c.outDir ? resolve(c.cwd, c.outDir) : join(projectRoot(c.cwd), 'reports', runId) };
}

/** Stable across runs of the same plan: a demo target's port is not part of it. */
export function planHash(plan: Plan): string {
  const stable = plan.target.managed === 'demo' ? { ...plan, target: { ...plan.target, baseUrl: '' } } : plan;
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex').slice(0, 16);
}
