// The built CLI: `--dry-run` shows the fault timeline (profile chaos block or --fault), and a bad
// fault is exit 2 with one clear line, writing nothing. Build first: `npm run build`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../src/plan/types.js';
import { fileTree, repoRoot, runCli, tempProject } from './helpers/cli.js';

const local = readFileSync(join(repoRoot, 'profiles/local.yaml'), 'utf8');
const chaotic = `${local.replace(/^sla:[\s\S]*$/m, '')}sla:
  p95: 300
  chaos: { maxRecoverySeconds: 5 }
chaos:
  faults:
    - { kind: latency, latency: 1s, at: fault, duration: 20s }
`;

describe('chaos on the command line', () => {
  it('--dry-run shows the timeline from the profile, and --fault replaces it for one run', async () => {
    const dir = tempProject({ 'profiles/chaotic.yaml': chaotic });
    const fromProfile = await runCli(['run', 'chaos', '--target', 'chaotic', '--duration', '90s', '--dry-run'], { cwd: dir });
    expect(fromProfile.exitCode).toBe(0);
    const plan = JSON.parse(fromProfile.stdout) as Plan;
    expect(plan.chaos).toEqual({
      provider: 'toxiproxy',
      faults: [{ id: 'f1-latency', kind: 'latency', params: { latencyMs: 1000 }, at: 'fault', startMs: 40_000, endMs: 60_000, source: 'profiles/chaotic.yaml: /chaos/faults/0' }],
    });
    const flagged = await runCli(['run', 'sustained', '--target', 'chaotic', '--duration', '30s', '--fault', 'latency=1s,jitter=100ms@10s+10s', '--fault', 'down@25s+5s', '--dry-run'], { cwd: dir });
    expect(flagged.exitCode).toBe(0);
    const faults = (JSON.parse(flagged.stdout) as Plan).chaos!.faults;
    expect(faults.map((f) => [f.id, f.startMs, f.endMs, f.params])).toEqual([
      ['f1-latency', 10_000, 20_000, { latencyMs: 1000, jitterMs: 100 }],
      ['f2-down', 25_000, 30_000, {}],
    ]);
  });

  it('a fault outside the run or at an unknown phase: exit 2, one line and a hint, nothing written', async () => {
    const dir = tempProject({ 'profiles/chaotic.yaml': chaotic });
    const before = fileTree(dir);
    const late = await runCli(['run', 'sustained', '--target', 'local', '--duration', '30s', '--fault', 'latency=1s@25s+10s'], { cwd: dir });
    expect(late.exitCode).toBe(2);
    expect(late.stderr).toBe('error: --fault latency=1s@25s+10s: the fault would end at 35s, after the load ends at 30s\nhint: start it earlier or shorten it (a fault that lasts to the end is fine)');
    const phase = await runCli(['run', 'chaos', '--target', 'chaotic', '--set', 'chaos.faults.0.at=storm'], { cwd: dir });
    expect(phase.exitCode).toBe(2);
    expect(phase.stderr).toMatch(/^error: profiles\/chaotic\.yaml: \/chaos\/faults\/0\/at: "storm" is neither an offset like 60s nor a phase of the plan/);
    expect(fileTree(dir)).toEqual(before);
  });
});
