// A reports folder that cannot take the files: the verdict is still printed, then one clear error
// naming the folder and the cause, exit 3, no stack trace, no temp file left. Real k6, and real
// small file systems (tmpfs mounts: a 64 KiB one that fills up, and a read-only one; root can write
// into any folder, so a chmod would not stop it, but a read-only mount does).
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'loadctl-fs-'));
const full = join(root, 'full');
const readOnly = join(root, 'ro');

beforeAll(async () => {
  mkdirSync(full);
  mkdirSync(readOnly);
  await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]);
  await execa('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', readOnly]);
});
afterAll(async () => {
  for (const m of [full, readOnly]) await execa('umount', [m], { reject: false });
  rmSync(root, { recursive: true, force: true });
});

/** Every file left anywhere under `dir`, dot files (temp files) included. */
function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe.each([
  ['a full disk', () => join(full, 'run'), /no space left on the device \(ENOSPC\)/],
  ['a read-only folder', () => join(readOnly, 'run'), /read-only \(EROFS\)/],
])('%s as --out', (_what, out, cause) => {
  it('prints the verdict, then one error naming the folder and the cause; exit 3; no temp files', async () => {
    const dir = out();
    const r = await runCli(['run', 'sustained', '-t', 'local', '-d', '3s', '--out', dir, '--progress', 'none'], { timeoutMs: 90_000 });
    expect(r.stdout).toMatch(/^PASS all \d+ checks passed$/m);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`could not write the reports to ${dir}`);
    expect(errors[0]).toMatch(cause);
    expect(r.stderr).not.toMatch(/unexpected error|    at /);
    expect(r.exitCode).toBe(3);
    expect(leftovers(join(dir, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
