// Real k6 soaks against the built-in demo target, short (20 s of load): a healthy target's run
// shows no drift; a leaking one (600 % a minute: strong, so 20 s show it), run through the nightly
// script, is caught by the drift check and recorded as such in the history. Build first
// (`npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { judgeDrift } from '../src/judge/analyses/drift.js';
import { parseHistory } from '../src/trend/record.js';
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

  // A strong leak (600 % a minute: latency triples over 20 s) on a target whose every request
  // leaks alike (no /slow endpoint whose few requests per bucket would make p95 jump), so the trend
  // stands far above bucket-to-bucket noise even on a busy machine.
  it('a leaking demo target through the nightly script: p95 drift fails, exit 1, recorded in the history', async () => {
    const dir = tempProject({
      'profiles/leaky.yaml': [
        'demo: { delayMs: 10, jitterMs: 2, leakPctPerMin: 600 }',
        'scale: 0.1',
        'workload: { thinkTimeMs: 50, requests: [{ name: read-item, path: /items/42 }] }',
        'sla: { p95: 5000, p99: 5000, errorRate: 0.01 }',
      ].join('\n'),
    });
    const r = await execa('sh', [join(repoRoot, 'examples/nightly/nightly.sh'), 'leaky', '20s', '--report', 'json,md'], {
      cwd: dir,
      env: { NO_COLOR: '1', CI: 'true', LOADCTL_K6: realK6, LOADCTL: `node ${cliPath}`, LOADCTL_NIGHTLY_OUT: 'reports/leak', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
      reject: false,
      timeout: 120_000,
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const result = readResult(join(dir, 'reports/leak'));
    // The run meets its (raised) SLA: only the trend gives the leak away.
    const sla = result.checks.filter((c) => c.kind === 'sla');
    expect(sla.every((c) => c.status === 'pass'), JSON.stringify(sla)).toBe(true);
    expect(result.status).toBe('fail');
    const p95 = result.checks.find((c) => c.kind === 'drift' && c.metric === 'p95')!;
    expect(p95.status, p95.reason).toBe('fail');
    expect(p95.drift!.direction).toBe('rising');
    expect(p95.drift!.to).toBeGreaterThan(p95.drift!.from * 1.5);
    const history = parseHistory(readFileSync(join(dir, 'baselines/leaky/soak.history.jsonl'), 'utf8'));
    expect(history.records).toHaveLength(1);
    expect(history.records[0]!.driftFailed).toContain('p95');
    expect(r.stdout).toMatch(/drift: p95 latency drift \(overall\): p95 latency rising \+\d+/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('### Nightly history: soak on leaky');
    expect(existsSync(join(dir, 'reports/leak/history.html'))).toBe(true);
  }, 150_000);
});
