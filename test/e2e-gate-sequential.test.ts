// End to end: the sequential gate (`gate --against --budget`, issue 15) with real k6 (stock 1.1.0)
// against the demo target: a candidate 50 % slower stops early with a failure; reference against
// itself never fails and says why it stopped. Needs `npm run build` and .tools/bin/k6.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';
import { delayProfile } from './helpers/delay-profile.js';

const profile = delayProfile;

describe.sequential('sequential gate', () => {
  let project = '';
  const ENV = { LOADCTL_MACHINE: 'e2e-machine' };
  beforeAll(() => {
    project = tempProject({ 'profiles/base.yaml': profile(40), 'profiles/slow.yaml': profile(65) });
  });
  const gate = (target: string, budget: string, out: string) =>
    runCli(['gate', 'sustained', '-t', target, '--against', 'base', '--budget', budget, '-d', '6s', '--vus', '10', '--out', out, '--progress', 'none', '--report', 'json'], { cwd: project, env: ENV, timeoutMs: 300_000 });

  it('p50 +50 %: fails before the budget is used, and says after how many pairs', async () => {
    const r = await gate('slow', '72s', 'up'); // at most 6 pairs of 6 s + 6 s
    const text = `${r.stdout}\n${r.stderr}`;
    expect(r.exitCode, text).toBe(1);
    const m = /stopped after (\d+) of at most 6 pairs \((\d+) s of load\): .*regressed/.exec(text);
    expect(m, text).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(6);
    // A gate that stops after one short pair may have no evidence to state it from: it says so.
    expect(text).toMatch(/this gate (detects latency changes >= [\d.]+% of the p50 with 80% power over its budget of 6 pairs \(tolerance 10%\): the same time added to every request|cannot state the smallest latency change it detects)/);
    expect(existsSync(join(project, 'up', `candidate-${m![1]}`, 'result.json'))).toBe(true);
  }, 320_000);

  it('reference against itself: no failure, exit 0, with the reason it stopped', async () => {
    const r = await gate('base', '36s', 'aa'); // at most 3 pairs
    const text = `${r.stdout}\n${r.stderr}`;
    expect(r.exitCode, text).toBe(0);
    expect(text).toMatch(/stopped after \d of at most 3 pairs \(\d+ s of load\): (every change is bounded below its tolerance|budget used)/);
    // After at least one pair with ~1,000 requests per run, the gate states what its budget can catch.
    expect(text).toMatch(/this gate detects latency changes >= [\d.]+% of the p50 with 80% power over its budget of 3 pairs \(tolerance 10%\): the same time added to every request \(\+[\d.]+ ms; \d+ latency checks?\)/);
    expect(text).toMatch(/this gate detects p50 changes >= [\d.]+% with 80% power over its budget of 3 pairs \(tolerance 10%\): p50 alone, overall and per request \(\d+ latency checks?\)/);
  }, 320_000);

  it('a --budget too small for one pair is a usage error before any load', async () => {
    const b = await runCli(['gate', 'sustained', '-t', 'slow', '--against', 'base', '--budget', '10s', '-d', '6s'], { cwd: project, env: ENV });
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toMatch(/does not cover one pair/);
  }, 60_000);
});
