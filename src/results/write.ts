// Writes run files atomically (temp file + rename), so a reader never sees half a file.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Run ids sort by time and say what ran: 20261125-013012-spike-local. */
export function makeRunId(now: Date, scenario: string, target: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = (s: string) => s.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40);
  return `${stamp}-${slug(scenario)}-${slug(target)}`;
}
