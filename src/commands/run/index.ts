// `loadctl run <scenario|file> --target <profile>`: a thin door to the run pipeline.

import { runPipeline, type RunOptions } from '../../pipeline/run.js';
import { printOutcome } from '../print.js';

export type { RunOptions };

export async function runCommand(o: RunOptions): Promise<number> {
  return printOutcome(await runPipeline(o));
}
