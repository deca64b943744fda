// `loadctl compare <run…> <other-run|baseline-file|baseline>`: a thin door to the offline judge.

import { comparePipeline, type CompareOptions } from '../../pipeline/compare.js';
import { comparisonJson, renderComparison } from '../../report/views/compare.js';
import { out } from '../../util/output.js';

export async function compareCommand(o: CompareOptions & { json?: boolean }): Promise<number> {
  const c = await comparePipeline(o);
  out(o.json ? comparisonJson(c) : renderComparison(c));
  return c.exitCode;
}
