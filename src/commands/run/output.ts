// What `run` and `gate` share once runs are done: which reports to write, writing them (and
// publishing to GitHub Actions), and the exit code of a judged set of runs.

import type { BaselinePolicy } from '../../config/types.js';
import { exitCodeFor } from '../../results/assemble.js';
import type { RunResult } from '../../results/types.js';
import { parseReportList, type ReportName } from '../../report/index.js';
import { writeReports } from '../../report/write.js';
import { publishToGithub } from './github.js';
import type { OnceOutcome } from './once.js';

/** The reports asked for; result.json is always among them. */
export function reportNames(list: string | undefined): ReportName[] {
  const names = parseReportList(list ?? 'json,html,md,junit');
  return names.includes('json') ? names : ['json', ...names];
}

export interface WriteContext {
  env: NodeJS.ProcessEnv;
  stderr: (line: string) => void;
  redact: (s: string) => string;
}

export function writeRun(run: OnceOutcome, names: ReportName[], c: WriteContext, publish = true): void {
  const files = writeReports(run.runDir, run.result, names, { redact: c.redact });
  if (publish && c.env.GITHUB_ACTIONS === 'true') publishToGithub(run.result, files, c.env, c.stderr, c.redact);
}

/** The exit code contract, with the profile's say on whether "inconclusive" fails. */
export function exitCodeOf(result: RunResult, policy: BaselinePolicy): number {
  return result.status === 'inconclusive' && policy.inconclusive === 'fail' ? 1 : exitCodeFor(result.status);
}
