// End to end: a secret referenced by a profile reaches the target (the demo target checks the
// bearer token) and nothing else: not k6's argv, bundles, reports, loadctl's output or --dry-run.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { realK6, repoRoot, runCli, tempProject, type CliResult } from './helpers/cli.js';

const secret = `s3cr3t-${randomBytes(8).toString('hex')}`;

/** local.yaml with a bearer header that references the environment. */
function securedProfile(): string {
  const local = readFileSync(join(repoRoot, 'profiles', 'local.yaml'), 'utf8');
  const out = local.replace(/^workload:\n/m, 'workload:\n  headers:\n    Authorization: "Bearer ${DEMO_SECRET}"\n');
  if (out === local) throw new Error('profiles/local.yaml has no top-level workload: to extend');
  return out;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

interface ResultFile {
  status: string;
  metrics: { http: { requests: number; errorRate: number; byName: Record<string, { errorRate: number }> } };
}

let project = '';
let argvLog = '';
let run: CliResult;
const out = () => join(project, 'out', 'secured');

beforeAll(async () => {
  project = tempProject({ 'profiles/secured.yaml': securedProfile() });
  argvLog = join(project, 'k6-argv.log');
  // Records every argv loadctl gives k6, then is k6.
  const wrapper = join(project, 'k6-wrapper.sh');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${realK6}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  run = await runCli(['run', 'spike', '--target', 'secured', '--duration', '5s', '--out', out()], {
    cwd: project,
    env: { DEMO_SECRET: secret, LOADCTL_DEMO_TOKEN: secret, LOADCTL_K6: wrapper },
  });
}, 90_000);

describe('a secret from the environment', () => {
  it('reaches the target: the run passes with no errors', () => {
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out(), 'result.json'), 'utf8')) as ResultFile;
    expect(result.status).toBe('pass');
    expect(result.metrics.http.requests).toBeGreaterThan(0);
    expect(result.metrics.http.errorRate).toBe(0);
  });

  it('is not in the argv given to k6', () => {
    const log = readFileSync(argvLog, 'utf8');
    expect(log).toMatch(/^run .*spike\.[0-9a-f]+\.js$/m); // the wrapper did see the run
    expect(log).not.toContain(secret);
  });

  it('is not in any bundle under .cache/', () => {
    const files = filesUnder(join(project, '.cache'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
  });

  it('is not in any report file', () => {
    const files = filesUnder(out());
    expect(files.map((f) => f.slice(out().length + 1))).toContain('result.json');
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
  });

  it("is not in loadctl's stdout or stderr", () => {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  });

  it('is not in the --dry-run plan, which keeps the reference', async () => {
    const r = await runCli(['run', 'spike', '--target', 'secured', '--duration', '5s', '--dry-run'], { cwd: project, env: { DEMO_SECRET: secret } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout).toContain('Bearer ${DEMO_SECRET}');
  });

  it('is what the target checks: a wrong token fails every request', async () => {
    const wrongOut = join(project, 'out', 'wrong');
    const r = await runCli(['run', 'spike', '--target', 'secured', '--duration', '3s', '--out', wrongOut], {
      cwd: project,
      env: { DEMO_SECRET: `wrong-${secret}`, LOADCTL_DEMO_TOKEN: secret },
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const result = JSON.parse(readFileSync(join(wrongOut, 'result.json'), 'utf8')) as ResultFile;
    expect(result.status).toBe('fail');
    // /health answers without a token (it is the readiness probe); everything else is refused.
    const refused = Object.entries(result.metrics.http.byName).filter(([name]) => name !== 'health');
    expect(refused.length).toBeGreaterThan(0);
    for (const [name, s] of refused) expect(s.errorRate, name).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
