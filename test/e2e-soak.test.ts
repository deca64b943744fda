// Real k6 soaks against the built-in demo target, short (20 s of load): a healthy target's run
// shows no drift; a leaking one (300 % a minute: strong, so 20 s show it), run through the nightly
// script, is caught by the drift check and recorded as such in the history. Build first
// (`npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { judgeDrift } from '../src/judge/drift.js';
import { parseHistory } from '../src/history/record.js';
import type { RunResult } from '../src/results/types.js';
import { cliPath, realK6, repoRoot, runCli, tempProject } from './helpers/cli.js';

const readResult = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;

describe('soak drift with real k6', () => {
  it('a healthy demo target: no drift check fails', async () => {
    const dir = tempProject();
    const r = await runCli(['run', 'soak', '-t', 'local', '-d', '20s', '-o', 'reports/healthy', '--report', 'json', '--progress', 'none'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const result = readResult(join(dir, 'reports/healthy'));
    expect(result.series.length).toBeGreaterThanOrEqual(18);
    const checks = judgeDrift(result);
    expect(checks.map((c) => c.metric)).toEqual(['p95', 'p99', 'errorRate', 'rps']);
    for (const c of checks) expect(c.status, `${c.name}: ${c.reason}`).toBe('pass');
    // The run judged the same itself (drift is on by default for soak).
    expect(result.checks.filter((c) => c.kind === 'drift').map((c) => [c.metric, c.status])).toEqual(checks.map((c) => [c.metric, c.status]));
    expect(result.status).toBe('pass');
  }, 150_000);

  it('a leaking demo target through the nightly script: latency drift fails, exit 1, recorded in the history', async () => {
    const dir = tempProject();
    const r = await execa('sh', [join(repoRoot, 'examples/nightly/nightly.sh'), 'local', '20s', '--set', 'demo.leakPctPerMin=300', '--set', 'sla.p99=2000', '--set', 'sla.requests.slow.p95=2000', '--report', 'json,md'], {
      cwd: dir,
      env: { NO_COLOR: '1', CI: 'true', LOADCTL_K6: realK6, LOADCTL: `node ${cliPath}`, LOADCTL_NIGHTLY_OUT: 'reports/leak', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
      reject: false,
      timeout: 120_000,
    });
    expect(r.exitCode, r.stderr).toBe(1);
    const result = readResult(join(dir, 'reports/leak'));
    // The run meets its SLA (the limits on /slow are raised: it doubles, from ~255 to ~500 ms):
    // only the trend gives the leak away, and the run's own drift check fails it. p99 is /slow's
    // latency, scaled by the leak.
    const sla = result.checks.filter((c) => c.kind === 'sla');
    expect(sla.every((c) => c.status === 'pass'), JSON.stringify(sla)).toBe(true);
    expect(result.status).toBe('fail');
    expect(result.checks.find((c) => c.kind === 'drift' && c.metric === 'p99')?.status).toBe('fail');
    const p99 = judgeDrift(result).find((c) => c.metric === 'p99')!;
    expect(p99.status, p99.reason).toBe('fail');
    expect(p99.drift!.direction).toBe('rising');
    expect(p99.drift!.to).toBeGreaterThan(p99.drift!.from * 1.4);
    const history = parseHistory(readFileSync(join(dir, 'baselines/local/soak.history.jsonl'), 'utf8'));
    expect(history.records).toHaveLength(1);
    expect(history.records[0]!.driftFailed).toContain('p99');
    expect(r.stdout).toMatch(/drift: p99 latency drift \(overall\): p99 latency rising \+\d+/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('### Nightly history: soak on local');
    expect(existsSync(join(dir, 'reports/leak/history.html'))).toBe(true);
  }, 150_000);
});
