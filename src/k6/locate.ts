// Finds the k6 binary and checks its version: --k6 / LOADCTL_K6, then the project's .tools/bin
// (a clone of loadctl, or a team that builds k6 into its repository), then the per-user cache
// `loadctl install-k6` builds into, then loadctl's own .tools/bin, then PATH.

import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { packageRoot, projectRoot, toolsCacheDir } from '../config/roots.js';
import { K6Error } from '../errors.js';
import { k6VersionOutput } from './version-cache.js';

export const K6_PINNED = '2.2.0';
const SUPPORTED_MAJOR = 2;
const INSTALL_HINT =
  'build the pinned k6 with `loadctl install-k6` (in a clone of loadctl: `bash scripts/install-k6.sh`; needs Go, k6 is not on npm), or pass --k6 <path> / set LOADCTL_K6';

export interface K6Binary {
  path: string;
  version: string; // "2.2.0"
  source: K6Source;
  /** Output extensions built in (`k6 version` lists them); loadctl's own is `loadctl`. */
  outputs: string[];
}

export type K6Source = 'flag' | 'env' | 'project' | 'cache' | 'loadctl' | 'path';

/** Why each place is looked at, for `loadctl doctor`. */
export const K6_SOURCE_WORDS: Record<K6Source, string> = {
  flag: 'named by --k6',
  env: 'named by LOADCTL_K6',
  project: "the project's .tools/bin",
  cache: 'the per-user cache `loadctl install-k6` builds into',
  loadctl: "loadctl's own .tools/bin",
  path: 'found on PATH',
};

export interface LocateOptions {
  flag?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function candidates(o: LocateOptions): { path: string; source: K6Source }[] {
  if (o.flag) return [{ path: resolve(o.cwd, o.flag), source: 'flag' }];
  if (o.env.LOADCTL_K6) return [{ path: resolve(o.cwd, o.env.LOADCTL_K6), source: 'env' }];
  const list: { path: string; source: K6Source }[] = [
    { path: join(projectRoot(o.cwd), '.tools', 'bin', 'k6'), source: 'project' },
    { path: join(toolsCacheDir(o.env), 'bin', 'k6'), source: 'cache' },
  ];
  const own = join(packageRoot(), '.tools', 'bin', 'k6');
  if (!list.some((c) => c.path === own)) list.push({ path: own, source: 'loadctl' });
  for (const dir of (o.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    list.push({ path: join(dir, 'k6'), source: 'path' });
  }
  return list;
}

export function parseK6Version(output: string): string | null {
  const m = /k6 v(\d+\.\d+\.\d+)/.exec(output);
  return m ? m[1]! : null;
}

/** Output extensions named in `k6 version`'s Extensions list (lines like `  mod vX, name [output]`). */
export function parseK6Outputs(output: string): string[] {
  const names: string[] = [];
  for (const m of output.matchAll(/,\s*([\w-]+)\s*\[output\]/g)) names.push(m[1]!);
  return names;
}

export async function locateK6(o: LocateOptions): Promise<K6Binary> {
  const tried: string[] = [];
  for (const c of candidates(o)) {
    if (!existsSync(c.path)) {
      tried.push(c.path);
      continue;
    }
    const r = await k6VersionOutput(c.path, o.env);
    const version = parseK6Version(r.stdout);
    if (r.exitCode !== 0 || !version) {
      throw new K6Error(`${c.path} is not a working k6 (\`k6 version\` said: ${(r.stderr || r.stdout).trim().slice(0, 200)})`, INSTALL_HINT);
    }
    const major = Number(version.split('.')[0]);
    if (major !== SUPPORTED_MAJOR) {
      throw new K6Error(
        `k6 ${version} at ${c.path} is not supported (loadctl needs k6 v${SUPPORTED_MAJOR}.x, pinned v${K6_PINNED})`,
        INSTALL_HINT,
      );
    }
    return { path: c.path, version, source: c.source, outputs: parseK6Outputs(r.stdout) };
  }
  const where = o.flag ? `--k6 ${o.flag}` : o.env.LOADCTL_K6 ? `LOADCTL_K6=${o.env.LOADCTL_K6}` : `${tried.slice(0, 3).join(', ')}, then PATH`;
  throw new K6Error(`k6 not found (looked at ${where})`, INSTALL_HINT);
}
