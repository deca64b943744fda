// The one way loadctl replaces a file: a temp file in the same folder (same filesystem, so the
// rename is atomic), fsynced, renamed over the target, then the folder fsynced so the rename
// survives a power cut. A reader sees the old file or the new one, never half of one; a failed
// write (a full disk, a read-only folder) leaves the old file and no temp file behind.

import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files are `.<name>.<pid>.<random>.tmp` beside the file (swept by baselines/lock.ts). */
export function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await makeFolder(dir);
  const tmp = tempNameFor(file);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  const d = await open(dir, 'r').catch(() => null);
  if (d) await d.sync().catch(() => undefined).finally(() => d.close());
}

/**
 * mkdir -p whose error names the real cause: a recursive mkdir reports ENOENT when a folder cannot
 * be created under a read-only or forbidden parent, so the first missing folder is tried alone.
 */
async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    let first = dir;
    while (dirname(first) !== first && !(await stat(dirname(first)).catch(() => null))) first = dirname(first);
    await mkdir(first); // throws EROFS, EACCES, … — the cause to report
    throw e;
  }
}

/**
 * For caches on the start-up path (compiled scenarios, `k6 version` answers): the same temp file and
 * rename, synchronous and without fsync (a cache lost to a power cut is rebuilt), and never
 * throwing: a read-only home or a full disk only means the next run computes it again.
 */
export function writeCacheFileSync(file: string, text: string): void {
  const tmp = tempNameFor(file);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
  }
}
