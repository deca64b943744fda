// The baseline store: read (validate, migrate), add and remove runs. Every change is a
// read-modify-write done entirely under the file's lock and ended by an atomic replace, so two
// concurrent `add`s both land and a killed writer never leaves a missing or half-written file.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { projectRoot } from '../util/roots.js';
import { ConfigError, UsageError } from '../util/errors.js';
import { replaceFile, withLock, type LockOptions } from '../util/lock.js';
import { validateBaseline } from './schema.js';
import { DEFAULT_POOL_SIZE, type BaselineFile, type BaselineRun, type HistoryEntry } from './types.js';

export function baselinePath(cwd: string, profile: string, scenario: string): string {
  return join(projectRoot(cwd), 'baselines', profile, `${scenario}.json`);
}

/** The baseline at `file`, migrated to the current version; null when there is none yet. */
export async function readBaseline(file: string): Promise<BaselineFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
    const truncated = text.trim() === '' || /end of (JSON )?input|unterminated/i.test(message) || at >= text.trimEnd().length - 1;
    throw new ConfigError(
      file,
      '',
      `is not valid JSON${truncated ? ' (the file looks truncated)' : ''}: ${message}`,
      'restore it from version control (git checkout -- <file>); loadctl left it as it is',
    );
  }
  return validateBaseline(data, file);
}

export interface AddOptions extends LockOptions {
  poolSize?: number; // keep the newest N runs (default: the file's, else 10)
  force?: boolean; // accept a run that failed, errored or was interrupted
  note?: string;
  now?: Date;
}

export interface AddOutcome {
  baseline: BaselineFile;
  dropped: string[]; // runIds trimmed from the pool to keep it at poolSize
}

export async function addRun(file: string, run: BaselineRun, o: AddOptions = {}): Promise<AddOutcome> {
  if (!joinable(run.status) && !o.force) {
    throw new UsageError(
      `run ${run.runId} has status "${run.status}": a baseline takes only passing runs, so that a bad run never becomes the bar`,
      'rerun until it passes, or add it anyway with --force (recorded in the baseline history)',
    );
  }
  if (o.poolSize !== undefined && !(Number.isInteger(o.poolSize) && o.poolSize >= 1)) {
    throw new UsageError(`pool size must be a whole number >= 1 (got ${o.poolSize})`);
  }
  return update(file, o, (current) => {
    const base = current ?? fresh(file);
    if (base.runs.some((r) => r.runId === run.runId)) {
      throw new UsageError(`run ${run.runId} is already in ${file}`, `remove it first with: loadctl baseline remove --id ${run.runId}`);
    }
    const at = (o.now ?? new Date()).toISOString();
    const poolSize = o.poolSize ?? base.poolSize;
    const forced = !joinable(run.status);
    const entry: HistoryEntry = { at, action: forced ? 'force-add' : 'add', runId: run.runId };
    const note = [o.note, forced ? `status was ${run.status}` : undefined].filter(Boolean).join('; ');
    if (note) entry.note = note;
    const runs = [...base.runs, run];
    const droppedRuns = runs.splice(0, Math.max(0, runs.length - poolSize));
    const history = [...base.history, entry];
    for (const d of droppedRuns) history.push({ at, action: 'remove', runId: d.runId, note: `trimmed to keep the newest ${poolSize} runs` });
    return { next: { ...base, poolSize, runs, history }, result: droppedRuns.map((d) => d.runId) };
  }).then(({ baseline, result }) => ({ baseline, dropped: result }));
}

export interface RemoveOptions extends LockOptions {
  note?: string;
  now?: Date;
}

export async function removeRun(file: string, runId: string, o: RemoveOptions = {}): Promise<BaselineFile> {
  const { baseline } = await update(file, o, (current) => {
    if (!current) throw new UsageError(`there is no baseline at ${file}`, 'add a run first with: loadctl baseline add');
    const run = current.runs.find((r) => r.runId === runId);
    if (!run) {
      const ids = current.runs.map((r) => r.runId).join(', ') || 'none';
      throw new UsageError(`run ${runId} is not in ${file} (runs: ${ids})`, 'see the pool with: loadctl baseline show');
    }
    const entry: HistoryEntry = { at: (o.now ?? new Date()).toISOString(), action: 'remove', runId };
    if (o.note) entry.note = o.note;
    const next = { ...current, runs: current.runs.filter((r) => r !== run), history: [...current.history, entry] };
    return { next, result: undefined };
  });
  return baseline;
}

function fresh(file: string): BaselineFile {
  const parts = file.split(/[\\/]/);
  return {
    schemaVersion: 1,
    profile: parts.at(-2) ?? 'default',
    scenario: (parts.at(-1) ?? 'baseline').replace(/\.json$/, ''),
    poolSize: DEFAULT_POOL_SIZE,
    runs: [],
    history: [],
  };
}

// Reads, changes and writes under the lock. A baseline that fails to read aborts the change with
// its ConfigError and is left untouched.
async function update<T>(
  file: string,
  o: LockOptions,
  change: (current: BaselineFile | null) => { next: BaselineFile; result: T },
): Promise<{ baseline: BaselineFile; result: T }> {
  await mkdir(dirname(file), { recursive: true });
  return withLock(
    file,
    async () => {
      const { next, result } = change(await readBaseline(file));
      validateBaseline(next, file); // never write what we could not read back
      await replaceFile(file, `${JSON.stringify(next, null, 2)}\n`);
      return { baseline: next, result };
    },
    o,
  );
}

/** Passing runs join the pool; so do inconclusive ones (nothing failed, the judge could not yet tell). */
export function joinable(status: string): boolean {
  return status === 'pass' || status === 'inconclusive';
}
