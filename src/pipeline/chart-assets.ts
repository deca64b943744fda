// Reads the chart library's browser build from node_modules, to be inlined into report.html.
// Edge module: the renderers stay pure and receive this text as data.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { RuntimeError } from '../util/errors.js';
import type { ChartAssets } from '../report/html.js';

let cached: Required<ChartAssets> | undefined;

export function loadChartAssets(): Required<ChartAssets> {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const read = (spec: string) => {
    try {
      return readFileSync(require.resolve(spec), 'utf8');
    } catch (e) {
      throw new RuntimeError(`cannot read ${spec} for report.html: ${(e as Error).message}`, 'reinstall loadctl (npm ci) so its uplot dependency is present');
    }
  };
  cached = { chartJs: read('uplot/dist/uPlot.iife.min.js'), chartCss: read('uplot/dist/uPlot.min.css') };
  return cached;
}
