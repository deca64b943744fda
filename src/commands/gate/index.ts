// `loadctl gate <scenario> -t <candidate> [--against <reference>]`: a thin door to the gate pipeline.

import { gatePipeline, type GateOptions } from '../../pipeline/gate.js';
import { printOutcome } from '../print.js';

export type { GateOptions };

export async function gateCommand(o: GateOptions): Promise<number> {
  return printOutcome(await gatePipeline(o));
}
