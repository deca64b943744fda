// Scaling through the built CLI with real k6 against the demo target with a capacity limit: the
// staircase reports a capacity near the limit, a capacity drop against the pool fails the run, and
// the autoscaler's reaction is probed from the demo's /metrics and timed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers/cli.js';

interface Result {
  status: string;
  capacity?: number;
  checks: { name: string; kind: string; status: string; reason?: string }[];
  scaling?: { analysis: { capacity: number | null; steps: { verdict: string }[] }; reactions?: { step: string; reactionMs: number | null }[] };
  probes?: { name: string; points: { atMs: number; value: number | null }[] }[];
}
const read = (dir: string): Result => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Result;

/** One request per iteration, so iterations/s is requests/s; `limit` req/s per replica. */
function profile(limit: number, extra: string[] = []): string {
  return [
    'demo:',
    `  capacity: { rps: ${limit}, concurrency: 10, queue: 30 }`,
    'workload:',
    '  requests:',
    '    - { name: item, path: /items/1 }',
    'sla: { p95: 250, errorRate: 0.01 }',
    'baseline: { minPool: 2 }',
    'safety: { maxVUs: 1000, maxRPS: 1000 }',
    ...extra,
    '',
  ].join('\n');
}

// 200..350/s in steps of 50, 8 s each (a 5 s ramp into each step, judged over its 3 s hold): both
// limits, 320 and 30 % lower 224, lie between two steps (a limit on a step would make that step a
// coin toss between runs), and the staircase goes past both.
const STAIRS = ['--set', 'scenarios.scaling.start=200', '--set', 'scenarios.scaling.step=50', '--set', 'scenarios.scaling.steps=4', '--set', 'scenarios.scaling.stepSeconds=8', '--progress', 'none'];

describe('capacity from the staircase', () => {
  let project = '';
  beforeAll(() => {
    project = tempProject({ 'profiles/cap320.yaml': profile(320), 'profiles/cap224.yaml': profile(224) });
  });

  it('finds the capacity within 15 % of the limit, and a step past it does not fail the run by itself', async () => {
    const r = await runCli(['run', 'scaling', '-t', 'cap320', '--out', 'a', '--update-baseline', ...STAIRS], { cwd: project, timeoutMs: 90_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const result = read(join(project, 'a'));
    expect(result.capacity).toBeGreaterThanOrEqual(320 * 0.85);
    expect(result.capacity).toBeLessThanOrEqual(320 * 1.15);
    expect(result.scaling!.analysis.steps.at(-1)!.verdict).not.toBe('sustained'); // 350/s broke it
    expect(r.stdout).toMatch(/capacity \d+ iterations\/s/);
  }, 120_000);

  it('the capacity falling 30 % against the pool built at the original limit fails the run (exit 1)', async () => {
    const second = await runCli(['run', 'scaling', '-t', 'cap320', '--out', 'b', '--update-baseline', ...STAIRS], { cwd: project, timeoutMs: 90_000 });
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    // The same staircase against a target 30 % slower, judged against cap320's pool.
    const r = await runCli(['run', 'scaling', '-t', 'cap224', '--out', 'c', '--baseline', 'baselines/cap320/scaling.json', ...STAIRS], { cwd: project, timeoutMs: 90_000 });
    const result = read(join(project, 'c'));
    expect(result.capacity).toBeGreaterThanOrEqual(224 * 0.85);
    expect(result.capacity).toBeLessThanOrEqual(224 * 1.15);
    const check = result.checks.find((c) => c.name === 'capacity vs baseline (overall)');
    expect(check, JSON.stringify(result.checks)).toMatchObject({ kind: 'baseline', status: 'fail' });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
  }, 240_000);
});

describe('capacity search (--search)', () => {
  it('finds the limit within 15 % in a few short trials, each in its own folder; the verdict run carries the capacity', async () => {
    const project = tempProject({ 'profiles/cap320.yaml': profile(320, ['search: { ceiling: 2000, start: 100, stepSeconds: 4, precision: 0.15 }']) });
    const r = await runCli(['run', 'scaling', '-t', 'cap320', '--search', '--ceiling', '900', '--budget', '90s', '--out', 'search', '--progress', 'none'], { cwd: project, timeoutMs: 150_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const trials = r.stderr.split('\n').filter((l) => l.startsWith('search: ') && / \d+\/s (sustained|not sustained)/.test(l));
    expect(trials.length).toBeGreaterThanOrEqual(3);
    expect(trials.some((l) => l.includes('not sustained'))).toBe(true); // it went past the limit
    const verdict = /^results: (.*)$/m.exec(r.stdout)![1]!;
    const result = read(verdict);
    expect(result.capacity).toBeGreaterThanOrEqual(320 * 0.85);
    expect(result.capacity).toBeLessThanOrEqual(320 * 1.15);
    expect(result.scaling!.analysis.steps.length).toBe(trials.length);
    expect(r.stdout).toMatch(/capacity \d+ iterations\/s/);
  }, 180_000);

  it('without a ceiling (profile or flag) it refuses, exit 2, naming the field', async () => {
    const project = tempProject({ 'profiles/cap320.yaml': profile(320) });
    const r = await runCli(['run', 'scaling', '-t', 'cap320', '--search'], { cwd: project });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: profiles\/cap320\.yaml: \/search\/ceiling: --search needs the highest rate to try$/m);
  });
});

describe('the autoscaler', () => {
  // A load step that jumps (the staircase ramps into each step over 5 s, which would add the ramp to
  // the reaction): 40/s for 8 s, well below the threshold, then 95/s at once, well above it.
  const JUMP = [
    "import { loadctlOptions, runWorkload } from './lib/loadctl.ts';",
    "import type { ShapeSpec } from './lib/loadctl.ts';",
    "export const shape: ShapeSpec<{ low: number; high: number }> = {",
    "  summary: 'a jump in arrival rate', model: 'arrival', params: { low: 40, high: 95 },",
    "  stages: (p) => [",
    "    { phase: 'step-1', duration: '1s', target: p.low }, { phase: 'step-1', duration: '7s', target: p.low },",
    "    { phase: 'step-2', duration: '200ms', target: p.high }, { phase: 'step-2', duration: '10s', target: p.high },",
    "  ],",
    "};",
    'export const options = loadctlOptions();',
    'export default function () {',
    '  runWorkload();',
    '}',
    '',
  ].join('\n');

  it('is probed from /metrics and its reaction is timed within 2 s of the configured delay', async () => {
    const project = tempProject({
      'scenarios/jump.ts': JUMP,
      'profiles/scaler.yaml': profile(100, [
        'probes:',
        '  - { name: replicas, type: prometheus, url: /metrics, metric: loadctl_demo_replicas, intervalSeconds: 0.25 }',
      ]).replace('  capacity: { rps: 100, concurrency: 10, queue: 30 }', '  capacity: { rps: 100, concurrency: 10, queue: 30 }\n  autoscaler: { reactionSeconds: 4, threshold: 0.8, maxReplicas: 3 }')
        .replace('sla: { p95: 250, errorRate: 0.01 }', 'sla: { p95: 250, errorRate: 0.01, scaling: { maxReactionSeconds: 10, probe: replicas } }'),
    });
    const r = await runCli(['run', 'jump', '-t', 'scaler', '--out', 'out', '--progress', 'none'], { cwd: project, timeoutMs: 90_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const result = read(join(project, 'out'));
    const replicas = result.probes!.find((p) => p.name === 'replicas')!;
    expect(replicas.points.length).toBeGreaterThan(20);
    expect(replicas.points[0]!.value).toBe(1);
    expect(Math.max(...replicas.points.map((p) => p.value ?? 0))).toBe(2);
    const reaction = result.scaling!.reactions!.find((x) => x.step === 'step-2')!;
    expect(reaction.reactionMs).not.toBeNull();
    expect(Math.abs(reaction.reactionMs! / 1000 - 4)).toBeLessThanOrEqual(2);
    expect(result.checks.find((c) => c.name.startsWith('autoscaler reaction'))?.status ?? 'missing', JSON.stringify(result.checks)).toBe('pass');
  }, 120_000);
});
