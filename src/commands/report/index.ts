// `loadctl report <run-dir|result.json> [--report html,md,junit,json] [--out dir]`: re-renders
// reports from a result.json alone, without k6 or the target.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { parseReportList, type ReportName } from '../../report/index.js';
import { writeReports } from '../../report/write.js';
import type { RunResult } from '../../results/types.js';
import { resultProblems } from '../../results/validate.js';

export interface ReportOptions {
  cwd: string;
  input: string; // a run folder or its result.json
  formats?: string; // comma-separated report names
  out?: string; // folder to write to; default: the run folder
}

export async function reportCommand(o: ReportOptions): Promise<string> {
  const file = resultFile(resolve(o.cwd, o.input));
  const result = readResult(file, o.cwd);
  const sourceDir = dirname(file);
  const outDir = o.out ? resolve(o.cwd, o.out) : sourceDir;
  // result.json is the source: rewrite it only when asked, or to make another folder complete.
  const names: ReportName[] = o.formats
    ? parseReportList(o.formats)
    : outDir === sourceDir
      ? ['html', 'md', 'junit']
      : ['html', 'md', 'junit', 'json'];
  const written = writeReports(outDir, result, names);
  const show = (p: string) => (relative(o.cwd, p).startsWith('..') ? p : relative(o.cwd, p));
  return [`${result.status.toUpperCase()} ${result.runId}: wrote ${written.length} report${written.length === 1 ? '' : 's'}`, ...written.map((p) => `  ${show(p)}`)].join('\n');
}

function resultFile(path: string): string {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`, 'pass a run folder (reports/<run-id>) or its result.json');
  if (!statSync(path).isDirectory()) return path;
  const file = join(path, 'result.json');
  if (!existsSync(file)) throw new UsageError(`${file}: not found`, 'pass a run folder written by `loadctl run` (it holds result.json)');
  return file;
}

function readResult(file: string, cwd: string): RunResult {
  const name = relative(cwd, file).startsWith('..') ? file : relative(cwd, file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${name}: not valid JSON: ${(e as Error).message}`, 'pass a result.json written by `loadctl run`');
  }
  const problems = resultProblems(data);
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    throw new UsageError(`${name}: ${problems.slice(0, 3).join('; ')}${more}`, 'is it a result.json from this loadctl version? re-run to regenerate it');
  }
  return data as RunResult;
}
