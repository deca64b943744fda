// loadctl works with two roots. The package root holds what ships with loadctl: the built-in
// scenarios and their lib, the schemas, the built-in `local` profile, the demo target, the k6
// sources. The project root is the user's repository, where their own profiles/, scenarios/,
// baselines/ and reports/ live. Inside loadctl's own clone the two are the same folder.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files whose presence marks a project root (their content is not read yet). */
export const CONFIG_FILES = ['loadctl.config.json', 'loadctl.config.yaml', 'loadctl.config.yml', 'loadctl.config.js', 'loadctl.config.mjs', 'loadctl.config.ts'];

let pkg: string | undefined;

/**
 * The folder of loadctl's own package.json. Found by walking up from this module rather than by a
 * fixed `../..`, so it holds whether the code runs from src/ (tests), dist/ (tsc) or a bundled chunk.
 */
export function packageRoot(): string {
  if (pkg !== undefined) return pkg;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && readName(file) === 'loadctl') return (pkg = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`loadctl's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

function readName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

const projects = new Map<string, string>();

/**
 * The user's project: the nearest folder at or above `cwd` holding a `loadctl.config.*`, a
 * `profiles/` folder or a `package.json` (so `loadctl` works from any subfolder, as `npx` tools
 * do). With none of them up to the file-system root, `cwd` itself.
 */
export function projectRoot(cwd: string): string {
  const start = resolve(cwd);
  const known = projects.get(start);
  if (known !== undefined) return known;
  let dir = start;
  let found = start;
  for (;;) {
    if (isProjectRoot(dir)) {
      found = dir;
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  projects.set(start, found);
  return found;
}

function isProjectRoot(dir: string): boolean {
  if (CONFIG_FILES.some((f) => existsSync(join(dir, f)))) return true;
  if (isDir(join(dir, 'profiles'))) return true;
  return existsSync(join(dir, 'package.json'));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The per-user tools folder (k6 may be kept in its bin/, version answers and compiled scenarios
 * are cached there): `$LOADCTL_TOOLS_DIR` (a relative one is anchored to the project, never to
 * wherever the command happens to run), else `$XDG_CACHE_HOME/loadctl` (a relative XDG_CACHE_HOME
 * is ignored, as the XDG spec says), else `~/.cache/loadctl`. Decided once, by the CLI.
 */
export function toolsCacheDir(env: NodeJS.ProcessEnv, cwd: string): string {
  if (env.LOADCTL_TOOLS_DIR) return isAbsolute(env.LOADCTL_TOOLS_DIR) ? env.LOADCTL_TOOLS_DIR : resolve(projectRoot(cwd), env.LOADCTL_TOOLS_DIR);
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(xdg, 'loadctl');
}
