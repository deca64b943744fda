// The nightly history file beside the baseline pool: baselines/<profile>/<scenario>.history.jsonl.
// Appends run under the same lock file discipline as the baseline (lock.ts), so two runs finishing
// at once both land. A normal append writes one line and fsyncs it; once the file holds more than
// `max` records it is rewritten with the newest `max` by an atomic replace, so it stays bounded
// and a killed writer leaves the old or the new file, never a half. A line torn by a crash during
// a plain append is skipped (and reported) on reading, and dropped at the next rewrite.
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { replaceFile, withLock, type LockOptions } from '../util/lock.js';
import { projectRoot } from '../util/roots.js';
import { DEFAULT_HISTORY_SIZE, formatHistory, parseHistory, type HistoryRecord, type ParsedHistory } from './record.js';

export function historyPath(cwd: string, profile: string, scenario: string): string {
  return join(projectRoot(cwd), 'baselines', profile, `${scenario}.history.jsonl`);
}

/** The records in `file`, oldest first; empty when there is no history yet. */
export async function readHistory(file: string): Promise<ParsedHistory> {
  try {
    return parseHistory(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: [] };
    throw e;
  }
}

export interface AppendOptions extends LockOptions {
  max?: number; // records kept, default DEFAULT_HISTORY_SIZE
}

export interface AppendOutcome {
  records: number; // in the file after the append
  trimmed: number; // oldest records dropped to stay within max
  duplicate: boolean; // the run was already recorded: nothing written
}

export async function appendHistory(file: string, record: HistoryRecord, o: AppendOptions = {}): Promise<AppendOutcome> {
  const max = o.max ?? DEFAULT_HISTORY_SIZE;
  await mkdir(dirname(file), { recursive: true });
  return withLock(
    file,
    async () => {
      const { records, skipped } = await readHistory(file);
      if (records.some((r) => r.runId === record.runId)) return { records: records.length, trimmed: 0, duplicate: true };
      const all = [...records, record];
      // A torn line (crash mid-append) would otherwise sit in front of the new one forever.
      if (all.length > max || skipped.length > 0) {
        const kept = all.slice(-max);
        await replaceFile(file, formatHistory(kept));
        return { records: kept.length, trimmed: all.length - kept.length, duplicate: false };
      }
      const fh = await open(file, 'a');
      try {
        await fh.appendFile(formatHistory([record]));
        await fh.sync();
      } finally {
        await fh.close();
      }
      return { records: all.length, trimmed: 0, duplicate: false };
    },
    o,
  );
}
