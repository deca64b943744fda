// `loadctl install-k6` runs the package's scripts/install-k6.sh; without Go it explains and builds nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileTree, runCli, tempProject } from './helpers/cli.js';

describe('install-k6', () => {
  it('without Go on PATH: exit 3, says Go is needed and how to go on, builds nothing', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
    const before = fileTree(dir);
    // bash and coreutils stay reachable; Go (/usr/local/go/bin or ~/go/bin) does not.
    const r = await runCli(['install-k6', '--dir', join(dir, 'k6-tools')], { cwd: dir, env: { PATH: '/usr/bin:/bin' } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/Go is needed to build k6 v2\.2\.0/);
    expect(r.stderr).toMatch(/^error: building k6 failed/m);
    expect(r.stderr).toMatch(/install Go >= 1\.25/);
    expect(existsSync(join(dir, 'k6-tools', 'bin', 'k6'))).toBe(false);
    expect(fileTree(dir).filter((f) => !f.startsWith('k6-tools'))).toEqual(before);
  });
});
