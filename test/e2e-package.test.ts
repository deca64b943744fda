// loadctl as a user gets it: `npm pack` of this repository, installed into an empty project in a
// temp folder outside the repo, then `npx loadctl init` and real runs with a stock k6 on PATH (the
// official binary of scripts/install-k6.sh, as a user's own k6 would be found), nothing built.
// One `npm install` for the whole file (it needs the npm registry for loadctl's dependencies).
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa, execaSync } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { realK6, repoRoot, tempProject } from './helpers/cli.js';

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
/** The repository's tracked files in a temp folder (what a clean clone holds), node_modules linked. */
function sourceCopy(): string {
  const dir = tempProject({}, { scenarios: false, localProfile: false, nodeModules: true });
  const tracked = execaSync('git', ['ls-files', '-z'], { cwd: repoRoot }).stdout.split('\0').filter(Boolean);
  for (const f of tracked) {
    if (!existsSync(join(repoRoot, f))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(repoRoot, f), join(dir, f));
  }
  return dir;
}
const runFolders = () => (existsSync(join(project, 'reports')) ? readdirSync(join(project, 'reports')) : []);

beforeAll(async () => {
  project = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
  // The user's own k6, on PATH under its usual name.
  const bin = join(project, 'user-bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(realK6, join(bin, 'k6'));
  env = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? '',
    NO_COLOR: '1',
    CI: 'true',
    XDG_CACHE_HOME: xdg,
  };
  mkdirSync(xdg, { recursive: true });
  // `npm pack` runs prepack: dist/ is rebuilt from a clean folder, as for a release. It packs a
  // copy of the repository's tracked files, so the rebuild never touches the dist/ that the other
  // end-to-end files are running at the same time.
  const source = sourceCopy();
  const pack = await execa('npm', ['pack', '--json', '--pack-destination', project], { cwd: source, timeout: 180_000 });
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarballFiles = info[0]!.files.map((f) => f.path);
  await execa('npm', ['init', '-y'], { cwd: project });
  await execa('npm', ['install', '--no-audit', '--no-fund', join(project, info[0]!.filename)], { cwd: project, timeout: 300_000 });
}, 600_000);

describe('the tarball', () => {
  it('holds the built CLI, built-in scenarios and lib, schemas, the local profile, the demo and the CI templates', () => {
    for (const f of ['bin/loadctl.js', 'dist/cli.js', 'dist/demo/main.js', 'scenarios/spike.ts', 'scenarios/lib/loadctl.ts', 'schemas/profile.schema.json', 'profiles/local.yaml', 'examples/ci/github-actions-loadctl.yml']) {
      expect(tarballFiles, f).toContain(f);
    }
  });
  it('holds no Go code, no k6 build, no tests, fixtures, benches, docs screenshots or source maps', () => {
    const unwanted = tarballFiles.filter((f) => /^(test|bench|docs|src|k6|\.tools|reports)\//.test(f) || /fixtures|\.go$|go\.(mod|sum)$|\.map$/.test(f));
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

  it('doctor finds the user\'s stock k6 on PATH and says so', async () => {
    const doctor = await npx(['doctor']);
    expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain(`k6 v1.1.0 at ${join(project, 'user-bin', 'k6')} (found on PATH)`);
  });

  it('without any k6: doctor and run say where to get one (exit 3), and the run writes nothing', async () => {
    const none = { PATH: '/usr/bin:/bin', XDG_CACHE_HOME: join(project, 'empty-cache') };
    const doctor = await npx(['doctor'], none);
    expect(doctor.stdout).toMatch(/k6 not found/);
    expect(doctor.stdout).toMatch(/brew install k6/);
    const before = runFolders();
    const r = await npx(['run', 'spike', '--target', 'local', '--duration', '5s', '--progress', 'none'], none);
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/k6 not found/);
    expect(runFolders()).toEqual(before);
  });

  it('run spike --target local --duration 20s passes, with reports in the project', async () => {
    const before = runFolders();
    const r = await npx(['run', 'spike', '--target', 'local', '--duration', '20s', '--progress', 'none']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS /m);
    const result = newRunResult(before);
    expect(result.status).toBe('pass');
    expect(result.samples.format).toBe('json');
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

});
