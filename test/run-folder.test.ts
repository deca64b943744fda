// A run's folder is reserved when it starts: two runs of one scenario and target in the same second
// (two CI jobs in one checkout) never share reports/<id>/, and a run that wrote nothing leaves
// nothing behind.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reserveRunFolder } from '../src/pipeline/run-once.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'loadctl-runs-'));
  dirs.push(d);
  writeFileSync(join(d, 'package.json'), '{}');
  return d;
}

describe('the run folder', () => {
  it('the same id twice gets <id> and <id>-2, each made at once', () => {
    const cwd = project();
    const a = reserveRunFolder({ cwd }, '20261202-101010-spike-local');
    const b = reserveRunFolder({ cwd }, '20261202-101010-spike-local');
    expect([a.runId, b.runId]).toEqual(['20261202-101010-spike-local', '20261202-101010-spike-local-2']);
    expect(readdirSync(join(cwd, 'reports')).sort()).toEqual([a.runId, b.runId]);
  });

  it('is given back when the run wrote nothing (and reports/ too when the run made it), kept when it did', () => {
    const cwd = project();
    const empty = reserveRunFolder({ cwd }, 'x');
    empty.release();
    expect(existsSync(join(cwd, 'reports'))).toBe(false);
    const used = reserveRunFolder({ cwd }, 'y');
    writeFileSync(join(used.runDir, 'result.json'), '{}');
    used.release();
    expect(existsSync(join(used.runDir, 'result.json'))).toBe(true);
  });

  it('--out is used as given and not reserved', () => {
    const cwd = project();
    const r = reserveRunFolder({ cwd, outDir: 'out/here' }, 'z');
    expect(r).toMatchObject({ runId: 'z', runDir: join(cwd, 'out', 'here') });
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});
