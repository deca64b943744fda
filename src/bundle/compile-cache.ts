// Compiled scenario code is kept per entry file and output format, with the size and mtime of
// every input esbuild read. While none changed, a run reuses the code without loading esbuild or
// starting its service (together ~100 ms of a run's start). The cache lives in the per-user cache
// folder, never in the project, so planning still writes nothing there.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { writeCacheFileSync } from '../util/atomic.js';
import { join } from 'node:path';
import { loadctlVersion } from '../util/meta.js';

interface Entry {
  code: string;
  /** input path → [size, mtimeMs] */
  inputs: Record<string, [number, number]>;
}

// esbuild's output names input files relative to the working directory, so that is part of the key.
function cacheFile(entry: string, format: string, cwd: string, toolsDir: string): string {
  const key = createHash('sha256').update(`${loadctlVersion()}\0${format}\0${entry}\0${cwd}`).digest('hex').slice(0, 24);
  return join(toolsDir, 'compiled', `${key}.json`);
}

function stamp(path: string): [number, number] | null {
  try {
    const s = statSync(path);
    return [s.size, s.mtimeMs];
  } catch {
    return null;
  }
}

/** The cached code for `entry`, when every input it was built from is unchanged; else null (and always without a tools folder). */
export function cachedCode(entry: string, format: string, cwd: string, toolsDir: string | undefined): string | null {
  if (toolsDir === undefined) return null;
  let e: Entry;
  try {
    e = JSON.parse(readFileSync(cacheFile(entry, format, cwd, toolsDir), 'utf8')) as Entry;
  } catch {
    return null;
  }
  for (const [path, [size, mtime]] of Object.entries(e.inputs)) {
    const now = stamp(path);
    if (!now || now[0] !== size || now[1] !== mtime) return null;
  }
  return e.code;
}

/** Remembers `code` with the stamps of `inputs` (absolute paths). A cache that cannot be written, or no tools folder, is skipped. */
export function storeCode(entry: string, format: string, cwd: string, code: string, inputs: string[], toolsDir: string | undefined): void {
  if (toolsDir === undefined) return;
  const stamps: Entry['inputs'] = {};
  for (const path of inputs) {
    const s = stamp(path);
    if (!s) return; // an input that is gone already: nothing worth keeping
    stamps[path] = s;
  }
  const file = cacheFile(entry, format, cwd, toolsDir);
  writeCacheFileSync(file, JSON.stringify({ code, inputs: stamps } satisfies Entry));
}
