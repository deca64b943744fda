// The k6 side of loadctl: a scenario file only declares its `shape`; this turns the resolved Plan
// (JSON in __ENV.LOADCTL_PLAN) into k6 options and runs the workload each iteration.
// Must stay importable in Node with k6 modules stubbed: the planner evaluates scenario files to
// read `shape`, where __ENV is absent, so nothing here touches k6 unless a plan is present.

import { check, sleep } from 'k6';
import http from 'k6/http';
import type { Response } from 'k6/http';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import type { K6Plan as Plan, Phase } from './types.ts';
import { compileWorkload, render } from './workload.ts';
import type { CompiledStep, CompiledWorkload, Entry } from './workload.ts';

export type { ShapeSpec, ShapeStage } from './types.ts';

// Only the tags loadctl aggregates on (names as in `k6 run --help`): each dropped tag shrinks
// every sample in the output stream. `phase` is ours and is not a system tag.
const SYSTEM_TAGS = ['name', 'status', 'error_code'];

function env(): Record<string, string | undefined> {
  return typeof __ENV === 'undefined' || __ENV === null ? {} : __ENV;
}

function readPlan(): Plan | null {
  // `loadctl build --target` bakes a plan into the bundle for running k6 elsewhere; the
  // environment still wins, so one bundle can be re-aimed.
  const baked = (globalThis as { __LOADCTL_BAKED_PLAN__?: string }).__LOADCTL_BAKED_PLAN__;
  const raw = env().LOADCTL_PLAN || baked;
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Plan;
  } catch (e) {
    throw new Error(`loadctl: LOADCTL_PLAN is not valid JSON (${(e as Error).message})`);
  }
}

const plan = readPlan();

export function loadctlOptions(): Options {
  if (plan === null) return {};
  const options: Options = {
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    discardResponseBodies: false, // journeys read captures and poll results from bodies
    setupTimeout: '30s',
    teardownTimeout: '30s',
    noConnectionReuse: false,
    thresholds: {}, // loadctl judges SLAs itself from the sample stream
    systemTags: SYSTEM_TAGS,
    tags: {},
  };
  if (plan.k6Scenarios) options.scenarios = plan.k6Scenarios;
  if (plan.k6.rps !== undefined) options.rps = plan.k6.rps;
  return options;
}

// Built once per VU at init, so a missing ${NAME} or bad template aborts before any load.
const workload: CompiledWorkload | null =
  plan === null ? null : compileWorkload(plan.workload, env().BASE_URL || plan.target.baseUrl, env());
const phases: Phase[] = plan === null ? [] : [...plan.phases].sort((a, b) => a.startMs - b.startMs);
let phaseCursor = 0;

/** The phase the test is in now; before the first window its name, after the last the last's. */
function currentPhase(): string {
  if (phases.length === 0) return 'run';
  const t = exec.instance.currentTestRunDuration;
  // Time only moves forward within a VU, so resume the scan where the last call stopped.
  while (phaseCursor + 1 < phases.length && t >= phases[phaseCursor + 1]!.startMs) phaseCursor++;
  return phases[phaseCursor]!.name;
}

const escapeJson = (v: string) => JSON.stringify(v).slice(1, -1);
type Vars = Record<string, string>;
const NO_VARS: Vars = {};

function send(s: CompiledStep, vars: Vars): Response {
  s.params.tags.phase = currentPhase();
  const url = render(s.url, vars, encodeURIComponent);
  const body = s.body === null ? null : render(s.body, vars, s.jsonBody ? escapeJson : null);
  let params = s.params;
  if (s.headerTemplates !== null) {
    const headers = { ...s.params.headers };
    for (const [k, t] of s.headerTemplates) headers[k] = render(t, vars, null);
    params = { ...s.params, headers };
  }
  return http.request(s.method, url, body, params);
}

function jsonAt(res: Response, path: string): unknown {
  try {
    return res.json(path);
  } catch {
    return undefined; // not JSON: treated like a missing value
  }
}

function matches(v: unknown, want: string | number | boolean): boolean {
  // Loose on type: a YAML `equals: 3` should match the JSON string "3" and vice versa.
  return v === want || (v !== undefined && v !== null && String(v) === String(want));
}

/** One journey step; false means the journey stops for this iteration. */
function runStep(s: CompiledStep, vars: Vars): boolean {
  let res: Response;
  for (let polls = 1; ; polls++) {
    res = send(s, vars);
    if (!check(res, s.checks)) return false;
    if (s.until === null || matches(jsonAt(res, s.until.path), s.until.equals)) break;
    if (polls >= s.maxPolls) {
      check(res, s.untilFailed);
      return false;
    }
    sleep(s.pollS);
  }
  if (s.capture !== null) {
    for (const [name, path] of s.capture) {
      const v = jsonAt(res, path);
      if (v === undefined || v === null) {
        check(res, { [`${s.name} capture ${name}`]: () => false });
        return false;
      }
      vars[name] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return true;
}

function pick(w: CompiledWorkload): Entry {
  const r = Math.random() * w.total;
  let lo = 0;
  let hi = w.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (w.cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return w.entries[lo]!;
}

/** The VU iteration: one weighted request or journey, then the think time. */
export function runWorkload(): void {
  if (workload === null) {
    exec.test.abort('loadctl: LOADCTL_PLAN is not set; run this scenario with `loadctl run`');
    return;
  }
  const entry = pick(workload);
  if (entry.request !== null) {
    check(send(entry.request, NO_VARS), entry.request.checks);
  } else {
    const vars: Vars = {};
    for (const step of entry.journey) if (!runStep(step, vars)) break;
  }
  if (workload.thinkS > 0) sleep(workload.thinkS);
}
