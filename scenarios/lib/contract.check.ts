// Compile-time check, never bundled: the k6 side's view of the contract (types.ts) matches
// loadctl's own types. `npm run build` type-checks it; a drift fails the build.
import type * as Config from '../../src/config/types.js';
import type * as PlanTypes from '../../src/plan/types.js';
import type * as Results from '../../src/results/types.js';
import type * as Lib from './types.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const contract: [
  Same<Lib.ShapeStage, PlanTypes.ShapeStage>,
  Same<Lib.ShapeSpec, PlanTypes.ShapeSpec>,
  Same<Lib.Workload, Config.Workload>,
  Same<Lib.RequestSpec, Config.RequestSpec>,
  Same<Lib.StepSpec, Config.StepSpec>,
  Same<Lib.JourneySpec, Config.JourneySpec>,
  Same<Lib.Phase, Results.Phase>,
] = [true, true, true, true, true, true, true];

/** Every plan loadctl makes is one the k6 side can read. */
export const readable = (plan: PlanTypes.Plan): Lib.K6Plan => plan;
