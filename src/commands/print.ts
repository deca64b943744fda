// How run and gate print their outcome: the plan (--dry-run) or the verdict, then any notes; a
// reports folder that could not be written is reported after the verdict (exit 3).

import type { RunOutcome } from '../pipeline/session.js';
import { RENDERERS } from '../report/index.js';
import { err, out, paint } from '../util/output.js';

export function printOutcome(r: RunOutcome): number {
  if (r.kind === 'dry-run') {
    out(r.manifests ?? JSON.stringify(r.plan, null, 2));
    return r.exitCode;
  }
  out(RENDERERS.console(r.result, { paint, runDir: r.runDir }));
  for (const note of r.notes) err(note.startsWith('warning') || note.startsWith('FORCED') ? paint.warn(note) : paint.dim(note));
  if (r.writeError) throw r.writeError;
  return r.exitCode;
}
