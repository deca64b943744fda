// The chaos journal: before a fault is injected, the run folder gets chaos-journal.json saying what
// is active and how to revert it. A loadctl that dies mid-fault (SIGKILL, power loss) leaves it
// behind; the next command for that profile, or `loadctl chaos revert`, finds it and reverts.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { replaceFile } from '../util/lock.js';
import type { ProviderRef } from './provider.js';
import type { PlannedFault } from './types.js';

export const JOURNAL_FILE = 'chaos-journal.json';

export interface Journal {
  journalVersion: 1;
  profile: string;
  runId: string;
  pid: number; // the process that injects; while it lives, its faults are its own business
  host: string;
  provider: ProviderRef;
  active: PlannedFault[];
  updatedAt: string;
}

/** Keeps the journal file in step with the active faults; writes are serialised and atomic. */
export class JournalWriter {
  private readonly active = new Map<string, PlannedFault>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly base: Pick<Journal, 'profile' | 'runId' | 'provider'>,
  ) {}

  add(f: PlannedFault): Promise<void> {
    this.active.set(f.id, f);
    return this.flush();
  }

  remove(f: PlannedFault): Promise<void> {
    this.active.delete(f.id);
    return this.flush();
  }

  /** Once nothing is active the journal has nothing to say: it is deleted. */
  private flush(): Promise<void> {
    const active = [...this.active.values()];
    const write = async () => {
      if (active.length === 0) return void (await unlink(this.file).catch(() => undefined));
      const j: Journal = { journalVersion: 1, ...this.base, pid: process.pid, host: hostname(), active, updatedAt: new Date().toISOString() };
      await mkdir(dirname(this.file), { recursive: true });
      await replaceFile(this.file, `${JSON.stringify(j, null, 2)}\n`);
    };
    this.chain = this.chain.then(write, write);
    return this.chain;
  }
}

export async function readJournal(file: string): Promise<Journal | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const j = JSON.parse(text) as Journal;
  return j.journalVersion === 1 && Array.isArray(j.active) ? j : null;
}

/** Whether the process that wrote a journal is still running (then its faults are not stale). */
export function writerAlive(j: Pick<Journal, 'pid' | 'host'>): boolean {
  if (j.host !== hostname()) return false; // cannot tell; a journal from elsewhere was copied or shared
  try {
    process.kill(j.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Journals under reportsDir/<run>/ for this profile (any, when undefined) whose faults are still active and whose writer
 * is gone: what a killed loadctl left behind.
 */
export async function findStaleJournals(reportsDir: string, profileName: string | undefined, alive: (j: Journal) => boolean = writerAlive): Promise<string[]> {
  const runs = await readdir(reportsDir, { withFileTypes: true }).catch(() => []);
  const stale: string[] = [];
  for (const d of runs) {
    if (!d.isDirectory()) continue;
    const file = join(reportsDir, d.name, JOURNAL_FILE);
    const j = await readJournal(file).catch(() => null);
    if (j && (profileName === undefined || j.profile === profileName) && j.active.length > 0 && !alive(j)) stale.push(file);
  }
  return stale.sort();
}
