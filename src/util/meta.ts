// Facts about this loadctl and the code under test, for run metadata.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './roots.js';

let version: string | undefined;

export function loadctlVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

export async function gitSha(cwd: string): Promise<string | undefined> {
  // Imported here: `loadctl --version` reads this module and must not pay for loading execa.
  const { execa } = await import('execa');
  const r = await execa('git', ['rev-parse', 'HEAD'], { cwd, reject: false, timeout: 2000 });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}
