import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { collectEnvRefs, interpolate } from '../src/config/env.js';
import { listProfiles, loadProfile } from '../src/config/load.js';
import { createRedactor, secretValuesFor } from '../src/config/redact.js';
import { profileSchemaJson } from '../src/config/schema.js';
import { applySets } from '../src/config/set.js';
import { validateProfile } from '../src/config/validate.js';
import { ConfigError, UsageError } from '../src/util/errors.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

// Inline file trees in a temp folder, removed after each test.
const dirs: string[] = [];
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loadctl-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const MINIMAL = `
baseUrl: https://api.test
workload:
  requests:
    - { name: home, path: / }
`;

/** Loads `profiles/x.yaml` holding `text` and returns the error it throws. */
async function errorOf(text: string, opts: { env?: NodeJS.ProcessEnv; set?: string[] } = {}) {
  const cwd = await tree({ 'profiles/x.yaml': text });
  const error = await loadProfile('x', { cwd, env: opts.env ?? {}, set: opts.set }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('loadProfile', () => {
  it('loads the shipped local.yaml', async () => {
    const cwd = await tree({ 'profiles/local.yaml': await readFile(join(repo, 'profiles/local.yaml'), 'utf8') });
    const loaded = await loadProfile('local', { cwd, env: {} });
    expect(loaded.name).toBe('local');
    expect(loaded.file).toBe('profiles/local.yaml');
    expect(loaded.profile.demo).toEqual({ delayMs: 5, jitterMs: 5, errorRate: 0, capacity: { rps: 400, concurrency: 4, queue: 200 } });
    expect(loaded.profile.workload.requests?.map((r) => r.name)).toEqual(['health', 'read-item', 'create-item', 'slow']);
    expect(loaded.profile.sla?.requests?.slow).toEqual({ p95: 400 });
    expect(loaded.envRefs).toEqual([]);
  });

  it('accepts a file path and .json', async () => {
    const cwd = await tree({ 'elsewhere/t.json': JSON.stringify({ demo: {}, workload: { requests: [{ name: 'a', path: '/' }] } }) });
    const loaded = await loadProfile('elsewhere/t.json', { cwd, env: {} });
    expect(loaded).toMatchObject({ name: 't', file: 'elsewhere/t.json' });
  });

  it('reports a wrong type with its pointer and the value', async () => {
    const e = await errorOf(`${MINIMAL}sla: { p95: fast }\n`);
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe('profiles/x.yaml: /sla/p95: must be number (got "fast")');
    expect(e.hint).toContain('number');
  });

  it('reports an unknown key with the allowed ones and a suggestion', async () => {
    const e = await errorOf(`${MINIMAL}sla: { p96: 300 }\n`);
    expect(e.message).toBe(
      'profiles/x.yaml: /sla: unknown key "p96" (allowed: p50, p90, p95, p99, max, errorRate, minRps, requests, chaos, minCapacity, scaling, drift, metrics)',
    );
    expect(e.hint).toMatch(/did you mean "p9[0569]"/);
  });

  it('reports an empty YAML key as null', async () => {
    const e = await errorOf(`${MINIMAL}sla:\n`);
    expect(e.message).toBe('profiles/x.yaml: /sla: must be object (got null)');
  });

  it('reports YAML syntax errors with line and column', async () => {
    const e = await errorOf('baseUrl: https://api.test\nworkload:\n  requests: [\n');
    expect(e.message).toMatch(/^profiles\/x\.yaml: line \d+, column \d+: /);
    expect(e.hint).toBe('fix the YAML syntax');
    const dup = await errorOf('baseUrl: a\nbaseUrl: b\n');
    expect(dup.message).toMatch(/^profiles\/x\.yaml: line 2, column 1: Map keys must be unique/);
  });

  it('reports an empty file', async () => {
    const e = await errorOf('# nothing yet\n');
    expect(e.message).toBe('profiles/x.yaml: /: the file is empty');
  });

  it('requires baseUrl unless demo, as an http(s) URL', async () => {
    expect((await errorOf('workload: { requests: [{ name: a, path: / }] }\n')).message).toBe(
      'profiles/x.yaml: /: missing required key "baseUrl"',
    );
    expect((await errorOf(MINIMAL.replace('https://api.test', 'api.test'))).message).toBe(
      'profiles/x.yaml: /baseUrl: must be an http(s) URL (got "api.test")',
    );
  });

  it('requires at least one request or journey', async () => {
    expect((await errorOf('demo: {}\nworkload: { thinkTimeMs: 5 }\n')).message).toBe(
      'profiles/x.yaml: /workload: needs at least one request or journey',
    );
  });

  it('rejects duplicate names across requests, journeys and steps', async () => {
    const e = await errorOf(`
demo: {}
workload:
  requests: [{ name: a, path: / }]
  journeys:
    - name: j
      steps: [{ name: s, path: / }, { name: a, path: /x }]
`);
    expect(e.message).toBe(
      'profiles/x.yaml: /workload/journeys/0/steps/1/name: duplicate name "a" (already used at /workload/requests/0/name)',
    );
  });

  it('rejects per-request SLA for an unknown name', async () => {
    const e = await errorOf(`${MINIMAL}sla: { requests: { hom: { p95: 10 } } }\n`);
    expect(e.message).toBe('profiles/x.yaml: /sla/requests/hom: no request or step named "hom" in workload (names: home)');
    expect(e.hint).toBe('did you mean "home"?');
  });

  it('checks env refs, interpolates baseUrl and keeps workload refs', async () => {
    const text = `
baseUrl: https://\${API_HOST}
workload:
  headers: { Authorization: 'Bearer \${API_TOKEN}', X-Literal: '$\${NOT_A_REF}' }
  requests: [{ name: home, path: / }]
`;
    const missing = await errorOf(text, { env: { API_HOST: 'api.test' } });
    expect(missing.message).toBe(
      'profiles/x.yaml: /workload/headers/Authorization: environment variable API_TOKEN is not set',
    );
    expect(missing.hint).toBe('export API_TOKEN=... before running (secrets come from the environment and are never stored)');

    const cwd = await tree({ 'profiles/x.yaml': text });
    const loaded = await loadProfile('x', { cwd, env: { API_HOST: 'api.test', API_TOKEN: 's3cret-token' } });
    expect(loaded.profile.baseUrl).toBe('https://api.test');
    expect(loaded.profile.workload.headers).toEqual({ Authorization: 'Bearer ${API_TOKEN}', 'X-Literal': '$${NOT_A_REF}' });
    expect(loaded.envRefs).toEqual(['API_TOKEN']);
    expect(JSON.stringify(loaded)).not.toContain('s3cret-token');

    const badUrl = await errorOf(text, { env: { API_HOST: 'a b', API_TOKEN: 'x' } });
    expect(badUrl.message).toBe('profiles/x.yaml: /baseUrl: must be an http(s) URL (got "https://a b")');
  });

  it('rejects malformed env refs', async () => {
    const e = await errorOf(MINIMAL.replace('path: /', "path: '/\${API-KEY}'"));
    expect(e.message).toBe('profiles/x.yaml: /workload/requests/0/path: malformed environment reference "${API-KEY}"');
  });

  it('suggests a close profile name', async () => {
    const cwd = await tree({ 'profiles/local.yaml': MINIMAL, 'profiles/staging.yaml': MINIMAL });
    const e = (await loadProfile('stagin', { cwd, env: {} }).catch((x: unknown) => x)) as UsageError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('unknown profile "stagin" (profiles/: local, staging)');
    expect(e.hint).toMatch(/^did you mean "staging"\? Or create profiles\/stagin\.yaml \(copy profiles\/local\.yaml/);
  });

  it('turns a URL into an ad-hoc profile', async () => {
    const cwd = await tree({});
    const loaded = await loadProfile('http://localhost:3000', { cwd, env: {} });
    expect(loaded).toEqual({
      name: 'http://localhost:3000',
      file: null,
      profile: {
        baseUrl: 'http://localhost:3000',
        workload: { requests: [{ name: 'root', path: '/' }] },
        sla: { p95: 1000, errorRate: 0.01 },
      },
      envRefs: [],
    });
  });

  it('applies --set before validation', async () => {
    const cwd = await tree({ 'profiles/x.yaml': `${MINIMAL}sla: { p95: 300 }\n` });
    const loaded = await loadProfile('x', {
      cwd,
      env: {},
      set: ['sla.p95=800', 'workload.requests.0.expect=[200,201]', 'description="800"'],
    });
    expect(loaded.profile.sla?.p95).toBe(800);
    expect(loaded.profile.workload.requests?.[0]?.expect).toEqual([200, 201]);
    expect(loaded.profile.description).toBe('800');

    const e = await errorOf(MINIMAL, { set: ['sla.p95=fast'] });
    expect(e.message).toBe('profiles/x.yaml: /sla/p95: must be number (got "fast") (from --set)');
    const k = await errorOf(MINIMAL, { set: ['sla.p96=1'] });
    expect(k.message).toMatch(/^profiles\/x\.yaml: \/sla: unknown key "p96" .*\(from --set\)$/);
    const m = await errorOf(MINIMAL, { set: ['foo'] });
    expect(m).not.toBeInstanceOf(ConfigError);
    expect(m.message).toBe('--set "foo": expected key.path=value');
  });
});

describe('applySets', () => {
  it('parses YAML values and creates missing objects', () => {
    const out = applySets({ a: [{ w: 1 }] }, ['a.0.w=3', 'b.c.d=true', 'e=x: y', 'f=', 'g=[1,2]'], 'f.yaml');
    expect(out).toEqual({ a: [{ w: 3 }], b: { c: { d: true } }, e: 'x: y', f: '', g: [1, 2] });
  });
  it('rejects malformed sets', () => {
    expect(() => applySets({}, ['=1'], 'f')).toThrow('--set "=1": expected key.path=value');
    expect(() => applySets({}, ['a..b=1'], 'f')).toThrow('expected key.path=value');
    expect(() => applySets({ a: [] }, ['a.3=1'], 'f')).toThrow(/index 3 is past the end/);
  });
});

describe('env', () => {
  it('collects refs with pointers and interpolates', () => {
    expect(collectEnvRefs({ a: ['x ${A} ${B_2}'], 'k/e': '$${C}' })).toEqual([
      { name: 'A', pointer: '/a/0' },
      { name: 'B_2', pointer: '/a/0' },
    ]);
    expect(interpolate('${A}-$${A}-${B}', { A: '1' })).toBe('1-${A}-');
  });
});

describe('redact', () => {
  it('replaces secret values, longest first, ignoring short ones', () => {
    const redact = createRedactor(['abcd', 'abcdefgh', 'abc', 'a+b/c=d']);
    expect(redact('x abcdefgh abcd abc a+b/c=d')).toBe('x *** *** abc ***');
    expect(createRedactor([])('same')).toBe('same');
    expect(secretValuesFor(['T', 'U', 'V'], { T: 'a b/c', U: '' })).toEqual(['a b/c', 'a%20b%2Fc']);
  });
});

describe('shipped files', () => {
  it('schemas/profile.schema.json matches src/config/schema.ts', async () => {
    const published = await readFile(join(repo, 'schemas/profile.schema.json'), 'utf8').catch(() => '');
    expect(published, 'schemas/profile.schema.json is stale: run `node scripts/write-schemas.mjs`').toBe(
      profileSchemaJson(),
    );
  });

  it('every profiles/*.yaml validates', async () => {
    const files = (await readdir(join(repo, 'profiles'))).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    // Stand-ins for whatever secrets the examples reference (as `loadctl validate` loads them).
    for (const f of files) {
      const loaded = await loadProfile(`profiles/${f}`, { cwd: repo, env: {}, standIns: true });
      expect(loaded.file).toBe(`profiles/${f}`);
    }
    const list = await listProfiles(repo);
    expect(list.find((p) => p.name === 'production.example')?.protected).toBe(true);
    expect(list.find((p) => p.name === 'local')).toMatchObject({ protected: false, description: expect.any(String) });
  });

  it('validateProfile is usable on its own', () => {
    expect(() => validateProfile({ workload: {} }, 'p.yaml')).toThrow('p.yaml: /: missing required key "baseUrl"');
  });
});
