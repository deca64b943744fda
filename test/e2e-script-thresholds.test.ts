// A plain k6 script keeps its own options, thresholds included: when k6 says they failed (exit
// 99) the run fails (exit 1) and says why, on top of the profile's SLA.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempProject } from './helpers/cli.js';

describe("a plain script's own thresholds", () => {
  it('fail the run when k6 reports them failed', async () => {
    const dir = tempProject();
    const out = join(dir, 'out');
    const r = await runCli(['run', join(repoRoot, 'test', 'fixtures', 'plain-threshold.js'), '-t', 'local', '--out', out, '--baseline', 'none'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("the script's own k6 thresholds failed");
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.status).toBe('fail');
    expect(result.k6.exitCode).toBe(99);
    expect(result.metrics.http.requests).toBeGreaterThan(0);
  });
});
