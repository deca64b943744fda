// The one reader of a finished run's result.json (a run folder or the file itself), validated
// against the published schema. Errors name the file and the JSON pointer.

import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { ConfigError, UsageError } from '../util/errors.js';
import type { RunResult } from './types.js';
import { resultProblems } from './validate.js';

export async function readRunResult(path: string, cwd = process.cwd()): Promise<{ file: string; result: RunResult }> {
  const abs = resolve(cwd, path);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new UsageError(`${path}: no such file or folder`, 'pass a run folder (reports/<run-id>) or its result.json');
  const file = info.isDirectory() ? join(abs, 'result.json') : abs;
  const shown = relative(cwd, file).startsWith('..') ? file : relative(cwd, file);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`${shown}: ${e.code === 'ENOENT' ? 'not found' : e.message}`, 'pass a run folder written by `loadctl run` (it holds result.json)');
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(shown, '', `is not valid JSON: ${(e as Error).message}`, 'rerun the test to produce a complete result.json');
  }
  const problems = resultProblems(data);
  if (problems.length > 0) {
    const [pointer, ...rest] = problems[0]!.split(': ');
    const others = problems.slice(1, 3).map((p) => `; ${p}`).join('');
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    throw new ConfigError(shown, pointer ?? '', `${rest.join(': ')}${others}${more} (not a result.json of this loadctl version?)`, 'pass the result.json of a loadctl run, or re-run to regenerate it');
  }
  return { file, result: data as RunResult };
}
