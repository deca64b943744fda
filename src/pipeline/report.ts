// The report stage's edge: renders the chosen reports of one run (pure renderers, report/) and
// writes them into the run folder, each atomically. A folder that cannot take them (a full disk, no
// permission) is one clear RuntimeError naming the folder and the cause; no temp file stays.

import { join } from 'node:path';
import { RuntimeError } from '../util/errors.js';
import type { HtmlOptions } from '../report/html.js';
import { REPORT_FILES, RENDERERS, type ReportName } from '../report/index.js';
import type { RunResult } from '../results/types.js';
import { writeFileAtomic } from '../util/atomic.js';
import { loadChartAssets } from './chart-assets.js';

export interface WriteReportsOptions {
  /** Applied to every file's text, e.g. the run's secret redactor. */
  redact?: (text: string) => string;
  html?: HtmlOptions;
}

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file stands where the folder should be',
};

/** Returns the paths written, in the order of `names`. */
export async function writeReports(dir: string, r: RunResult, names: ReportName[], o: WriteReportsOptions = {}): Promise<string[]> {
  const ctx = { ...(names.includes('html') ? { assets: loadChartAssets() } : {}), ...(o.html ? { html: o.html } : {}) };
  const redact = o.redact ?? ((s: string) => s);
  const files = names.map((name) => ({ file: join(dir, REPORT_FILES[name]), text: redact(RENDERERS[name](r, ctx)) }));
  for (const { file, text } of files) {
    try {
      await writeFileAtomic(file, text);
    } catch (e) {
      throw reportWriteError(dir, e);
    }
  }
  return files.map((f) => f.file);
}

export function reportWriteError(dir: string, e: unknown): RuntimeError {
  const code = (e as NodeJS.ErrnoException).code;
  const cause = code ? `${CAUSES[code] ?? (e as Error).message} (${code})` : (e as Error).message;
  return new RuntimeError(`could not write the reports to ${dir}: ${cause}`, 'free some space or choose a writable folder with --out, then re-run; the verdict above stands');
}
