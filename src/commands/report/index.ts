// `loadctl report <run-dir|result.json> [--report html,md,junit,json] [--out dir]`: re-renders
// reports from a result.json alone, without k6 or the target.

import { dirname, relative, resolve } from 'node:path';
import { writeReports } from '../../pipeline/report.js';
import { parseReportList, type ReportName } from '../../report/index.js';
import { readRunResult } from '../../results/read.js';

export interface ReportOptions {
  cwd: string;
  input: string; // a run folder or its result.json
  formats?: string; // comma-separated report names
  out?: string; // folder to write to; default: the run folder
}

export async function reportCommand(o: ReportOptions): Promise<string> {
  const { file, result } = await readRunResult(o.input, o.cwd);
  const sourceDir = dirname(file);
  const outDir = o.out ? resolve(o.cwd, o.out) : sourceDir;
  // result.json is the source: rewrite it only when asked, or to make another folder complete.
  const names: ReportName[] = o.formats
    ? parseReportList(o.formats)
    : outDir === sourceDir
      ? ['html', 'md', 'junit']
      : ['html', 'md', 'junit', 'json'];
  const written = await writeReports(outDir, result, names);
  const show = (p: string) => (relative(o.cwd, p).startsWith('..') ? p : relative(o.cwd, p));
  return [`${result.status.toUpperCase()} ${result.runId}: wrote ${written.length} report${written.length === 1 ? '' : 's'}`, ...written.map((p) => `  ${show(p)}`)].join('\n');
}
