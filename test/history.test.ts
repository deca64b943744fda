import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory, historyPath, readHistory } from '../src/trend/store.js';
import { analyseHistory } from '../src/trend/analyse.js';
import { changePoints } from '../src/trend/changepoint.js';
import { formatHistory, historyRecord, type HistoryRecord } from '../src/trend/record.js';
import type { RunResult } from '../src/results/types.js';
import { gaussian, seededRandom, type Random } from '../src/util/random.js';
import { repoRoot, runCli, tempProject } from './helpers/cli.js';

const fixture = (): RunResult => JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/result-spike.json'), 'utf8')) as RunResult;

/** `nights` nights of p95 around 100 ms, ±5 % uniform run-to-run noise, ×`step` from night `at` (0-based). */
function nightly(rand: Random, o: { nights?: number; at?: number; step?: number; noise?: () => number } = {}): number[] {
  const noise = o.noise ?? (() => 1 + 0.1 * (rand() - 0.5));
  return Array.from({ length: o.nights ?? 30 }, (_, i) => 100 * (o.at !== undefined && i >= o.at ? (o.step ?? 1.15) : 1) * noise());
}

function records(p95s: number[], rps?: number[]): HistoryRecord[] {
  return p95s.map((p95, i) => ({
    v: 1,
    runId: `night-${i + 1}`,
    startedAt: new Date(Date.UTC(2026, 9, 1 + i, 2)).toISOString(),
    status: 'pass',
    durationMs: 1_800_000,
    requests: 100_000,
    errorRate: 0,
    rps: rps?.[i] ?? 50,
    p50: p95 / 2,
    p95,
    p99: p95 * 2,
  }));
}

describe('change points in nightly series', () => {
  it('finds a +15 % step at night 20 (±1) in 30 nights with ±5 % noise, and none in flat histories', () => {
    const rand = seededRandom(20);
    const trials = 200;
    let found = 0;
    let falseAlarms = 0;
    for (let t = 0; t < trials; t++) {
      // Night 20 counted from 1 is index 19: the first night at the new level.
      const step = changePoints(nightly(rand, { at: 19 }).map(Math.log));
      if (step.some((c) => Math.abs(c.index - 19) <= 1)) found++;
      if (changePoints(nightly(rand).map(Math.log)).length > 0) falseAlarms++;
    }
    expect(found / trials).toBeGreaterThanOrEqual(0.95);
    expect(falseAlarms / trials).toBeLessThanOrEqual(0.03);
  });

  it('still finds most steps with Gaussian noise of 5 % standard deviation', () => {
    const rand = seededRandom(21);
    let found = 0;
    for (let t = 0; t < 100; t++) {
      if (changePoints(nightly(rand, { at: 19, noise: () => 1 + 0.05 * gaussian(rand) }).map(Math.log)).some((c) => Math.abs(c.index - 19) <= 1)) found++;
    }
    expect(found).toBeGreaterThanOrEqual(85);
  });

  it('gives the same answer for the same history (seeded by the data)', () => {
    const xs = nightly(seededRandom(3), { at: 12 }).map(Math.log);
    expect(changePoints(xs)).toEqual(changePoints(xs));
  });
});

describe('analyseHistory', () => {
  it('names the night a regression started and fails only while it is recent', () => {
    const p95 = nightly(seededRandom(5), { at: 25 });
    const a = analyseHistory(records(p95));
    const c = a.changes.find((x) => x.metric === 'p95')!;
    expect(c).toMatchObject({ index: 25, runId: 'night-26', kind: 'regression', recent: true, failing: true });
    expect(c.change).toBeGreaterThan(0.1);
    expect(a.status).toBe('regressed');
    // The same step seen ten nights later: reported, no longer failing.
    const later = analyseHistory(records([...p95, ...nightly(seededRandom(6), { nights: 10, at: 0 })]));
    expect(later.changes.find((x) => x.metric === 'p95')).toMatchObject({ index: 25, failing: false });
    expect(later.status).toBe('ok');
  });

  it('reads falling throughput as a regression and falling latency as an improvement', () => {
    const rand = seededRandom(7);
    const rps = nightly(rand, { at: 26, step: 0.8 }).map((v) => v / 2);
    const p95 = nightly(rand, { at: 26, step: 0.8 });
    const a = analyseHistory(records(p95, rps));
    expect(a.changes.find((c) => c.metric === 'rps')).toMatchObject({ kind: 'regression', failing: true });
    expect(a.changes.find((c) => c.metric === 'p95')).toMatchObject({ kind: 'improvement', failing: false });
  });

  it('says too-short for a handful of nights', () => {
    expect(analyseHistory(records([100, 120, 140])).status).toBe('too-short');
  });
});

describe('history file', () => {
  it('is a compact record per run', () => {
    const r = fixture();
    const rec = historyRecord(r, []);
    expect(rec).toMatchObject({ v: 1, runId: r.runId, status: r.status, requests: r.metrics.http.requests });
    expect(rec.p95).toBeCloseTo(r.metrics.http.latencyMs.p95, 1);
    expect(JSON.stringify(rec).length).toBeLessThan(400);
  });

  it('keeps every concurrent append, stays bounded, and survives a torn line', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false });
    const file = historyPath(dir, 'local', 'soak');
    const recs = records(nightly(seededRandom(9), { nights: 12 }));
    await Promise.all(recs.slice(0, 6).map((r) => appendHistory(file, r)));
    expect((await readHistory(file)).records.map((r) => r.runId).sort()).toEqual(recs.slice(0, 6).map((r) => r.runId).sort());
    expect((await appendHistory(file, recs[0]!)).duplicate).toBe(true);
    // A writer killed mid-append leaves half a line: skipped on reading, dropped at the next write.
    writeFileSync(file, readFileSync(file, 'utf8') + '{"v":1,"runId":"torn","sta');
    expect((await readHistory(file)).skipped).toHaveLength(1);
    await appendHistory(file, recs[6]!);
    const after = await readHistory(file);
    expect(after.skipped).toHaveLength(0);
    expect(after.records).toHaveLength(7);
    const order = after.records.map((r) => r.runId); // the concurrent six landed in some order
    for (const r of recs.slice(7)) await appendHistory(file, r, { max: 8 });
    const trimmed = await readHistory(file);
    expect(trimmed.records.map((r) => r.runId)).toEqual([...order, ...recs.slice(7).map((r) => r.runId)].slice(-8));
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('loadctl history (built CLI)', () => {
  it('prints the trend, exits 1 on a recent regression, writes JSON and the charted page', async () => {
    const p95 = nightly(seededRandom(11), { at: 25 });
    const dir = tempProject({ 'baselines/local/soak.history.jsonl': formatHistory(records(p95)) }, { scenarios: false });
    const text = await runCli(['history', 'soak', '-t', 'local', '--html', 'trend.html'], { cwd: dir });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/REGRESSED: p95 regression \+1\d\.\d% .* from night 26/);
    expect(text.stdout).toContain('wrote trend.html');
    const html = readFileSync(join(dir, 'trend.html'), 'utf8');
    expect(html).toContain('id="chart-p95"');
    expect(html).not.toMatch(/<script[^>]+src=/);
    const json = await runCli(['history', 'soak', '-t', 'local', '--json', '--recent', '3'], { cwd: dir });
    expect(json.exitCode).toBe(0); // night 26 of 30 is not within the newest 3
    const parsed = JSON.parse(json.stdout) as { status: string; changes: { runId: string }[]; records: unknown[] };
    expect(parsed.status).toBe('ok');
    expect(parsed.changes[0]!.runId).toBe('night-26');
    expect(parsed.records).toHaveLength(30);
  });

  it('--add records a finished run, and refuses a run of another scenario', async () => {
    const r = { ...fixture(), scenario: 'soak' };
    const dir = tempProject({ 'run/result.json': JSON.stringify(r) }, { scenarios: false });
    const added = await runCli(['history', 'soak', '-t', 'local', '--add', 'run'], { cwd: dir });
    expect(added.stdout).toContain(`recorded ${r.runId} in baselines/local/soak.history.jsonl`);
    expect(readFileSync(join(dir, 'baselines/local/soak.history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    const wrong = await runCli(['history', 'spike', '-t', 'local', '--add', 'run'], { cwd: dir });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/is a run of soak on local, not spike on local/);
    const bad = await runCli(['history', 'soak', '-t', 'local', '--recent', '0'], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--recent must be a whole number >= 1');
  });
});
