// `k6 version` for a binary, remembered by its path, size and mtime: asking k6 costs ~30 ms of
// every run's start, and the answer only changes when the file does. Kept in the per-user cache
// folder; only working answers are kept, so a broken k6 is asked (and reported) every time.

import { readFileSync, statSync } from 'node:fs';
import { writeCacheFileSync } from '../util/atomic.js';
import { join } from 'node:path';

interface Known {
  size: number;
  mtimeMs: number;
  stdout: string;
}

export interface VersionOutput {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/** `toolsDir`: where answers are remembered (none: k6 is asked every time). */
export async function k6VersionOutput(path: string, toolsDir: string | undefined): Promise<VersionOutput> {
  const file = toolsDir === undefined ? undefined : join(toolsDir, 'k6-versions.json');
  const s = statSync(path);
  const known = file === undefined ? {} : readKnown(file);
  const hit = known[path];
  if (hit && hit.size === s.size && hit.mtimeMs === s.mtimeMs) return { exitCode: 0, stdout: hit.stdout, stderr: '' };
  const { execa } = await import('execa'); // only on a miss: a known k6 costs no execa at start-up
  const r = await execa(path, ['version'], { reject: false, timeout: 10_000 });
  if (r.exitCode === 0 && file !== undefined) {
    known[path] = { size: s.size, mtimeMs: s.mtimeMs, stdout: r.stdout };
    writeCacheFileSync(file, JSON.stringify(known));
  }
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

function readKnown(file: string): Record<string, Known> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Known>;
  } catch {
    return {};
  }
}
