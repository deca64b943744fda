// loadctl as a user gets it: `npm pack` of this repository, installed into an empty project in a
// temp folder outside the repo, then `npx loadctl init`, `npx loadctl install-k6` and real runs.
// One `npm install` for the whole file (it needs the npm registry for loadctl's dependencies).
//
// k6 build time: install-k6 builds into XDG_CACHE_HOME, which this test points at the repo's
// git-ignored .cache/e2e-package/ (and GOCACHE at Go's usual build cache), so the 2–4 minute build
// happens once per machine; later runs find the stamp matching the k6/ sources and return at once.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempProject } from './helpers/cli.js';

const xdg = join(repoRoot, '.cache', 'e2e-package', 'xdg');
let project = '';
let tarballFiles: string[] = [];
let env: Record<string, string> = {};

/** `npx loadctl …` in the project, with only the environment a user would have. */
function npx(args: string[], extra: Record<string, string> = {}, timeout = 120_000) {
  return execa('npx', ['--no-install', 'loadctl', ...args], { cwd: project, env: { ...env, ...extra }, extendEnv: false, reject: false, stdin: 'ignore', timeout });
}

interface ResultFile {
  status: string;
  checks: { name: string; status: string; measured: number | null }[];
  samples: { format: string };
  metrics: { http: { requests: number; errorRate: number } };
}

/** The result.json of the one run folder the run added under the project's reports/. */
function newRunResult(before: string[]): ResultFile {
  const added = readdirSync(join(project, 'reports')).filter((d) => !before.includes(d));
  expect(added).toHaveLength(1);
  return JSON.parse(readFileSync(join(project, 'reports', added[0]!, 'result.json'), 'utf8')) as ResultFile;
}
const runFolders = () => (existsSync(join(project, 'reports')) ? readdirSync(join(project, 'reports')) : []);

beforeAll(async () => {
  const go = await execa('go', ['env', 'GOCACHE'], { reject: false });
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NO_COLOR: '1',
    CI: 'true',
    XDG_CACHE_HOME: xdg,
    // XDG_CACHE_HOME would also move Go's build cache; keep Go's own, warm one.
    ...(go.exitCode === 0 && go.stdout.trim() ? { GOCACHE: go.stdout.trim() } : {}),
    ...(process.env.GOPATH ? { GOPATH: process.env.GOPATH } : {}),
    ...(process.env.GOPROXY ? { GOPROXY: process.env.GOPROXY } : {}),
  };
  project = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
  mkdirSync(xdg, { recursive: true });
  // `npm pack` runs prepack: dist/ is rebuilt from a clean folder, as for a release.
  const pack = await execa('npm', ['pack', '--json', '--pack-destination', project], { cwd: repoRoot, timeout: 180_000 });
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarballFiles = info[0]!.files.map((f) => f.path);
  await execa('npm', ['init', '-y'], { cwd: project });
  await execa('npm', ['install', '--no-audit', '--no-fund', join(project, info[0]!.filename)], { cwd: project, timeout: 300_000 });
}, 600_000);

describe('the tarball', () => {
  it('holds the built CLI, built-in scenarios and lib, schemas, the local profile, the demo, k6 sources and install script', () => {
    for (const f of ['bin/loadctl.js', 'dist/cli.js', 'dist/demo/main.js', 'scenarios/spike.ts', 'scenarios/lib/loadctl.ts', 'schemas/profile.schema.json', 'profiles/local.yaml', 'k6/go.mod', 'k6/output/output.go', 'scripts/install-k6.sh', 'examples/ci/github-actions-loadctl.yml']) {
      expect(tarballFiles, f).toContain(f);
    }
  });
  it('holds no tests, fixtures, benches, docs screenshots, Go tests or source maps', () => {
    const unwanted = tarballFiles.filter((f) => /^(test|bench|docs|src|\.tools|reports)\//.test(f) || /fixtures|_test\.go$|\.map$/.test(f));
    expect(unwanted).toEqual([]);
  });
});

describe('a new user in an empty project', () => {
  it('init scaffolds profiles, an example scenario, .gitignore lines and a CI workflow', async () => {
    const r = await npx(['init', '--url', 'https://staging.example.com']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    for (const f of ['profiles/local.yaml', 'profiles/staging.yaml', 'scenarios/example.ts', '.github/workflows/loadctl.yml']) {
      expect(existsSync(join(project, f)), f).toBe(true);
      expect(r.stdout).toContain(f);
    }
    expect(readFileSync(join(project, '.gitignore'), 'utf8').split('\n')).toContain('reports/');
    const list = await npx(['list', '--json']);
    expect(list.exitCode, list.stderr).toBe(0);
    const scenarios = (JSON.parse(list.stdout) as { scenarios: { name: string; builtin?: boolean }[] }).scenarios;
    expect(scenarios.map((s) => `${s.name}${s.builtin ? ' (built-in)' : ''}`)).toEqual(['chaos (built-in)', 'example', 'ramp (built-in)', 'scaling (built-in)', 'soak (built-in)', 'spike (built-in)', 'sustained (built-in)']);
    const validate = await npx(['validate']);
    expect(validate.exitCode, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/profiles\/staging\.yaml/);
  });

  it('a second init refuses with exit 2, names the files and changes nothing', async () => {
    const before = readFileSync(join(project, 'profiles', 'staging.yaml'), 'utf8');
    writeFileSync(join(project, 'profiles', 'staging.yaml'), `${before}# edited by the user\n`);
    const r = await npx(['init', '--url', 'https://other.example.com']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    for (const f of ['profiles/local.yaml', 'profiles/staging.yaml', 'scenarios/example.ts', '.github/workflows/loadctl.yml']) expect(r.stderr).toContain(f);
    expect(r.stderr).toMatch(/--force/);
    expect(readFileSync(join(project, 'profiles', 'staging.yaml'), 'utf8')).toBe(`${before}# edited by the user\n`);
  });

  it('install-k6 builds k6 with loadctl\'s output into the per-user cache; doctor says it uses it', async () => {
    const r = await npx(['install-k6'], {}, 600_000);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const k6 = join(xdg, 'loadctl', 'bin', 'k6');
    expect(r.stdout).toContain(k6);
    // The stamp of the k6/ sources matches now: a second call builds nothing.
    const again = await npx(['install-k6']);
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/building k6/);
    const doctor = await npx(['doctor']);
    expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain(`k6 v2.2.0 at ${k6} (the per-user cache`);
    expect(doctor.stdout).toMatch(/k6 has loadctl's output/);
  });

  it('run spike --target local --duration 20s passes, with reports in the project', async () => {
    const before = runFolders();
    const r = await npx(['run', 'spike', '--target', 'local', '--duration', '20s', '--progress', 'none']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS /m);
    const result = newRunResult(before);
    expect(result.status).toBe('pass');
    expect(result.samples.format).toBe('loadctl');
    expect(result.metrics.http.requests).toBeGreaterThan(100);
  });

  it('the scaffolded example scenario passes against local, and a plain k6 script requesting BASE_URL/ gets 200s (exit 0)', async () => {
    const before = runFolders();
    const example = await npx(['run', 'example', '--target', 'local', '--duration', '5s', '--progress', 'none']);
    expect(example.exitCode, example.stdout + example.stderr).toBe(0);
    expect(newRunResult(before).status).toBe('pass');

    writeFileSync(
      join(project, 'root.js'),
      "import http from 'k6/http';\nimport { check } from 'k6';\nexport const options = { vus: 2, duration: '5s' };\n" +
        "export default function () {\n  const r = http.get(`${__ENV.BASE_URL}/`);\n  check(r, { 'index lists endpoints': (x) => x.status === 200 && x.json('endpoints').length > 0 });\n}\n",
    );
    const mid = runFolders();
    const plain = await npx(['run', './root.js', '--target', 'local', '--progress', 'none']);
    expect(plain.exitCode, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/✓ pass\s+error rate \(overall\)/);
    const result = newRunResult(mid);
    expect(result.metrics.http.requests).toBeGreaterThan(0);
    expect(result.metrics.http.errorRate).toBe(0);
    // The local profile's per-request limit on its workload's "slow" request is for that workload,
    // not for a plain script's own requests: every check the script is judged on passes.
    expect(plain.stdout).toMatch(/^PASS /m);
    expect(result.status).toBe('pass');
    expect(result.checks.filter((c) => c.status !== 'pass').map((c) => c.name)).toEqual([]);
  });

  it('with only a stock k6 on PATH (no loadctl output, nothing in the cache), the run passes through the json stream', async () => {
    // A k6 without loadctl's output: the real binary behind a wrapper whose `k6 version` lists no
    // extension, so loadctl sees what a stock k6 v2.2.0 reports.
    const bin = join(project, 'stock-bin');
    mkdirSync(bin, { recursive: true });
    const real = join(xdg, 'loadctl', 'bin', 'k6');
    writeFileSync(join(bin, 'k6'), `#!/bin/sh\nif [ "$1" = version ]; then "${real}" version | head -1; exit 0; fi\nexec "${real}" "$@"\n`);
    chmodSync(join(bin, 'k6'), 0o755);
    const stock = { PATH: `${bin}:${env.PATH}`, XDG_CACHE_HOME: join(project, 'empty-cache') };

    const doctor = await npx(['doctor'], stock);
    expect(doctor.stdout).toContain(`k6 v2.2.0 at ${join(bin, 'k6')} (found on PATH)`);
    expect(doctor.stdout).toMatch(/no loadctl output/);

    const before = runFolders();
    const r = await npx(['run', 'spike', '--target', 'local', '--duration', '20s', '--progress', 'none'], stock);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS /m);
    const result = newRunResult(before);
    expect(result.status).toBe('pass');
    expect(result.samples.format).toBe('json');
  });
});
