// The Plan: everything one run needs, resolved up front, serialisable, free of secrets.
// It reaches the k6 script as JSON in the LOADCTL_PLAN environment variable, so one bundle per
// scenario serves every target. Pure types: also imported (type-only) by scenarios/lib.

import type { BaselinePolicy, DemoSettings, ProbeSettings, Safety, Sla, StartSettings, Workload } from '../config/types.js';
import type { ChaosPlan } from '../chaos/types.js';
import type { Phase } from '../results/types.js';
import type { ScriptThreshold } from '../thresholds/types.js';

/** How a scenario describes its load shape (the `shape` export of scenarios/<name>.ts). */
export interface ShapeSpec<P extends Record<string, number> = Record<string, number>> {
  summary: string; // one line: what the shape stands for
  model: 'vus' | 'arrival'; // closed model (VUs) or open model (iterations per second)
  params: P; // defaults; profiles (`scenarios.<name>`) and --set override them
  stages: (params: P) => ShapeStage[];
}

export interface ShapeStage {
  phase: string; // consecutive stages with one phase form one phase window
  duration: string | number; // "30s", "5m", "1h" or milliseconds
  target: number; // VUs (model vus) or iterations/s (model arrival), before scaling
}

/** A stage after scaling and duration overrides. */
export interface PlannedStage {
  phase: string;
  durationMs: number;
  target: number;
}

export interface K6RampingVus {
  executor: 'ramping-vus';
  startVUs: number;
  stages: { duration: string; target: number }[];
  gracefulRampDown: string;
  gracefulStop: string;
  exec: string;
}

export interface K6RampingArrival {
  executor: 'ramping-arrival-rate';
  startRate: number;
  timeUnit: string;
  preAllocatedVUs: number;
  maxVUs: number;
  stages: { duration: string; target: number }[];
  gracefulStop: string;
  exec: string;
}

export type K6Scenario = K6RampingVus | K6RampingArrival;

export interface PlannedShape {
  model: 'vus' | 'arrival';
  params: Record<string, number>;
  scale: number;
  startTarget: number;
  stages: PlannedStage[];
  peak: number; // highest VUs (vus) or iterations/s (arrival)
}

export interface PlanTarget {
  name: string; // profile name, or the URL for an ad-hoc target
  profileFile: string | null;
  baseUrl: string; // for a demo target: filled in once the demo has started
  managed: 'demo' | 'start' | 'none';
  demo?: DemoSettings;
  start?: StartSettings;
}

export interface Plan {
  planVersion: 1;
  scenario: {
    name: string;
    file: string; // path of the scenario or script, relative to cwd
    kind: 'scenario' | 'script'; // a loadctl scenario (shape + workload) or a plain k6 script
    summary: string;
  };
  target: PlanTarget;
  shape: PlannedShape | null; // null for plain scripts (their own options rule)
  k6Scenarios: Record<string, K6Scenario> | null;
  phases: Phase[];
  durationMs: number | null; // planned load duration; null when a plain script decides
  workload: Workload; // ${ENV} references left unresolved
  envRefs: string[]; // env vars the run reads (presence checked, values never stored)
  sla: Sla;
  safety: Safety;
  baseline: BaselinePolicy; // how runs are judged against the stored pool (not part of the plan hash)
  overrides: { vus?: number; rate?: number; durationMs?: number }; // from flags
  k6: { rps?: number };
  bucketMs: number; // time-series bucket: 1 s, wider on runs over an hour (see plan.ts)
  metricTags: string[]; // tags every k6 metric is split by (not part of the plan hash)
  chaos?: ChaosPlan; // the fault timeline; absent when the run injects nothing
  probes?: ProbeSettings[]; // ${ENV} references left unresolved (probes/settings.ts resolves URLs)
  /** A plain script's thresholds, judged by loadctl (k6 runs with --no-thresholds); see src/thresholds. */
  thresholds?: ScriptThreshold[];
  outputs?: PlannedOutput[]; // k6 outputs next to loadctl's own; absent when there are none
  /** Several k6 processes sharing the load by execution segments (src/distributed); absent for one local k6. */
  distribution?: Distribution;
}

export interface Distribution {
  executor: 'local' | 'k8s' | 'k6-operator'; // k6 processes on this machine, stock k6 runner Jobs, or k6-operator's TestRun
  instances: number;
}

/** A k6 output of the run (k6/outputs.ts builds it from the profile's `outputs` and --k6-out). */
export interface PlannedOutput {
  type: string; // k6's output name
  from: string; // where it was asked for: "/outputs/0" in the profile, or "--k6-out <spec>"
  arg?: string; // what follows `type=` in k6's --out
  /** k6's settings for it; values may hold ${NAME} references, resolved only when k6 starts. */
  env: Record<string, string>;
}
