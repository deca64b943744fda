// `loadctl chaos revert`: reverts the faults a killed loadctl left active, from the chaos journals
// in reports/<run>/ (or one run folder / journal given with --run).
import { join, resolve } from 'node:path';
import { revertFromJournal, revertStale, type RevertReport } from '../../chaos/revert.js';
import { projectRoot } from '../../util/roots.js';

export interface ChaosRevertOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  target?: string; // only journals of this profile
  run?: string; // one run folder or journal file
}

export async function chaosRevertCommand(o: ChaosRevertOptions): Promise<{ text: string; ok: boolean }> {
  const reports = o.run ? [await revertFromJournal(resolve(o.cwd, o.run), { env: o.env })] : await revertStale(join(projectRoot(o.cwd), 'reports'), o.target, { env: o.env });
  const lines = reports.flatMap(describe);
  const ok = reports.every((r) => r.failed.length === 0);
  if (lines.length === 0) lines.push(`nothing to revert${o.target ? ` for ${o.target}` : ''}: no chaos journal with active faults${o.run ? '' : ' in reports/'}`);
  return { text: lines.join('\n'), ok };
}

function describe(r: RevertReport): string[] {
  const lines = r.reverted.map((id) => `reverted ${id} (${r.file})`);
  for (const f of r.failed) lines.push(`could not revert ${f.id} (${r.file}): ${f.error}`);
  if (r.stoppedServerPid !== undefined) lines.push(`stopped the Toxiproxy loadctl had started (pid ${r.stoppedServerPid})`);
  return lines;
}
