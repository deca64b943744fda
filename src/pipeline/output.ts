// The report stage for a set of concluded runs: write each run's reports into its folder and, in
// GitHub Actions, publish the verdict run's summary and annotations. A folder that cannot take the
// files does not hide the verdict: the error is returned for the command to print after it.

import { parseReportList, type ReportName } from '../report/index.js';
import type { RunResult } from '../results/types.js';
import { RuntimeError, type LoadctlError } from '../util/errors.js';
import { publishToGithub } from './github.js';
import { writeReports } from './report.js';

export interface Concluded {
  result: RunResult;
  dir: string;
}

/** The reports asked for; result.json is always among them. */
export function reportNames(list: string | undefined): ReportName[] {
  const names = parseReportList(list ?? 'json,html,md,junit');
  return names.includes('json') ? names : ['json', ...names];
}

export interface PublishContext {
  env: NodeJS.ProcessEnv;
  stderr: (line: string) => void;
  redact: (s: string) => string;
}

/** Writes every run's reports; the last run is the verdict and is the one published. */
export async function publish(runs: Concluded[], names: ReportName[], c: PublishContext): Promise<LoadctlError | undefined> {
  try {
    for (const run of runs) await writeReports(run.dir, run.result, names, { redact: c.redact });
  } catch (e) {
    if (e instanceof RuntimeError) return e; // the folder could not take the files
    throw e;
  }
  const last = runs[runs.length - 1];
  if (last && c.env.GITHUB_ACTIONS === 'true') publishToGithub(last.result, names.includes('md'), c.env, c.stderr, c.redact);
  return undefined;
}
