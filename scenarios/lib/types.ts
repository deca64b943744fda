import type { Scenario } from 'k6/options';

// The contract between loadctl's planner and the k6 side, as the k6 side sees it: the scenario
// shape a file declares, and the part of the plan (LOADCTL_PLAN) a VU reads. Self-contained, so a
// project that copies scenarios/ type-checks without loadctl's sources; contract.check.ts (run by
// `npm run build`) keeps it identical to src/plan/types.ts and src/config/types.ts.

export interface ShapeStage {
  phase: string; // consecutive stages with one phase form one phase window
  duration: string | number; // "30s", "5m", "1h" or milliseconds
  target: number; // VUs (model vus) or iterations/s (model arrival), before scaling
}

export interface ShapeSpec<P extends Record<string, number> = Record<string, number>> {
  summary: string; // one line: what the shape stands for
  model: 'vus' | 'arrival'; // closed model (VUs) or open model (iterations per second)
  params: P; // defaults; profiles (`scenarios.<name>`) and --set override them
  stages: (params: P) => ShapeStage[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface RequestSpec {
  name: string;
  method?: HttpMethod;
  path: string;
  headers?: Record<string, string>;
  body?: string | Record<string, unknown> | unknown[];
  expect?: number | number[];
  weight?: number;
}

export interface StepSpec extends Omit<RequestSpec, 'weight'> {
  capture?: Record<string, string>;
  until?: { path: string; equals: string | number | boolean };
  pollIntervalMs?: number;
  maxPolls?: number;
}

export interface JourneySpec {
  name: string;
  weight?: number;
  steps: StepSpec[];
}

export interface Workload {
  thinkTimeMs?: number;
  headers?: Record<string, string>;
  requests?: RequestSpec[];
  journeys?: JourneySpec[];
}

export interface Phase {
  name: string;
  startMs: number;
  endMs: number;
}

/** What a VU reads of the plan. */
export interface K6Plan {
  k6Scenarios: Record<string, Scenario> | null; // k6 executor configs, resolved by the planner
  k6: { rps?: number };
  workload: Workload;
  target: { baseUrl: string };
  phases: Phase[];
}
