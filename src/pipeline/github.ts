// In GitHub Actions: the markdown report goes to the job's step summary and failed checks become
// annotations, so a performance gate reads well on the pull request.

import { appendFileSync } from 'node:fs';
import { RENDERERS } from '../report/index.js';
import type { RunResult } from '../results/types.js';

export function publishToGithub(
  result: RunResult,
  withSummary: boolean,
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
  redact: (s: string) => string,
): void {
  if (env.GITHUB_STEP_SUMMARY && withSummary) appendFileSync(env.GITHUB_STEP_SUMMARY, `${redact(RENDERERS.md(result, {}))}\n`);
  const annotations = RENDERERS.github(result, {});
  for (const line of annotations ? annotations.split('\n') : []) write(redact(line));
}
