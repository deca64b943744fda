// Turns plan.workload into ready-to-send objects once per VU (k6 runs init code per VU), so the
// iteration itself only picks an entry, fills in the phase tag and sends: no parsing, merging or
// JSON encoding per request unless a journey template needs it.

import http from 'k6/http';
import type { Params, Response } from 'k6/http';
import type { JourneySpec, RequestSpec, StepSpec, Workload } from './types.ts';

/** A string with {{var}} holes: parts[i] + vars[keys[i]] + parts[i+1] ... */
export interface Template {
  parts: string[];
  keys: string[];
}
export type Text = string | Template;

export interface CompiledStep {
  name: string;
  method: string;
  url: Text; // base URL already joined
  body: Text | null;
  jsonBody: boolean; // holes in a JSON body are filled JSON-escaped
  headerTemplates: [string, Template][] | null; // only journeys with {{var}} in a header
  // Reused for every request of this step: the VU is single-threaded and k6 reads params
  // synchronously, so mutating tags.phase in place saves an allocation per request.
  params: Params & { tags: { name: string; phase: string }; headers: Record<string, string> };
  checks: Record<string, (r: Response) => boolean>;
  capture: [string, string][] | null;
  until: { path: string; equals: string | number | boolean } | null;
  untilFailed: Record<string, () => boolean>;
  pollS: number;
  maxPolls: number;
}

export type Entry = { request: CompiledStep; journey: null } | { request: null; journey: CompiledStep[] };

export interface CompiledWorkload {
  entries: Entry[];
  cumulative: number[]; // running weight totals, for a binary search per iteration
  total: number;
  thinkS: number;
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const HOLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Replaces ${NAME} in every string, once. Errors name the variable, never a value. */
export function resolveEnv<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) throw new Error(`loadctl: the workload references \${${name}}, which is not set`);
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveEnv(v, env)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveEnv(v, env);
    return out as T;
  }
  return value;
}

export function compileText(s: string): Text {
  const parts: string[] = [];
  const keys: string[] = [];
  let last = 0;
  for (const m of s.matchAll(HOLE)) {
    parts.push(s.slice(last, m.index));
    keys.push(m[1]!);
    last = (m.index ?? 0) + m[0].length;
  }
  if (keys.length === 0) return s;
  parts.push(s.slice(last));
  return { parts, keys };
}

export function render(t: Text, vars: Record<string, string>, escape: ((v: string) => string) | null): string {
  if (typeof t === 'string') return t;
  let out = t.parts[0]!;
  for (let i = 0; i < t.keys.length; i++) {
    const v = vars[t.keys[i]!] ?? '';
    out += (escape ? escape(v) : v) + t.parts[i + 1];
  }
  return out;
}

function holes(t: Text | null): string[] {
  return t === null || typeof t === 'string' ? [] : t.keys;
}

function statusCheck(expect: number | number[] | undefined): (r: Response) => boolean {
  if (expect === undefined) return (r) => r.status >= 200 && r.status < 400; // k6's own default
  const ok = Array.isArray(expect) ? expect : [expect];
  return (r) => ok.includes(r.status);
}

function compileStep(spec: StepSpec, base: string, common: Record<string, string>, where: string): CompiledStep {
  const headers: Record<string, string> = { ...common, ...spec.headers };
  let body: Text | null = null;
  let jsonBody = false;
  if (typeof spec.body === 'string') body = compileText(spec.body);
  else if (spec.body !== undefined) {
    body = compileText(JSON.stringify(spec.body));
    jsonBody = true;
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  let headerTemplates: [string, Template][] | null = null;
  for (const [k, v] of Object.entries(headers)) {
    const t = compileText(v);
    if (typeof t !== 'string') (headerTemplates ??= []).push([k, t]);
  }
  const params: CompiledStep['params'] = { headers, tags: { name: spec.name, phase: '' } };
  if (spec.expect !== undefined) {
    params.responseCallback = http.expectedStatuses(...(Array.isArray(spec.expect) ? spec.expect : [spec.expect]));
  }
  const step: CompiledStep = {
    name: spec.name,
    method: spec.method ?? 'GET',
    url: compileText(base + spec.path),
    body,
    jsonBody,
    headerTemplates,
    params,
    checks: { [`${spec.name} status`]: statusCheck(spec.expect) },
    capture: spec.capture ? Object.entries(spec.capture) : null,
    until: spec.until ?? null,
    untilFailed: { [`${spec.name} until ${spec.until?.path}`]: () => false },
    pollS: (spec.pollIntervalMs ?? 200) / 1000,
    maxPolls: Math.max(1, spec.maxPolls ?? 50),
  };
  const used = [...holes(step.url), ...holes(step.body), ...(headerTemplates ?? []).flatMap(([, t]) => t.keys)];
  if (used.length > 0 && where === '') {
    throw new Error(`loadctl: request "${spec.name}" uses {{${used[0]}}}, but only journey steps can fill placeholders`);
  }
  return step;
}

function compileJourney(j: JourneySpec, base: string, common: Record<string, string>): CompiledStep[] {
  const known = new Set<string>();
  return j.steps.map((s) => {
    const step = compileStep(s, base, common, j.name);
    const used = [...holes(step.url), ...holes(step.body), ...(step.headerTemplates ?? []).flatMap(([, t]) => t.keys)];
    // Caught at init, so a typo fails the run before any load instead of sending "/jobs/" forever.
    const missing = used.find((k) => !known.has(k));
    if (missing) throw new Error(`loadctl: journey "${j.name}" step "${s.name}" uses {{${missing}}} before any step captures it`);
    for (const [k] of step.capture ?? []) known.add(k);
    return step;
  });
}

export function compileWorkload(raw: Workload, baseUrl: string, env: Record<string, string | undefined>): CompiledWorkload {
  const w = resolveEnv(raw, env);
  const base = baseUrl.replace(/\/+$/, '');
  const common = w.headers ?? {};
  const entries: Entry[] = [];
  const cumulative: number[] = [];
  let total = 0;
  const add = (weight: number | undefined, entry: Entry) => {
    const wt = weight ?? 1;
    if (!(wt > 0)) return; // weight 0 switches an entry off without deleting it
    total += wt;
    entries.push(entry);
    cumulative.push(total);
  };
  for (const r of w.requests ?? []) add(r.weight, { request: compileStep(r as RequestSpec, base, common, ''), journey: null });
  for (const j of w.journeys ?? []) add(j.weight, { request: null, journey: compileJourney(j, base, common) });
  if (total === 0) throw new Error('loadctl: the workload has no request or journey with a weight above 0');
  return { entries, cumulative, total, thinkS: (w.thinkTimeMs ?? 0) / 1000 };
}
