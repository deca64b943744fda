// End to end: bad input exits 2 with one error line (file, field, fix) and writes nothing; a
// missing k6, an unreachable target or a script that throws exits 3. Built CLI, real k6.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileTree, repoRoot, runCli, tempProject } from './helpers/cli.js';

const PROFILES: Record<string, string> = {
  'profiles/yaml-broken.yaml': ['demo: {}', 'workload:', '  requests:', '    - name: a', '      path: /health', 'sla:', '  p95: 200', '   p99: 300', ''].join('\n'),
  'profiles/wrong-type.yaml': ['demo: {}', 'workload:', '  requests:', '    - { name: a, path: /health }', 'sla: { p95: fast }', ''].join('\n'),
  'profiles/unknown-key.yaml': ['demo: {}', 'workload:', '  requests:', '    - { name: a, path: /health }', 'timeoutz: 5', ''].join('\n'),
  'profiles/needs-secret.yaml': ['demo: {}', 'workload:', '  headers: { Authorization: "Bearer ${MY_TOKEN}" }', '  requests:', '    - { name: a, path: /health }', ''].join('\n'),
  'profiles/guarded.yaml': ['baseUrl: http://127.0.0.1:9', 'workload:', '  requests:', '    - { name: a, path: /health }', 'safety: { protected: true }', ''].join('\n'),
  'profiles/closed-port.yaml': ['baseUrl: http://127.0.0.1:9', 'workload:', '  requests:', '    - { name: a, path: /health }', ''].join('\n'),
  // Line 5 has the syntax error (esbuild reports line:column).
  'scenarios/broken.ts': [
    "import { loadctlOptions, runWorkload } from './lib/loadctl.ts';",
    "export const shape = { summary: 'x', model: 'vus', params: {}, stages: () => [{ phase: 'a', duration: '5s', target: 1 }] };",
    'export const options = loadctlOptions();',
    'export default function () {',
    '  runWorkload(;',
    '}',
    '',
  ].join('\n'),
  // Evaluates fine for loadctl (no plan in Node), throws inside k6 at init.
  'scenarios/init-throws.ts': [
    "import { loadctlOptions, runWorkload } from './lib/loadctl.ts';",
    "export const shape = { summary: 'x', model: 'vus', params: {}, stages: () => [{ phase: 'a', duration: '3s', target: 1 }] };",
    'export const options = loadctlOptions();',
    "if (typeof __ENV !== 'undefined' && __ENV.LOADCTL_PLAN) throw new Error('boom from script');",
    'export default function () {',
    '  runWorkload();',
    '}',
    '',
  ].join('\n'),
};

let project = '';
beforeAll(() => {
  project = tempProject(PROFILES);
});

// [case, args after `run`, env, what the error line must say, what the hint must say]
const USAGE: [string, string[], Record<string, string>, RegExp[], RegExp | null][] = [
  ['unknown scenario', ['nosuch', '--target', 'local'], {}, [/unknown scenario "nosuch"/, /spike/], /loadctl list/],
  ['unknown profile', ['spike', '--target', 'locla'], {}, [/unknown profile "locla"/, /profiles\//], /did you mean "local"/],
  ['YAML syntax error', ['spike', '--target', 'yaml-broken'], {}, [/profiles\/yaml-broken\.yaml: line \d+, column \d+: /], /fix the YAML/],
  ['wrong type', ['spike', '--target', 'wrong-type'], {}, [/profiles\/wrong-type\.yaml: \/sla\/p95: must be number \(got "fast"\)/], /write a number/],
  ['unknown key', ['spike', '--target', 'unknown-key'], {}, [/profiles\/unknown-key\.yaml: \/: unknown key "timeoutz"/], /remove "timeoutz"/],
  ['missing secret', ['spike', '--target', 'needs-secret'], {}, [/profiles\/needs-secret\.yaml: \/workload\/headers\/Authorization: environment variable MY_TOKEN is not set/], /export MY_TOKEN=/],
  ['protected profile without --yes', ['spike', '--target', 'guarded'], {}, [/profiles\/guarded\.yaml: \/safety\/protected: .*protected/], /--yes/],
  ['scenario that does not compile', ['broken', '--target', 'local'], {}, [/does not compile: scenarios\/broken\.ts:5:\d+: /], /fix the error/],
  ['bad --duration', ['spike', '--target', 'local', '--duration', 'xyz'], {}, [/--duration xyz: expected a duration/, /20s/], null],
];

describe('bad input: exit 2, one error line, nothing written', () => {
  it.each(USAGE)('%s', async (_name, args, env, says, hint) => {
    const before = fileTree(project);
    const out = join(project, 'out-usage');
    const r = await runCli(['run', ...args, '--out', out], { cwd: project, env: { MY_TOKEN: undefined, ...env } });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    const errors = lines.filter((l) => l.startsWith('error: '));
    expect(errors, r.stderr).toHaveLength(1);
    for (const re of says) expect(errors[0]).toMatch(re);
    expect(lines.length, r.stderr).toBeLessThanOrEqual(2); // the error, then at most one hint
    if (hint) expect(lines[1]).toMatch(new RegExp(`^hint: .*${hint.source}`));
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(project, 'reports'))).toBe(false);
    expect(fileTree(project)).toEqual(before);
  });
});

describe('runtime failures: exit 3', () => {
  it('k6 missing: says how to install it', async () => {
    const out = join(project, 'out-nok6');
    const r = await runCli(['run', 'spike', '--target', 'local', '--duration', '5s', '--out', out], { cwd: project, env: { LOADCTL_K6: '/nonexistent/k6' } });
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^error: k6 not found .*\/nonexistent\/k6/m);
    expect(r.stderr).toMatch(/release archive.*brew install k6/);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['an ad-hoc URL', 'http://127.0.0.1:9'],
    ['a profile', 'closed-port'],
  ])('target unreachable through %s: fails fast, never PASS', async (_what, target) => {
    const out = join(project, 'out-unreachable');
    const r = await runCli(['run', 'spike', '--target', target, '--duration', '5s', '--out', out], { cwd: project, timeoutMs: 20_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    expect(r.durationMs).toBeLessThan(10_000);
    expect(r.stderr).toMatch(/^error: .*127\.0\.0\.1:9.*unreachable/m);
    expect(r.stdout + r.stderr).not.toMatch(/PASS/);
    expect(existsSync(out)).toBe(false);
  });

  it('a plain k6 script that throws at the top level', async () => {
    const out = join(project, 'out-throws');
    const r = await runCli(['run', join(repoRoot, 'test', 'fixtures', 'throws-at-init.js'), '--target', 'local', '--out', out], { cwd: project });
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^error: .*boom from script/m);
    expect(r.stdout + r.stderr).not.toMatch(/PASS/);
  });

  it('a scenario whose code throws at init inside k6', async () => {
    const out = join(project, 'out-init-throws');
    const r = await runCli(['run', 'init-throws', '--target', 'local', '--duration', '3s', '--out', out], { cwd: project });
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^error: .*boom from script/m);
    expect(r.stdout + r.stderr).not.toMatch(/PASS/);
  });
});
