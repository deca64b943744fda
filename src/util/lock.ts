// An exclusive lock file beside the file it guards, and an atomic, durable replace. Together they
// make read-modify-write of a baseline safe against concurrent writers and against being killed at
// any moment: the baseline is always either the old or the new complete version.
import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, rename, stat, unlink, link } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RuntimeError } from './errors.js';
import { writeFileAtomic } from './atomic.js';

export interface LockOptions {
  waitMs?: number; // give up after this long (default 10 s)
  staleMs?: number; // a lock older than this is broken even if its holder seems alive (default 60 s)
}

interface Holder {
  pid: number;
  at: number; // epoch ms
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

async function holderOf(lock: string): Promise<{ holder: Holder | null; text: string; mtimeMs: number } | null> {
  try {
    const [text, st] = await Promise.all([readFile(lock, 'utf8'), stat(lock)]);
    let holder: Holder | null = null;
    try {
      const h = JSON.parse(text) as Partial<Holder>;
      if (typeof h.pid === 'number' && typeof h.at === 'number') holder = { pid: h.pid, at: h.at };
    } catch {
      // empty or torn: the holder died between creating the file and writing it
    }
    return { holder, text, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

// Breaks a stale lock without stealing a fresh one: the lock is renamed aside first, and if what
// was renamed is not the file judged stale (another waiter broke it and re-locked meanwhile), it
// is linked back (link fails rather than overwrite a newer lock).
async function breakStale(lock: string, judged: string): Promise<void> {
  const aside = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lock, aside);
  } catch {
    return; // already gone
  }
  const text = await readFile(aside, 'utf8').catch(() => judged);
  if (text !== judged) await link(aside, lock).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Runs `fn` holding `<file>.lock`; waits (with jittered retries) for another holder to finish. */
export async function withLock<T>(file: string, fn: () => Promise<T>, o: LockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const waitMs = o.waitMs ?? 10_000;
  const staleMs = o.staleMs ?? 60_000;
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    try {
      const fh = await open(lock, 'wx');
      try {
        await fh.writeFile(JSON.stringify({ pid: process.pid, at: Date.now() } satisfies Holder));
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const seen = await holderOf(lock);
    if (seen) {
      const age = Date.now() - (seen.holder?.at ?? seen.mtimeMs);
      const dead = seen.holder ? !alive(seen.holder.pid) : age > 1_000; // torn: a crashed holder
      if (dead || age > staleMs) {
        await breakStale(lock, seen.text);
        continue;
      }
      if (Date.now() >= deadline) {
        const since = new Date(seen.holder?.at ?? seen.mtimeMs).toISOString();
        throw new RuntimeError(
          `${file} is locked by process ${seen.holder?.pid ?? '?'} since ${since} (waited ${Math.round(waitMs / 1000)} s)`,
          `wait for the other loadctl to finish, or delete ${lock} if no loadctl is running`,
        );
      }
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/** Replaces `file` atomically (util/atomic.ts). Call it under withLock: temps left by a killed writer are swept first. */
export async function replaceFile(file: string, text: string): Promise<void> {
  await sweepTemps(file);
  await writeFileAtomic(file, text);
}

// Only the lock holder writes temps for this file, so any temp seen now is an orphan.
async function sweepTemps(file: string): Promise<void> {
  const prefix = `.${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  for (const n of names) {
    if (n.startsWith(prefix) && n.endsWith('.tmp')) await unlink(join(dirname(file), n)).catch(() => undefined);
  }
}
