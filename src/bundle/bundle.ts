// Bundles a scenario (with scenarios/lib and npm imports) into one ES module for k6. `k6`, `k6/*`
// and remote imports stay external: k6 provides them. Output is cached by content hash, so an
// unchanged scenario is one file on disk whatever the target.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BuildOptions, Metafile } from 'esbuild';
import { writeFileAtomic } from '../util/atomic.js';
import { cachedCode, storeCode } from './compile-cache.js';
import { compileError } from './esbuild-errors.js';
import { loadctlLib } from './package-alias.js';

export const K6_EXTERNALS = ['k6', 'k6/*', 'https://*', 'http://*'];

/** What every scenario build shares: one file in memory, for k6's JavaScript runtime. */
export const SCENARIO_BUILD = {
  bundle: true,
  write: false,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2020',
  logLevel: 'silent',
} as const;

export interface Bundle {
  file: string;
  hash: string;
  code: string;
}

/** The files a build read, as absolute paths (stubbed and external modules left out). */
export function inputFiles(meta: Metafile, cwd: string): string[] {
  return Object.keys(meta.inputs)
    .filter((p) => !/^[\w-]+:/.test(p))
    .map((p) => resolve(cwd, p));
}

/**
 * Compiles a scenario with SCENARIO_BUILD plus `extra`, or returns the code cached from an earlier
 * compile whose input files are all unchanged (see compile-cache.ts).
 */
export async function compileCached(entry: string, cwd: string, format: 'esm' | 'cjs', extra: Pick<BuildOptions, 'external' | 'plugins'>, toolsDir?: string): Promise<string> {
  const cached = cachedCode(entry, format, cwd, toolsDir);
  if (cached !== null) return cached;
  // Loaded only on a cache miss: importing esbuild and starting its service is most of a build's cost.
  const { build } = await import('esbuild');
  try {
    const out = await build({
      ...SCENARIO_BUILD,
      mainFields: [...SCENARIO_BUILD.mainFields],
      ...extra,
      entryPoints: [entry],
      format,
      legalComments: 'none',
      absWorkingDir: cwd,
      metafile: true,
    });
    const code = out.outputFiles[0]!.text;
    storeCode(entry, format, cwd, code, inputFiles(out.metafile, cwd), toolsDir);
    return code;
  } catch (e) {
    compileError(e, cwd, entry);
  }
}

/** `toolsDir`: the per-user tools folder the compile cache lives in (none: no cache). */
export function bundleCode(entry: string, cwd: string, toolsDir?: string): Promise<string> {
  return compileCached(entry, cwd, 'esm', { external: K6_EXTERNALS, plugins: [loadctlLib] }, toolsDir);
}

/** Bundles `entry` into `<cacheDir>/<name>.<hash>.js`, reusing the file when it already exists. */
export async function bundleScenario(entry: string, name: string, cwd: string, cacheDir: string, toolsDir?: string): Promise<Bundle> {
  const code = await bundleCode(entry, cwd, toolsDir);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(cacheDir, `${name}.${hash}.js`);
  if (!existsSync(file)) await writeFileAtomic(file, code);
  return { file, hash, code };
}
