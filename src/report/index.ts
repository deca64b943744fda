// Renderers as a name → function map: each turns a RunResult into text. The file reports (json,
// md, junit, html) and the two that go to the terminal (console, github annotations). Pure.

import { UsageError } from '../util/errors.js';
import type { RunResult } from '../results/types.js';
import { renderConsole } from './console.js';
import { githubAnnotations } from './github.js';
import { renderHtml, type ChartAssets, type HtmlOptions } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { plain, type Paint } from './paint.js';

export type ReportName = 'json' | 'md' | 'junit' | 'html';
export type RendererName = ReportName | 'console' | 'github';

export const REPORT_FILES: Record<ReportName, string> = {
  json: 'result.json',
  md: 'report.md',
  junit: 'junit.xml',
  html: 'report.html',
};

export const REPORT_NAMES = Object.keys(REPORT_FILES) as ReportName[];

export interface RenderContext {
  assets?: ChartAssets; // required by html only
  html?: HtmlOptions;
  paint?: Paint; // console only; plain text without it
  runDir?: string; // console only: where the files are
}

export type Renderer = (r: RunResult, ctx: RenderContext) => string;

export const RENDERERS: Record<RendererName, Renderer> = {
  json: (r) => JSON.stringify(r, null, 2) + '\n',
  md: (r) => renderMarkdown(r),
  junit: (r) => renderJunit(r),
  html: (r, ctx) => {
    if (!ctx.assets) throw new Error('the html report needs the chart assets (loadChartAssets())');
    return renderHtml(r, ctx.assets, ctx.html);
  },
  console: (r, ctx) => renderConsole(r, ctx.paint ?? plain, ctx.runDir),
  github: (r) => githubAnnotations(r).join('\n'),
};

/** "html,md" → ['html', 'md']: trimmed, deduplicated, in the order given. */
export function parseReportList(list: string): ReportName[] {
  const names = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = names.filter((n) => !(n in REPORT_FILES));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown report ${unknown.map((n) => `"${n}"`).join(', ')} in --report ${JSON.stringify(list)}`,
      `choose from: ${REPORT_NAMES.join(', ')} (comma-separated, e.g. --report html,md)`,
    );
  }
  if (names.length === 0) throw new UsageError('--report names no report', `choose from: ${REPORT_NAMES.join(', ')}`);
  return names as ReportName[];
}
