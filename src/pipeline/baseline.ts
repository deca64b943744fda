// The baseline stage's edge: reads the stored pool a run is judged against (the judging itself is
// judge/regression.ts), and adds runs to the pool when asked.

import { relative, resolve } from 'node:path';
import { addRun, baselinePath, joinable, readBaseline } from '../baselines/store.js';
import { baselineRunFrom, fingerprintOf, runValues } from '../judge/baseline/values.js';
import type { BaselinePolicy } from '../config/types.js';
import { UsageError } from '../util/errors.js';
import { fingerprintMismatch } from '../judge/baseline/fingerprint.js';
import { judgeRegression, regressionOptions } from '../judge/baseline/regression.js';
import { sensitivityNotes } from '../judge/baseline/sensitivity-notes.js';
import type { Check, Metrics, RunMeta, RunResult } from '../results/types.js';

export interface BaselineJudgement {
  checks: Check[];
  notes: string[]; // warnings to print (fingerprint differences, no baseline yet)
}

/** `--baseline none` skips; a path names a file; default: baselines/<profile>/<scenario>.json. */
export function baselineFileFor(cwd: string, choice: string | undefined, profile: string, scenario: string): string | null {
  if (choice === 'none') return null;
  return choice ? resolve(cwd, choice) : baselinePath(cwd, profile, scenario);
}

export interface Candidate {
  metrics: Metrics;
  meta: RunMeta;
  capacity?: number | undefined; // a capacity-finding run's result
}

export async function judgeAgainstBaseline(
  file: string | null,
  candidates: Candidate[],
  policy: BaselinePolicy,
  o: { cwd: string; strict?: boolean; explicit: boolean },
): Promise<BaselineJudgement> {
  if (!file || candidates.length === 0) return { checks: [], notes: [] };
  const shown = relative(o.cwd, file) || file;
  const baseline = await readBaseline(file);
  if (!baseline) {
    if (o.explicit) throw new UsageError(`baseline file not found: ${shown}`, 'check the path, or omit --baseline to use baselines/<profile>/<scenario>.json');
    return { checks: [], notes: [`no baseline yet at ${shown}: add passing runs with --update-baseline`] };
  }
  const last = candidates[candidates.length - 1]!;
  const mismatch = fingerprintMismatch(baseline.runs, fingerprintOf(last.meta));
  const notes: string[] = [];
  if (mismatch.length > 0) {
    const text = `baseline ${shown} was recorded under a different fingerprint: ${mismatch.join('; ')}`;
    if (o.strict) throw new UsageError(text, 'record a new baseline for this plan, or drop --strict to compare anyway');
    notes.push(`warning: ${text}`);
  }
  const options = regressionOptions(policy);
  const checks = judgeRegression(baseline.runs, candidates.map(runValues), options);
  notes.push(...sensitivityNotes(baseline.runs, candidates.length, options, judged(checks)));
  return { checks, notes };
}

/** Runs join the pool only when nothing failed, unless forced (and then the history says so). */
export async function updateBaseline(file: string, runs: RunResult[], o: { force?: boolean; poolSize?: number; cwd: string }): Promise<string[]> {
  const shown = relative(o.cwd, file) || file;
  if (!runs.every((r) => joinable(r.status)) && !o.force) {
    const last = runs[runs.length - 1]!;
    return [`baseline not updated: the run's verdict is ${last.status} (only runs where nothing failed join the pool; --force overrides)`];
  }
  const lines: string[] = [];
  for (const r of runs) {
    await addRun(file, baselineRunFrom(r), {
      ...(o.force ? { force: true, note: `forced with --force (status ${r.status})` } : {}),
      ...(o.poolSize !== undefined ? { poolSize: o.poolSize } : {}),
    });
    lines.push(`${o.force && r.status !== 'pass' ? 'FORCED: added a non-passing run' : 'added'} ${r.runId} to ${shown}`);
  }
  return lines;
}

/** The size of the Holm family: checks that carry a p-value. */
export function judged(checks: Check[]): number {
  return checks.filter((c) => c.baseline?.pValue !== null && c.baseline?.pValue !== undefined).length;
}
