// End to end: `compare` of one run against one run judged on the runs' within-run evidence (issue
// 15). Real k6 (the stock 1.1.0 of scripts/install-k6.sh), 20 s `sustained` runs against the demo target at 40 ms, and at 65 ms (p50
// about +55 %). Needs `npm run build` and .tools/bin/k6.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';
import { delayProfile } from './helpers/delay-profile.js';

const profile = delayProfile;

interface Comparison {
  status: string;
  notes: string[];
  checks: { name: string; status: string; baseline?: { changePct: number; method: string } }[];
}

describe.sequential('compare one run against one run (within-run evidence)', () => {
  let project = '';
  const ENV = { LOADCTL_MACHINE: 'e2e-machine' };
  const run = async (target: string, out: string) => {
    const r = await runCli(['run', 'sustained', '-t', target, '-d', '20s', '--vus', '10', '--out', out, '--progress', 'none', '--report', 'json'], { cwd: project, env: ENV, timeoutMs: 150_000 });
    expect(r.exitCode, `${out}: ${r.stdout}\n${r.stderr}`).toBe(0);
  };
  beforeAll(async () => {
    project = tempProject({ 'profiles/base.yaml': profile(40), 'profiles/slow.yaml': profile(65) });
    await run('base', 'ref');
    await run('base', 'same');
    await run('slow', 'slow');
  }, 600_000);

  it('p50 +50 %: fail, exit 1, on the runs’ own evidence', async () => {
    const r = await runCli(['compare', 'slow', 'ref', '--json'], { cwd: project });
    const c = JSON.parse(r.stdout) as Comparison;
    expect(r.exitCode, r.stdout).toBe(1);
    expect(c.status).toBe('fail');
    const p50 = c.checks.find((x) => x.name === 'p50 latency vs baseline (overall)')!;
    expect(p50.status).toBe('fail');
    expect(p50.baseline!.changePct).toBeGreaterThan(40);
    expect(p50.baseline!.method).toMatch(/within-run evidence/);
    expect(c.notes.join('\n')).toMatch(/within-run evidence/);
  }, 60_000);

  it('the same target twice: no failure, exit 0; p50 within tolerance passes', async () => {
    const r = await runCli(['compare', 'same', 'ref', '--json'], { cwd: project });
    const c = JSON.parse(r.stdout) as Comparison;
    expect(r.exitCode, r.stdout).toBe(0);
    expect(c.status).not.toBe('fail');
    // p50 of a 20 s run is known to well under the 10 % tolerance; the tails (p95, p99) vary more
    // between runs on a busy machine and may be inconclusive: bench/compare-accuracy.mjs counts how often.
    expect(c.checks.find((x) => x.name === 'p50 latency vs baseline (overall)')!.status).toBe('pass');
    expect(readFileSync(join(project, 'same', 'result.json'), 'utf8')).toContain('"buckets"');
  }, 60_000);
});
