// The second judge of a run: the stored baseline pool. Reads the pool, judges the candidate runs,
// and adds passing runs to the pool when asked.

import { hostname } from 'node:os';
import { relative, resolve } from 'node:path';
import { addRun, baselinePath, readBaseline } from '../../baselines/store.js';
import { baselineRunFrom, fingerprintOf, runValues } from '../../baselines/values.js';
import type { BaselinePolicy } from '../../config/types.js';
import { UsageError } from '../../errors.js';
import { fingerprintMismatch, judgeRegression, regressionOptions } from '../../judge/regression.js';
import type { Check, RunResult } from '../../results/types.js';

export interface BaselineJudgement {
  checks: Check[];
  notes: string[]; // warnings to print (fingerprint differences, no baseline yet)
  file: string | null;
}

export function machineLabel(env: NodeJS.ProcessEnv): string {
  return env.LOADCTL_MACHINE || hostname();
}

/** `--baseline none` skips; a path names a file; default: baselines/<profile>/<scenario>.json. */
export function baselineFileFor(cwd: string, choice: string | undefined, profile: string, scenario: string): string | null {
  if (choice === 'none') return null;
  return choice ? resolve(cwd, choice) : baselinePath(cwd, profile, scenario);
}

export async function judgeAgainstBaseline(
  file: string | null,
  candidates: RunResult[],
  policy: BaselinePolicy,
  o: { cwd: string; env: NodeJS.ProcessEnv; strict?: boolean; explicit: boolean },
): Promise<BaselineJudgement> {
  if (!file || candidates.length === 0) return { checks: [], notes: [], file: null };
  const shown = relative(o.cwd, file) || file;
  const baseline = await readBaseline(file);
  if (!baseline) {
    if (o.explicit) throw new UsageError(`baseline file not found: ${shown}`, 'check the path, or omit --baseline to use baselines/<profile>/<scenario>.json');
    return { checks: [], notes: [`no baseline yet at ${shown}: add passing runs with --update-baseline`], file };
  }
  const last = candidates[candidates.length - 1]!;
  const mismatch = fingerprintMismatch(baseline.runs, fingerprintOf(last, machineLabel(o.env)));
  const notes: string[] = [];
  if (mismatch.length > 0) {
    const text = `baseline ${shown} was recorded under a different fingerprint: ${mismatch.join('; ')}`;
    if (o.strict) throw new UsageError(text, 'record a new baseline for this plan, or drop --strict to compare anyway');
    notes.push(`warning: ${text}`);
  }
  const checks = judgeRegression(baseline.runs, candidates.map(runValues), regressionOptions(policy));
  return { checks, notes, file };
}

export async function updateBaseline(
  file: string,
  runs: RunResult[],
  o: { env: NodeJS.ProcessEnv; force?: boolean; poolSize?: number; cwd: string },
): Promise<string[]> {
  const lines: string[] = [];
  for (const r of runs) {
    await addRun(file, baselineRunFrom(r, machineLabel(o.env)), {
      ...(o.force ? { force: true, note: `forced with --force (status ${r.status})` } : {}),
      ...(o.poolSize !== undefined ? { poolSize: o.poolSize } : {}),
    });
    lines.push(`${o.force && r.status !== 'pass' ? 'FORCED: added a non-passing run' : 'added'} ${r.runId} to ${relative(o.cwd, file) || file}`);
  }
  return lines;
}
