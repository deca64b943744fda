// `loadctl run <scenario|file> --target <profile>`: plan → bundle → k6 → aggregate → judge → report.

import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { bundleScenario } from '../../bundle/bundle.js';
import { createRedactor, secretValuesFor } from '../../config/redact.js';
import { judgeSla } from '../../judge/sla.js';
import { locateK6 } from '../../k6/locate.js';
import type { Plan } from '../../plan/types.js';
import { assembleResult, exitCodeFor } from '../../results/assemble.js';
import type { RunResult } from '../../results/types.js';
import { makeRunId } from '../../results/write.js';
import { parseReportList } from '../../report/index.js';
import { writeReports } from '../../report/write.js';
import { publishToGithub } from './github.js';
import { gitSha, loadctlVersion } from '../../util/meta.js';
import { executeRun } from './execute.js';
import { prepareRun, type PlanOptions } from './prepare.js';
import { createProgress } from './progress.js';

export interface RunOptions extends PlanOptions {
  dryRun?: boolean;
  out?: string;
  k6?: string;
  report?: string; // e.g. "html,md,junit,json" (json is always written)
  quiet?: boolean;
  progress?: 'auto' | 'tty' | 'plain' | 'json' | 'none';
  isTTY: boolean;
  stderr: (line: string) => void;
}

export type RunOutcome =
  | { kind: 'dry-run'; plan: Plan; exitCode: 0 }
  | { kind: 'result'; result: RunResult; runDir: string; exitCode: number };

export async function runCommand(o: RunOptions): Promise<RunOutcome> {
  const reports = parseReportList(o.report ?? 'json,html,md,junit');
  const { plan, profile, scenarioFile } = await prepareRun(o);
  if (o.dryRun) return { kind: 'dry-run', plan, exitCode: 0 };

  const redact = createRedactor(secretValuesFor(profile.envRefs, o.env));
  const k6 = await locateK6({ flag: o.k6, env: o.env, cwd: o.cwd });
  const script =
    plan.scenario.kind === 'scenario'
      ? (await bundleScenario(scenarioFile, plan.scenario.name, o.cwd, join(o.cwd, '.cache', 'bundles'))).file
      : scenarioFile;
  const progress = createProgress({ mode: o.quiet ? 'none' : (o.progress ?? 'auto'), isTTY: o.isTTY, write: o.stderr });
  const executed = await executeRun(plan, {
    cwd: o.cwd,
    env: o.env,
    k6,
    script,
    format: 'csv', // k6 writes CSV samples at a fraction of JSON's cost (bench/sample-format.mjs)
    redact,
    onLog: (line) => progress.log(line),
    onProgress: (live) => progress.update(live, plan),
    onStarted: (p) => progress.start(p),
  });
  progress.stop();

  const live = executed.plan;
  const runId = makeRunId(executed.startedAt, live.scenario.name, live.target.name);
  const runDir = o.out ? resolve(o.cwd, o.out) : join(o.cwd, 'reports', runId);
  const agg = executed.aggregate;
  const checks = executed.abnormal?.status === 'error' ? [] : judgeSla(live.sla, agg.metrics);
  const result = assembleResult({
    plan: live,
    runId,
    startedAt: executed.startedAt,
    durationMs: executed.exit.durationMs,
    meta: {
      loadctlVersion: loadctlVersion(),
      k6Version: k6.version,
      node: process.version,
      planHash: planHash(plan),
      host: hostname(),
      ...optional('gitSha', await gitSha(o.cwd)),
    },
    metrics: agg.metrics,
    checks,
    samples: executed.samples,
    k6: { exitCode: executed.exit.exitCode, ...optional('signal', executed.exit.signal) },
    bucketMs: agg.bucketMs,
    series: agg.series,
    histograms: agg.histograms,
    ...(executed.abnormal ? { abnormal: executed.abnormal } : {}),
  });
  const files = writeReports(runDir, result, reports.includes('json') ? reports : ['json', ...reports], { redact });
  if (o.env.GITHUB_ACTIONS === 'true') publishToGithub(result, files, o.env, o.stderr, redact);
  return { kind: 'result', result, runDir, exitCode: exitCodeFor(result.status) };
}

/** Stable across runs of the same plan: a demo target's port is not part of it. */
function planHash(plan: Plan): string {
  const stable = plan.target.managed === 'demo' ? { ...plan, target: { ...plan.target, baseUrl: '' } } : plan;
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex').slice(0, 16);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
