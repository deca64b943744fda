// Finds what `loadctl run <name|file>` names: a scenario in scenarios/ (by name) or a script file.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';

const EXTS = ['.ts', '.js', '.mjs'];

export interface ScenarioRef {
  name: string;
  file: string; // absolute
  display: string; // relative to cwd
}

export function scenarioDir(cwd: string): string {
  return join(cwd, 'scenarios');
}

export function listScenarioFiles(cwd: string): ScenarioRef[] {
  const dir = scenarioDir(cwd);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => EXTS.includes(extname(f)) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => ({ name: basename(f, extname(f)), file: join(dir, f), display: join('scenarios', f) }));
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
    return { name: basename(file, extname(file)), file, display: relative(cwd, file) || file };
  }
  const all = listScenarioFiles(cwd);
  const hit = all.find((s) => s.name === ref);
  if (hit) return hit;
  const names = all.map((s) => s.name);
  const near = names.find((n) => n.startsWith(ref.slice(0, 3)) || ref.startsWith(n.slice(0, 3)));
  throw new UsageError(
    `unknown scenario "${ref}"${near ? ` (did you mean "${near}"?)` : ''}; scenarios: ${names.join(', ') || 'none in scenarios/'}`,
    'run `loadctl list` to see them, or pass a path to a k6 script',
  );
}
