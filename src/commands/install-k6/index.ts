// `loadctl install-k6 [--dir <folder>]`: builds the pinned k6 with loadctl's output extension for a
// package user. One implementation: this runs the package's own scripts/install-k6.sh (the script
// a clone's `npm test` runs), only pointed at the per-user cache instead of the clone's .tools/.
// The script is idempotent: a stamp of the k6/ sources' hash makes a repeat call return at once.

import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { packageRoot, toolsCacheDir } from '../../config/roots.js';
import { K6Error } from '../../errors.js';

export interface InstallK6Options {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where to build (k6 lands in <dir>/bin/k6); default the per-user cache. */
  dir?: string;
}

export async function installK6Command(o: InstallK6Options): Promise<string> {
  const dir = o.dir ? resolve(o.cwd, o.dir) : toolsCacheDir(o.env);
  const script = join(packageRoot(), 'scripts', 'install-k6.sh');
  // The script's own messages (build progress, Go missing) go straight to the user's terminal.
  const r = await execa('bash', [script], { env: { ...o.env, LOADCTL_TOOLS_DIR: dir }, stdio: ['ignore', 'inherit', 'inherit'], reject: false });
  if (r.exitCode !== 0) {
    throw new K6Error(
      `building k6 failed (scripts/install-k6.sh exited ${r.exitCode ?? r.signal})`,
      r.exitCode === 3 ? 'install Go >= 1.25 (https://go.dev/dl/) and run `loadctl install-k6` again, or pass --k6 <path> to a k6 you have' : 'see the messages above; `loadctl doctor` shows which k6 loadctl would use',
    );
  }
  const k6 = join(dir, 'bin', 'k6');
  const found = dir === toolsCacheDir(o.env);
  return [
    `k6 with loadctl's output: ${k6}`,
    found
      ? 'loadctl finds it there (`loadctl doctor` shows the choice)'
      : `loadctl looks in ${toolsCacheDir(o.env)} by default: set LOADCTL_TOOLS_DIR=${dir} (or LOADCTL_K6=${k6}) so it uses this one`,
  ].join('\n');
}
