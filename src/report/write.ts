// Writes the chosen reports of one run into a folder. Edge module: files, and the chart library
// read from node_modules when html is among them.

import { join } from 'node:path';
import type { RunResult } from '../results/types.js';
import { writeFileAtomic } from '../results/write.js';
import { loadChartAssets } from './assets.js';
import type { HtmlOptions } from './html.js';
import { REPORT_FILES, REPORTERS, type ReportName } from './index.js';

export interface WriteReportsOptions {
  /** Applied to every file's text, e.g. the run's secret redactor. */
  redact?: (text: string) => string;
  html?: HtmlOptions;
}

/** Returns the paths written, in the order of `names`. */
export function writeReports(dir: string, r: RunResult, names: ReportName[], o: WriteReportsOptions = {}): string[] {
  const ctx = { ...(names.includes('html') ? { assets: loadChartAssets() } : {}), ...(o.html ? { html: o.html } : {}) };
  const redact = o.redact ?? ((s: string) => s);
  return names.map((name) => {
    const file = join(dir, REPORT_FILES[name]);
    writeFileAtomic(file, redact(REPORTERS[name](r, ctx)));
    return file;
  });
}
