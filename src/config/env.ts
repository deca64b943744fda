// ${NAME} references in profiles. Pure: the environment is always passed in.
// Strings under `workload` stay references (k6 resolves them at run time), so a secret's value
// never travels through argv, plans, bundles or reports; so do those under `probes` (the probe
// runner resolves URLs as it samples, and a command's shell expands ${NAME} itself) and `outputs`
// (resolved into k6's environment when it starts, k6/outputs.ts); strings
// elsewhere (baseUrl, start.*) are needed by loadctl itself and are interpolated at load time.
import { ConfigError } from '../util/errors.js';

export interface EnvRef {
  name: string;
  /** JSON pointer of the string holding the reference, e.g. /workload/headers/Authorization */
  pointer: string;
}

// `$${` is the escape for a literal `${`; listed first so the alternation consumes it whole.
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

/** One reference-or-problem found while scanning a string. */
type Token = { kind: 'ref'; name: string } | { kind: 'malformed'; text: string };

function scan(text: string): Token[] {
  const found: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[0] === '$${') continue;
    if (m[1] !== undefined) found.push({ kind: 'ref', name: m[1] });
    else found.push({ kind: 'malformed', text: text.slice(m.index, m.index + 24) });
  }
  return found;
}

/** RFC 6901: `~` and `/` inside a key must be escaped. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Calls `visit` for every string value (not keys) with its path. */
function walkStrings(
  node: unknown,
  path: (string | number)[],
  visit: (text: string, path: (string | number)[]) => void,
): void {
  if (typeof node === 'string') visit(node, path);
  else if (Array.isArray(node)) node.forEach((item, i) => walkStrings(item, [...path, i], visit));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) walkStrings(value, [...path, key], visit);
  }
}

/** Every well-formed ${NAME} reference in the profile, in document order. */
export function collectEnvRefs(profile: unknown): EnvRef[] {
  const refs: EnvRef[] = [];
  walkStrings(profile, [], (text, path) => {
    for (const t of scan(text)) if (t.kind === 'ref') refs.push({ name: t.name, pointer: toPointer(path) });
  });
  return refs;
}

/** `${` that does not open a valid reference: left alone it would reach the target verbatim. */
export function findMalformedEnvRef(profile: unknown): { pointer: string; text: string } | undefined {
  let found: { pointer: string; text: string } | undefined;
  walkStrings(profile, [], (text, path) => {
    if (found) return;
    const bad = scan(text).find((t) => t.kind === 'malformed');
    if (bad?.kind === 'malformed') found = { pointer: toPointer(path), text: bad.text };
  });
  return found;
}

/**
 * Throws for the first reference whose variable is unset or empty (an empty token is as broken
 * as a missing one). Returns the distinct names, in order of first use.
 */
export function checkEnvRefs(
  refs: readonly EnvRef[],
  env: Readonly<Record<string, string | undefined>>,
  file: string,
): string[] {
  const names: string[] = [];
  for (const ref of refs) {
    const value = env[ref.name];
    if (value === undefined || value === '') {
      throw new ConfigError(
        file,
        ref.pointer,
        `environment variable ${ref.name} is ${value === undefined ? 'not set' : 'empty'}`,
        `export ${ref.name}=... before running (secrets come from the environment and are never stored)`,
      );
    }
    if (!names.includes(ref.name)) names.push(ref.name);
  }
  return names;
}

/** Replaces ${NAME} with its value and `$${` with `${`. Unset names become ''. */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(TOKEN, (whole, name: string | undefined) => {
    if (whole === '$${') return '${';
    return name === undefined ? whole : (env[name] ?? '');
  });
}

/** Whether a pointer lies under /workload, /probes or /outputs, where references are kept until run time. */
export function isRunTimeRef(pointer: string): boolean {
  return ['/workload', '/probes', '/outputs'].some((root) => pointer === root || pointer.startsWith(`${root}/`));
}

/** Interpolates every string outside /workload; the input is not modified. */
export function interpolateLoadTime<T>(profile: T, env: Readonly<Record<string, string | undefined>>): T {
  const copy = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') return interpolate(node, env);
    if (Array.isArray(node)) return node.map((item, i) => copy(item, [...path, i]));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const child = [...path, key];
      out[key] = isRunTimeRef(toPointer(child)) ? value : copy(value, child);
    }
    return out;
  };
  return copy(profile, []) as T;
}
