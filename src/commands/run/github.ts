// In GitHub Actions: the markdown report goes to the job's step summary and failed checks become
// annotations, so a performance gate reads well on the pull request.

import { appendFileSync, readFileSync } from 'node:fs';
import { githubAnnotations } from '../../report/github.js';
import type { RunResult } from '../../results/types.js';

export function publishToGithub(
  result: RunResult,
  files: string[],
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
  redact: (s: string) => string,
): void {
  const md = files.find((f) => f.endsWith('report.md'));
  if (env.GITHUB_STEP_SUMMARY && md) appendFileSync(env.GITHUB_STEP_SUMMARY, `${readFileSync(md, 'utf8')}\n`);
  for (const line of githubAnnotations(result)) write(redact(line));
}
