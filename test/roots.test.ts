// The two roots: the user's project (found from the working directory) and loadctl's package, and
// what each contributes — scenarios, profiles, k6's cache folder — plus what `init` writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listScenarioFiles, locateScenario } from '../src/bundle/locate.js';
import { listProfiles, loadProfile } from '../src/config/load.js';
import { parseProfileText } from '../src/config/yaml-text.js';
import { packageRoot, projectRoot, toolsCacheDir } from '../src/util/roots.js';
import { validateProfile } from '../src/config/validate.js';
import { scaffoldFiles, withGitignoreLines } from '../src/init/scaffold.js';
import { candidates } from '../src/k6/locate.js';
import { repoRoot, tempProject } from './helpers/cli.js';

const bare = (files: Record<string, string> = {}) => tempProject(files, { scenarios: false, localProfile: false, nodeModules: false });

describe('projectRoot', () => {
  it.each([
    ['a profiles/ folder', { 'profiles/x.yaml': 'baseUrl: http://localhost:1\n' }],
    ['a package.json', { 'package.json': '{}' }],
    ['a loadctl.config.json', { 'loadctl.config.json': '{}' }],
  ])('walks up from a subfolder to %s', (_what, files) => {
    const dir = bare({ ...files, 'src/deep/keep.txt': '' });
    expect(projectRoot(join(dir, 'src', 'deep'))).toBe(dir);
  });

  it('stops at the nearest marker (a package inside a monorepo)', () => {
    const dir = bare({ 'package.json': '{}', 'packages/api/package.json': '{}', 'packages/api/src/keep.txt': '' });
    expect(projectRoot(join(dir, 'packages', 'api', 'src'))).toBe(join(dir, 'packages', 'api'));
  });

  it('is the package itself inside loadctl\'s clone', () => {
    expect(packageRoot()).toBe(repoRoot.replace(/\/$/, ''));
    expect(projectRoot(join(repoRoot, 'src', 'config'))).toBe(packageRoot());
  });
});

describe('scenarios from both roots', () => {
  it('lists the built-in scenarios in a project that has none', () => {
    const dir = bare({ 'package.json': '{}' });
    const names = listScenarioFiles(dir).map((s) => s.name);
    expect(names).toEqual(['chaos', 'ramp', 'scaling', 'soak', 'spike', 'sustained']);
    expect(locateScenario('spike', dir).file).toBe(join(packageRoot(), 'scenarios', 'spike.ts'));
  });

  it("a project's file adds a scenario or replaces the built-in one of its name, also from a subfolder", () => {
    const dir = bare({ 'package.json': '{}', 'scenarios/spike.ts': 'export default function () {}\n', 'scenarios/checkout.js': '', 'app/keep.txt': '' });
    const list = listScenarioFiles(join(dir, 'app'));
    expect(list.map((s) => s.name)).toEqual(['chaos', 'checkout', 'ramp', 'scaling', 'soak', 'spike', 'sustained']);
    const spike = list.find((s) => s.name === 'spike')!;
    expect(spike.file).toBe(join(dir, 'scenarios', 'spike.ts'));
    expect(spike.builtin).toBeUndefined();
    expect(list.find((s) => s.name === 'soak')!.builtin).toBe(true);
  });
});

describe('profiles from both roots', () => {
  it('`local` comes from the package when the project has none; the project\'s own wins', async () => {
    const empty = bare({ 'package.json': '{}' });
    const builtin = await loadProfile('local', { cwd: empty, env: {} });
    expect(builtin.profile.demo).toBeDefined();
    expect((await listProfiles(empty)).map((p) => p.name)).toEqual(['local']);

    const own = bare({ 'profiles/local.yaml': 'baseUrl: http://127.0.0.1:9\nworkload: { requests: [{ name: r, path: / }] }\n' });
    const mine = await loadProfile('local', { cwd: own, env: {} });
    expect(mine.profile.baseUrl).toBe('http://127.0.0.1:9');
    expect(mine.file).toBe('profiles/local.yaml');
  });

  it('other names are only the project\'s: unknown names still say which exist', async () => {
    const dir = bare({ 'package.json': '{}' });
    await expect(loadProfile('staging', { cwd: dir, env: {} })).rejects.toThrow(/unknown profile "staging" \(profiles\/: local\)/);
  });
});

describe('where k6 is looked for', () => {
  it('the project, then the per-user cache, then the package, then PATH', () => {
    const dir = bare({ 'package.json': '{}' });
    const env = { XDG_CACHE_HOME: '/xdg', PATH: '/usr/local/bin' };
    const list = candidates({ cwd: dir, env, toolsDir: toolsCacheDir(env, dir) });
    expect(list).toEqual([
      { path: join(dir, '.tools', 'bin', 'k6'), source: 'project' },
      { path: '/xdg/loadctl/bin/k6', source: 'cache' },
      { path: join(packageRoot(), '.tools', 'bin', 'k6'), source: 'loadctl' },
      { path: '/usr/local/bin/k6', source: 'path' },
    ]);
  });

  it('the cache folder: LOADCTL_TOOLS_DIR, else $XDG_CACHE_HOME/loadctl, else ~/.cache/loadctl', () => {
    const dir = bare({ 'package.json': '{}' });
    expect(toolsCacheDir({ LOADCTL_TOOLS_DIR: '/opt/k6', XDG_CACHE_HOME: '/xdg', HOME: '/home/u' }, dir)).toBe('/opt/k6');
    expect(toolsCacheDir({ XDG_CACHE_HOME: '/xdg', HOME: '/home/u' }, dir)).toBe('/xdg/loadctl');
    expect(toolsCacheDir({ HOME: '/home/u' }, dir)).toBe('/home/u/.cache/loadctl');
  });

  it('a relative XDG_CACHE_HOME is ignored; a relative LOADCTL_TOOLS_DIR is the project\'s, wherever the command runs', () => {
    const dir = bare({ 'package.json': '{}', 'scenarios/x.ts': '' });
    expect(toolsCacheDir({ XDG_CACHE_HOME: 'placeholder', HOME: '/home/u' }, dir)).toBe('/home/u/.cache/loadctl');
    expect(toolsCacheDir({ LOADCTL_TOOLS_DIR: '.tools-cache', HOME: '/home/u' }, join(dir, 'scenarios'))).toBe(join(dir, '.tools-cache'));
  });
});

describe('init scaffold', () => {
  const input = (url?: string) => ({
    ...(url ? { url } : {}),
    localProfile: readFileSync(join(repoRoot, 'profiles', 'local.yaml'), 'utf8'),
    workflow: readFileSync(join(repoRoot, 'examples', 'ci', 'github-actions-loadctl.yml'), 'utf8'),
  });

  it('writes a staging profile only with a URL, and every profile it writes is valid', () => {
    expect(scaffoldFiles(input()).map((f) => f.path)).toEqual(['profiles/local.yaml', 'scenarios/example.ts', '.github/workflows/loadctl.yml']);
    const files = scaffoldFiles(input('https://staging.example.com:8443/api'));
    const staging = files.find((f) => f.path === 'profiles/staging.yaml')!;
    const profile = validateProfile(parseProfileText(staging.content, staging.path), staging.path);
    expect(profile.baseUrl).toBe('https://staging.example.com:8443/api');
    const local = files.find((f) => f.path === 'profiles/local.yaml')!;
    expect(validateProfile(parseProfileText(local.content, local.path), local.path).demo).toBeDefined();
    for (const f of [staging, local]) expect(f.content).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/loadctl\/schemas\/profile\.schema\.json$/m);
  });

  it('.gitignore: appends only the missing lines, once', () => {
    const first = withGitignoreLines('node_modules/\nreports/')!;
    expect(first).toBe('node_modules/\nreports/\n# loadctl: run folders and bundled scenarios\n.cache/bundles/\n');
    expect(withGitignoreLines(first)).toBeNull();
    expect(withGitignoreLines(null)).toBe('# loadctl: run folders and bundled scenarios\nreports/\n.cache/bundles/\n');
  });
});
