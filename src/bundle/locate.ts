// Finds what `loadctl run <name|file>` names: a scenario by name or a script file. Names come from
// the project's scenarios/ first, then loadctl's built-in ones: a user's file adds a scenario, or
// replaces the built-in one of the same name.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { packageRoot, projectRoot } from '../util/roots.js';
import { UsageError } from '../util/errors.js';

const EXTS = ['.ts', '.js', '.mjs'];

export interface ScenarioRef {
  name: string;
  file: string; // absolute
  display: string; // relative to cwd
  /** Shipped with loadctl (not in the user's project). */
  builtin?: boolean;
}

/** The project's scenarios/ folder (where a user's own scenarios live). */
export function scenarioDir(cwd: string): string {
  return join(projectRoot(cwd), 'scenarios');
}

function scenariosIn(dir: string, cwd: string, builtin: boolean): ScenarioRef[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => EXTS.includes(extname(f)) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => ({ name: basename(f, extname(f)), file: join(dir, f), display: shown(cwd, join(dir, f)), ...(builtin ? { builtin } : {}) }));
}

/** The project's scenarios, then the built-in ones it does not override, sorted by name. */
export function listScenarioFiles(cwd: string): ScenarioRef[] {
  const own = scenariosIn(scenarioDir(cwd), cwd, false);
  const builtinDir = join(packageRoot(), 'scenarios');
  if (resolve(builtinDir) === resolve(scenarioDir(cwd))) return own;
  const names = new Set(own.map((s) => s.name));
  const builtin = scenariosIn(builtinDir, cwd, true).filter((s) => !names.has(s.name));
  // Code-point order: localeCompare would set up ICU's collator, ~40 ms before k6 can start.
  return [...own, ...builtin].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function shown(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || EXTS.includes(extname(ref));
}

export function locateScenario(ref: string, cwd: string): ScenarioRef {
  if (looksLikePath(ref)) {
    const file = resolve(cwd, ref);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new UsageError(`script file not found: ${ref}`, 'check the path, or name a scenario from `loadctl list`');
    }
    return { name: basename(file, extname(file)), file, display: shown(cwd, file) };
  }
  const all = listScenarioFiles(cwd);
  const hit = all.find((s) => s.name === ref);
  if (hit) return hit;
  const names = all.map((s) => s.name);
  const near = names.find((n) => n.startsWith(ref.slice(0, 3)) || ref.startsWith(n.slice(0, 3)));
  throw new UsageError(
    `unknown scenario "${ref}"${near ? ` (did you mean "${near}"?)` : ''}; scenarios: ${names.join(', ') || 'none'}`,
    'run `loadctl list` to see them, or pass a path to a k6 script',
  );
}
