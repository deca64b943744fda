// The edge of the config pipeline: find a profile by name, path or URL, read it, then hand it to
// the pure steps (parse → --set → validate → env checks → interpolation). File names in errors
// are relative to cwd, as the user would type them. Profiles by name live in the project's
// profiles/; `local` (the demo target) falls back to loadctl's own when the project has none.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError, UsageError } from '../util/errors.js';
import { checkEnvRefs, collectEnvRefs, interpolateLoadTime, isRunTimeRef } from './env.js';
import { packageRoot, projectRoot } from '../util/roots.js';
import { readProfileText } from './profile-cache.js';
import { outputEnvNameRefs } from './schema-outputs.js';
import type { LoadedProfile, Profile } from './types.js';
import { assertHttpUrl, closestName, validateProfile } from './validate.js';

export interface LoadOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --set key.path=value overrides, applied in order */
  set?: string[];
  /** The per-user tools folder, decided at the edge: parsed profiles are cached there (none: no cache). */
  toolsDir?: string;
  /**
   * `loadctl validate`: a referenced variable that is unset gets a stand-in value (named in the
   * result's standIns) instead of stopping the load; other names are left as they are.
   */
  standIns?: boolean;
}

export interface ProfileEntry {
  name: string;
  file: string;
  description?: string;
  protected: boolean;
}

export const PROFILES_DIR = 'profiles';
/** What `validate` puts in place of an unset secret: enough to check the structure, never sent. */
const STAND_IN = 'placeholder';
const EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Profiles a project gets from the package when it has no file of that name. */
const BUILTIN_PROFILES = ['local'];

const builtinProfile = (name: string): string => join(packageRoot(), PROFILES_DIR, `${name}.yaml`);

export async function loadProfile(target: string, opts: LoadOptions): Promise<LoadedProfile> {
  if (/^https?:\/\//i.test(target)) {
    return finish(target, null, target, adHocProfile(target), opts);
  }
  const abs = await locate(target, opts.cwd);
  const file = displayPath(opts.cwd, abs);
  const data = await readProfileText(await readFile(abs, 'utf8'), file, opts.toolsDir);
  return finish(basename(abs, extname(abs)), file, file, data, opts);
}

/** A bare URL is a quick smoke test: one GET / with a lenient SLA. */
export function adHocProfile(url: string): Profile {
  return {
    baseUrl: url,
    workload: { requests: [{ name: 'root', path: '/' }] },
    sla: { p95: 1000, errorRate: 0.01 },
  };
}

async function finish(name: string, file: string | null, label: string, data: unknown, opts: LoadOptions): Promise<LoadedProfile> {
  const sets = opts.set ?? [];
  // --set values are YAML: the parser loads only when there are some (start-up time).
  const { applySets, parseSet } = sets.length > 0 ? await import('./set.js') : { applySets: (d: unknown) => d, parseSet: () => ({ pointer: '' }) };
  const fromSet = sets.map((s) => parseSet(s).pointer);
  const profile = validateProfile(applySets(data, sets, label), label, { fromSet });
  const refs = [...collectEnvRefs(profile), ...outputEnvNameRefs(profile.outputs)];
  const standIns = opts.standIns ? [...new Set(refs.map((r) => r.name).filter((n) => !opts.env[n]))] : [];
  const env = standIns.length > 0 ? { ...opts.env, ...Object.fromEntries(standIns.map((n) => [n, STAND_IN])) } : opts.env;
  checkEnvRefs(refs, env, label);
  const resolved = interpolateLoadTime(profile, env);
  // Literal URLs were checked by validateProfile; these only now have their final value.
  if (profile.baseUrl?.includes('${') && resolved.baseUrl !== undefined) {
    assertHttpUrl(label, '/baseUrl', resolved.baseUrl);
  }
  if (profile.start?.readyUrl.includes('${') && resolved.start) {
    assertHttpUrl(label, '/start/readyUrl', resolved.start.readyUrl);
  }
  // Only workload references reach k6 (and so need passing on and redacting); the rest are
  // already resolved into the profile.
  const envRefs = [...new Set(refs.filter((r) => isRunTimeRef(r.pointer)).map((r) => r.name))];
  return { name, file, profile: resolved, envRefs, ...(standIns.length > 0 ? { standIns } : {}) };
}

async function locate(target: string, cwd: string): Promise<string> {
  const looksLikePath = /[\\/]/.test(target) || EXTENSIONS.includes(extname(target).toLowerCase());
  if (looksLikePath) {
    const abs = resolve(cwd, target);
    if (await isFile(abs)) return abs;
    throw new UsageError(`profile file "${target}" not found`, `check the path (relative to ${cwd})`);
  }
  const dir = join(projectRoot(cwd), PROFILES_DIR);
  const found: string[] = [];
  for (const ext of EXTENSIONS) {
    const abs = join(dir, `${target}${ext}`);
    if (await isFile(abs)) found.push(abs);
  }
  if (found.length > 1) {
    const names = found.map((f) => displayPath(cwd, f)).join(' and ');
    throw new UsageError(`profile "${target}" is ambiguous: ${names}`, 'keep one of them, or pass the file path');
  }
  if (found[0]) return found[0];
  if (BUILTIN_PROFILES.includes(target)) return builtinProfile(target);
  throw await unknownProfile(target, cwd);
}

async function unknownProfile(target: string, cwd: string): Promise<UsageError> {
  const names = [...new Set((await listProfiles(cwd)).map((p) => p.name))];
  const shown = names.length > 8 ? [...names.slice(0, 8), '…'] : names;
  const where = names.length ? `${PROFILES_DIR}/: ${shown.join(', ')}` : `no profiles in ${PROFILES_DIR}/`;
  const near = closestName(target, names);
  const template = ['staging.example', 'local'].find((n) => names.includes(n));
  const create = `create ${PROFILES_DIR}/${target}.yaml${template ? ` (copy ${PROFILES_DIR}/${template}.yaml to start)` : ''}, or pass a URL such as http://localhost:3000`;
  return new UsageError(`unknown profile "${target}" (${where})`, near ? `did you mean "${near}"? Or ${create}` : create);
}

/** The project's profiles, plus the built-in ones (`local`) it does not have, sorted by file name. */
export async function listProfiles(cwd: string, toolsDir?: string): Promise<ProfileEntry[]> {
  const dir = join(projectRoot(cwd), PROFILES_DIR);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    entries = [];
  }
  const files = entries.filter((f) => EXTENSIONS.includes(extname(f).toLowerCase())).sort().map((f) => join(dir, f));
  const own = new Set(files.map((f) => basename(f, extname(f))));
  for (const name of BUILTIN_PROFILES) {
    if (!own.has(name) && (await isFile(builtinProfile(name)))) files.push(builtinProfile(name));
  }
  files.sort((a, b) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0)); // no ICU collator: see bundle/locate.ts
  const list: ProfileEntry[] = [];
  for (const abs of files) {
    const f = basename(abs);
    if (!(await isFile(abs))) continue;
    const file = displayPath(cwd, abs);
    const entry: ProfileEntry = { name: basename(f, extname(f)), file, protected: false };
    // A broken profile still gets listed; its errors surface when it is loaded.
    try {
      const data = (await readProfileText(await readFile(abs, 'utf8'), file, toolsDir)) as Partial<Profile> | null;
      if (typeof data?.description === 'string') entry.description = data.description;
      entry.protected = data?.safety?.protected === true;
    } catch {
      // listed without details
    }
    list.push(entry);
  }
  return list;
}

function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return (rel && !isAbsolute(rel) ? rel : abs).split('\\').join('/');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
