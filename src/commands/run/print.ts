// Runs and prints: the verdict table on stdout, the plan for --dry-run, and the exit code.

import { renderConsole } from '../../report/console.js';
import { out, paint } from '../../util/output.js';
import { runCommand, type RunOptions } from './index.js';

export async function runAndPrint(o: RunOptions): Promise<number> {
  const r = await runCommand(o);
  if (r.kind === 'dry-run') {
    out(JSON.stringify(r.plan, null, 2));
    return r.exitCode;
  }
  out(renderConsole(r.result, paint, r.runDir));
  return r.exitCode;
}
