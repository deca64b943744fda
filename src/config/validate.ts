// Profile validation: the JSON Schema first (shape, types, unknown keys), then the rules a schema
// cannot say (cross-field). Pure: data in, a typed Profile or one ConfigError out. Each error
// names the place as a JSON pointer, shows the offending value and says how to fix it.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validatorFor, type ValidatorSpec } from '../util/validator.js';
import { ConfigError } from '../util/errors.js';
import { findMalformedEnvRef, toPointer } from './env.js';
import { NAME_PATTERN, PATH_PATTERN, VAR_PATTERN, profileSchema } from './schema.js';
import { scalingSettingsProblem } from '../probes/settings.js';
import { outputsProblem } from './schema-outputs.js';
import type { Profile } from './types.js';
import { closestName } from '../util/closest.js';
export { closestName };
import { parseMetricLimits } from '../judge/sla/metric-sla.js';

export interface ValidateOptions {
  /** Pointers written by --set; errors at or under them say so. */
  fromSet?: readonly string[];
}

// verbose: errors carry the offending data and parent schema (allowed keys, descriptions).
// logger: false because strict-mode warnings would otherwise go to the console.
export const PROFILE_VALIDATOR: ValidatorSpec = { name: 'profile', schema: profileSchema, options: { verbose: true, allowUnionTypes: true, logger: false } };

function validator(): ValidateFunction {
  return validatorFor(PROFILE_VALIDATOR);
}

export function validateProfile(data: unknown, file: string, opts: ValidateOptions = {}): Profile {
  const fail = (pointer: string, at: string, detail: string, hint?: string): never => {
    const fromSet = opts.fromSet?.some((p) => at === p || at.startsWith(`${p}/`));
    throw new ConfigError(file, pointer, fromSet ? `${detail} (from --set)` : detail, hint);
  };
  const validate = validator();
  if (!validate(data)) {
    const error = validate.errors?.[0];
    if (!error) return fail('', '', 'does not match the profile schema');
    const e = describe(error);
    return fail(e.pointer, e.at, e.detail, e.hint);
  }
  const profile = data as Profile;
  checkCrossField(profile, fail);
  return profile;
}

/** The value as the user wrote it, shortened so one line stays one line. */
export function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const PATTERN_WORDS: Record<string, string> = {
  [NAME_PATTERN]: 'must use only letters, digits, _, . and - (it becomes a k6 tag)',
  [PATH_PATTERN]: 'must start with "/"',
  [VAR_PATTERN]: 'must use only letters, digits and _, not starting with a digit',
};

interface Described {
  pointer: string; // where the message points
  at: string; // the exact value at fault, to attribute it to --set
  detail: string;
  hint?: string;
}

function describe(e: ErrorObject): Described {
  const pointer = e.instancePath;
  const got = `(got ${show(e.data)})`;
  const schema = (e.parentSchema ?? {}) as { description?: string; properties?: Record<string, { description?: string }> };
  const about = schema.description ? ` (${schema.description})` : '';
  if (e.propertyName !== undefined) {
    const at = `${pointer}${toPointer([e.propertyName])}`;
    const words = PATTERN_WORDS[String(e.params.pattern)] ?? e.message ?? 'is invalid';
    return { pointer, at, detail: `key "${e.propertyName}" ${words}`, hint: `rename "${e.propertyName}"` };
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      const near = closestName(key, allowed);
      return {
        pointer,
        at: `${pointer}${toPointer([key])}`,
        detail: `unknown key "${key}" (allowed: ${allowed.join(', ')})`,
        hint: near ? `did you mean "${near}"?` : `remove "${key}" or use one of the allowed keys`,
      };
    }
    case 'required': {
      const key = String(e.params.missingProperty);
      const what = schema.properties?.[key]?.description;
      return {
        pointer,
        at: `${pointer}${toPointer([key])}`,
        detail: `missing required key "${key}"`,
        hint: `add ${key}${what ? `: ${what}` : ''}`,
      };
    }
    case 'type': {
      const types = String(e.params.type).split(',');
      const want = types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types.at(-1)}` : types[0];
      const hint =
        e.data === null
          ? 'an empty YAML key is null: give it a value or remove the key'
          : `write ${/^[aeiou]/.test(want ?? '') ? 'an' : 'a'} ${want} here${about}`;
      return { pointer, at: pointer, detail: `must be ${want} ${got}`, hint };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const near = typeof e.data === 'string' ? closestName(e.data.toUpperCase(), allowed) : undefined;
      return {
        pointer,
        at: pointer,
        detail: `must be one of ${allowed.join(', ')} ${got}`,
        hint: near ? `did you mean "${near}"?` : `use one of ${allowed.join(', ')}`,
      };
    }
    case 'pattern': {
      const words = PATTERN_WORDS[String(e.params.pattern)] ?? `must match ${String(e.params.pattern)}`;
      return { pointer, at: pointer, detail: `${words} ${got}`, hint: `change the value${about}` };
    }
    case 'minItems': {
      const n = Number(e.params.limit);
      return { pointer, at: pointer, detail: `must have at least ${n} item${n === 1 ? '' : 's'} ${got}`, hint: `add an item${about}` };
    }
    default:
      return { pointer, at: pointer, detail: `${e.message ?? 'is invalid'} ${got}`, hint: `change the value${about}` };
  }
}

type Fail = (pointer: string, at: string, detail: string, hint?: string) => never;

function checkCrossField(p: Profile, fail: Fail): void {
  if (p.demo && p.baseUrl !== undefined) {
    fail('/baseUrl', '/baseUrl', 'cannot be used with demo (loadctl picks the demo target\'s URL)', 'remove baseUrl or demo');
  }
  if (p.demo && p.start) {
    fail('/start', '/start', 'cannot be used with demo (loadctl starts the demo target itself)', 'remove start or demo');
  }
  if (!p.demo && p.baseUrl === undefined) {
    fail('', '/baseUrl', 'missing required key "baseUrl"', 'add baseUrl: https://your-service.example.com, or demo: {} to aim at the built-in demo target');
  }
  // URLs holding ${ENV} are checked once interpolated (see load.ts).
  if (p.baseUrl !== undefined && !p.baseUrl.includes('${')) checkHttpUrl(p.baseUrl, '/baseUrl', fail);
  if (p.start && !p.start.readyUrl.includes('${')) checkHttpUrl(p.start.readyUrl, '/start/readyUrl', fail);

  if (p.sla?.metrics) {
    const parsed = parseMetricLimits(p.sla.metrics);
    if (!Array.isArray(parsed)) fail(parsed.pointer, parsed.pointer, parsed.detail, parsed.hint);
  }

  const w = p.workload;
  if ((w.requests?.length ?? 0) + (w.journeys?.length ?? 0) === 0) {
    fail('/workload', '/workload', 'needs at least one request or journey', 'add workload.requests: [{ name: home, path: / }]');
  }

  // Names become k6 tags: a shared name would merge two endpoints' numbers.
  const seen = new Map<string, string>();
  const claim = (name: string, pointer: string) => {
    const first = seen.get(name);
    if (first) fail(pointer, pointer, `duplicate name "${name}" (already used at ${first})`, 'give every request, journey and step its own name');
    seen.set(name, pointer);
  };
  const endpoints: string[] = [];
  w.requests?.forEach((r, i) => {
    claim(r.name, `/workload/requests/${i}/name`);
    endpoints.push(r.name);
  });
  w.journeys?.forEach((j, i) => {
    claim(j.name, `/workload/journeys/${i}/name`);
    j.steps.forEach((s, k) => {
      claim(s.name, `/workload/journeys/${i}/steps/${k}/name`);
      endpoints.push(s.name);
    });
  });

  for (const name of Object.keys(p.sla?.requests ?? {})) {
    if (endpoints.includes(name)) continue;
    const pointer = `/sla/requests${toPointer([name])}`;
    const near = closestName(name, endpoints);
    fail(
      pointer,
      pointer,
      `no request or step named "${name}" in workload (names: ${endpoints.join(', ')})`,
      near ? `did you mean "${near}"?` : 'use the name of a request or journey step',
    );
  }

  const scaling = scalingSettingsProblem(p);
  if (scaling) fail(scaling.pointer, scaling.pointer, scaling.detail, scaling.hint);
  const output = outputsProblem(p.outputs);
  if (output) fail(output.pointer, output.pointer, output.detail, output.hint);

  const bad = findMalformedEnvRef(p);
  if (bad) {
    fail(
      bad.pointer,
      bad.pointer,
      `malformed environment reference "${bad.text}"`,
      'write ${NAME} with letters, digits and _ (or $${ for a literal ${)',
    );
  }
}

/** For URLs that held ${ENV}: the same check, once interpolated (load.ts). */
export function assertHttpUrl(file: string, pointer: string, url: string): void {
  checkHttpUrl(url, pointer, (at, _, detail, hint) => {
    throw new ConfigError(file, at, detail, hint);
  });
}

/** baseUrl and readyUrl must be absolute http(s) URLs. */
function checkHttpUrl(url: string, pointer: string, fail: Fail): void {
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    ok = false;
  }
  if (!ok) fail(pointer, pointer, `must be an http(s) URL (got ${show(url)})`, 'write it like https://staging.example.com');
}
