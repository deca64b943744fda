// Runs and prints: the verdict table on stdout, the plan for --dry-run, notes on stderr.

import { renderConsole } from '../../report/console.js';
import { err, out, paint } from '../../util/output.js';
import type { GateOptions } from '../gate/index.js';
import { runCommand, type RunOptions, type RunOutcome } from './index.js';

export async function runAndPrint(o: RunOptions): Promise<number> {
  return print(await runCommand(o));
}

export async function gateAndPrint(o: GateOptions): Promise<number> {
  const { gateCommand } = await import('../gate/index.js');
  return print(await gateCommand(o));
}

function print(r: RunOutcome): number {
  if (r.kind === 'dry-run') {
    out(JSON.stringify(r.plan, null, 2));
    return r.exitCode;
  }
  out(renderConsole(r.result, paint, r.runDir));
  for (const note of r.notes) err(note.startsWith('warning') || note.startsWith('FORCED') ? paint.warn(note) : paint.dim(note));
  return r.exitCode;
}
