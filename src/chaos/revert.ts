// Reverts what a journal says is still active: the recovery path for a loadctl that was killed
// mid-fault, used by the next command for the profile and by `loadctl chaos revert`.
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';
import { JOURNAL_FILE, JournalWriter, findStaleJournals, readJournal } from './journal.js';
import { providerFromRef } from './providers.js';
import type { ProviderRef } from './provider.js';
import { ToxiproxyError } from './toxiproxy-api.js';

export interface RevertReport {
  file: string;
  reverted: string[]; // fault ids
  failed: { id: string; error: string }[]; // still in the journal, to try again
  stoppedServerPid?: number; // an orphaned Toxiproxy that loadctl had started
}

export async function revertFromJournal(dirOrFile: string, o: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<RevertReport> {
  const st = await stat(dirOrFile).catch(() => null);
  if (!st) throw new UsageError(`${dirOrFile} not found`, 'give a run folder (reports/<run-id>) or its chaos-journal.json');
  const file = st.isDirectory() ? join(dirOrFile, JOURNAL_FILE) : dirOrFile;
  const report: RevertReport = { file, reverted: [], failed: [] };
  const j = await readJournal(file);
  if (!j) return report;
  const provider = providerFromRef(j.provider, o.env);
  const writer = new JournalWriter(file, j);
  for (const f of j.active) await writer.add(f);
  const server = ownedServer(j.provider);
  for (const f of j.active) {
    try {
      await provider.revert(f);
    } catch (e) {
      // A Toxiproxy loadctl started that is gone took its faults with it.
      const gone = e instanceof ToxiproxyError && server !== undefined && !isToxiproxy(server);
      if (!gone) {
        report.failed.push({ id: f.id, error: (e as Error).message });
        o.log?.(`chaos: could not revert ${f.id} (${f.kind}): ${(e as Error).message}`);
        continue;
      }
    }
    await writer.remove(f);
    report.reverted.push(f.id);
    o.log?.(`chaos: reverted ${f.id} (${f.kind}) left by run ${j.runId}`);
  }
  if (report.failed.length === 0 && server !== undefined && isToxiproxy(server)) {
    process.kill(server, 'SIGTERM');
    report.stoppedServerPid = server;
  }
  return report;
}

/**
 * What the next command for a profile does first: revert every fault that a killed loadctl left
 * active for it (journals under reportsDir whose writer is gone).
 */
export async function revertStale(reportsDir: string, profile: string | undefined, o: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<RevertReport[]> {
  const reports: RevertReport[] = [];
  for (const file of await findStaleJournals(reportsDir, profile)) reports.push(await revertFromJournal(file, o));
  return reports;
}

function ownedServer(ref: ProviderRef): number | undefined {
  return ref.name === 'toxiproxy' ? ref.ownedServerPid : undefined;
}

/** A pid may have been reused: only a live toxiproxy-server process is stopped. */
function isToxiproxy(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('toxiproxy-server');
  } catch {
    return false;
  }
}
