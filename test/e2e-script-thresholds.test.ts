// A plain k6 script keeps its own options, thresholds included: loadctl judges them on its own
// aggregates (k6 runs with --no-thresholds, so it keeps no samples), and a failed one fails the run
// (exit 1) with the threshold named as k6 names it, on top of the profile's SLA.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempProject } from './helpers/cli.js';

describe("a plain script's own thresholds", () => {
  it('fail the run when loadctl judges them failed', async () => {
    const dir = tempProject();
    const out = join(dir, 'out');
    const r = await runCli(['run', join(repoRoot, 'test', 'fixtures', 'plain-threshold.js'), '-t', 'local', '--out', out, '--baseline', 'none'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ FAIL\s+http_req_duration: p\(95\)<0\.001/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.status).toBe('fail');
    expect(result.k6.exitCode).toBe(0); // k6 judged nothing itself
    expect(result.checks.find((c: { name: string }) => c.name === 'http_req_duration: p(95)<0.001')).toMatchObject({ status: 'fail', kind: 'sla', unit: 'ms' });
    expect(result.metrics.http.requests).toBeGreaterThan(0);
  });
});
