import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRun, baselinePath, readBaseline, removeRun } from '../src/baselines/store.js';
import type { BaselineRun } from '../src/baselines/types.js';
import { baselineCommand } from '../src/commands/baseline/index.js';
import { ConfigError, UsageError } from '../src/util/errors.js';
import { exitCodeFor } from '../src/judge/sla/exit-code.js';
import { comparePipeline } from '../src/pipeline/compare.js';
import { comparisonJson, renderComparison } from '../src/report/views/compare.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const writer = join(repoRoot, 'test', 'fixtures', 'baseline-writer.mjs');
const dirs: string[] = [];
/** Resolves once `cond` holds, checking on every turn of the event loop (bounded, to catch a hang). */
async function until(cond: () => boolean, maxMs = 30_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setImmediate(r));
  }
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'loadctl-baseline-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const metric = (x: number) => ({ p50: x, p95: 2 * x, p99: 3 * x, errorRate: 0, rps: 100, requests: 1000 });
function run(id: string, status: BaselineRun['status'] = 'pass'): BaselineRun {
  return {
    runId: id,
    startedAt: '2026-01-01T00:00:00.000Z',
    status,
    fingerprint: { planHash: 'abc', k6Version: '2.2.0', machine: 'test' },
    values: { overall: metric(10), byName: { home: metric(5) } },
    histograms: { overall: 'HISTFAAAA', byName: { home: 'HISTFAAAB' } },
  };
}

/** A copy of a fixture run without its per-bucket histograms (a run recorded before they were kept). */
function withoutBuckets(dir: string, name: string): string {
  const r = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', name), 'utf8')) as { histograms: { buckets?: unknown } };
  delete r.histograms.buckets;
  const file = join(dir, `bare-${name}`);
  writeFileSync(file, JSON.stringify(r));
  return file;
}

describe('baseline store', () => {
  it('adds, trims to the pool size, removes, and keeps history', async () => {
    const file = baselinePath(tempDir(), 'local', 'spike');
    expect(file).toMatch(/baselines\/local\/spike\.json$/);
    expect(await readBaseline(file)).toBeNull();
    for (const id of ['a', 'b', 'c']) await addRun(file, run(id), { poolSize: 2, note: id === 'a' ? 'first' : undefined });
    let b = (await readBaseline(file))!;
    expect(b).toMatchObject({ schemaVersion: 1, profile: 'local', scenario: 'spike', poolSize: 2 });
    expect(b.runs.map((r) => r.runId)).toEqual(['b', 'c']);
    expect(b.history.map((h) => `${h.action}:${h.runId}`)).toEqual(['add:a', 'add:b', 'add:c', 'remove:a']);
    expect(b.history[0]!.note).toBe('first');
    await expect(addRun(file, run('c'))).rejects.toThrow(/already in/);
    await removeRun(file, 'b');
    b = (await readBaseline(file))!;
    expect(b.runs.map((r) => r.runId)).toEqual(['c']);
    expect(b.history.at(-1)).toMatchObject({ action: 'remove', runId: 'b' });
    await expect(removeRun(file, 'zzz')).rejects.toThrow(/zzz is not in .*runs: c/);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readdirSync(join(file, '..')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a failing run unless forced, and records the force', async () => {
    const file = baselinePath(tempDir(), 'local', 'spike');
    const refused = addRun(file, run('bad', 'fail'));
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toThrow(/status "fail"/);
    await addRun(file, run('bad', 'fail')).catch((e: UsageError) => expect(e.hint).toMatch(/--force/));
    expect(existsSync(file)).toBe(false);
    await addRun(file, run('bad', 'fail'), { force: true, note: 'known flaky' });
    const b = (await readBaseline(file))!;
    expect(b.history[0]).toMatchObject({ action: 'force-add', runId: 'bad', note: 'known flaky; status was fail' });
  });

  describe('bad baseline files: ConfigError naming the file and field, file left as it was', () => {
    const v1 = () => ({ schemaVersion: 1, profile: 'local', scenario: 'spike', poolSize: 10, runs: [run('a')], history: [] });
    const noMachine = () => {
      const b = v1();
      delete (b.runs[0]!.fingerprint as Partial<BaselineRun['fingerprint']>).machine;
      return JSON.stringify(b);
    };
    const cases: [string, string, string, RegExp][] = [
      ['truncated JSON', JSON.stringify(v1()).slice(0, 120), '', /not valid JSON \(the file looks truncated\)/],
      ['unknown schemaVersion', JSON.stringify({ ...v1(), schemaVersion: 7 }), '/schemaVersion', /unknown schemaVersion 7/],
      ['missing field', noMachine(), '/runs/0/fingerprint/machine', /missing required key "machine"/],
      ['unknown key', JSON.stringify({ ...v1(), pool: 3 }), '/pool', /unknown key "pool"/],
      ['wrong type', JSON.stringify({ ...v1(), poolSize: 'ten' }), '/poolSize', /must be integer/],
    ];
    it.each(cases)('%s', async (_what, text, pointer, detail) => {
      const file = baselinePath(tempDir(), 'local', 'spike');
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
      const err = await readBaseline(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect(err).toMatchObject({ file, path: pointer, exitCode: 2 });
      expect((err as ConfigError).message).toMatch(detail);
      expect((err as ConfigError).message.startsWith(`${file}: `)).toBe(true);
      await expect(addRun(file, run('b'))).rejects.toBeInstanceOf(ConfigError);
      await expect(removeRun(file, 'a')).rejects.toBeInstanceOf(ConfigError);
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(existsSync(`${file}.lock`)).toBe(false);
    });

    it('migrates a legacy v0 single-run file on read, and writes v1 on the next change', async () => {
      const file = baselinePath(tempDir(), 'staging', 'soak');
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, JSON.stringify({ schemaVersion: 0, run: run('old') }));
      const b = (await readBaseline(file))!;
      expect(b).toMatchObject({ schemaVersion: 1, profile: 'staging', scenario: 'soak', poolSize: 10 });
      expect(b.runs.map((r) => r.runId)).toEqual(['old']);
      expect(b.history[0]).toMatchObject({ action: 'add', runId: 'old', note: 'migrated from schemaVersion 0' });
      await addRun(file, run('new'));
      const stored = JSON.parse(readFileSync(file, 'utf8'));
      expect(stored.schemaVersion).toBe(1);
      expect(stored.runs.map((r: BaselineRun) => r.runId)).toEqual(['old', 'new']);
      // a v0 file without the version key, as the earliest writer left it
      writeFileSync(file, JSON.stringify({ run: run('older') }));
      expect((await readBaseline(file))!.runs[0]!.runId).toBe('older');
    });
  });
});

describe('baseline store under concurrency and crashes (child processes, built dist/)', () => {
  beforeAll(async () => {
    await execa('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: repoRoot });
  }, 120_000);

  const writeRuns = (file: string, prefix: string, count: string, poolSize = '100') =>
    execa(process.execPath, [writer, file, prefix, count, poolSize], { cwd: repoRoot });

  it('two processes adding 10 runs each at once keep all 20', async () => {
    const file = baselinePath(tempDir(), 'local', 'spike');
    await Promise.all([writeRuns(file, 'p1', '10'), writeRuns(file, 'p2', '10'), addRun(file, run('parent'), { poolSize: 100 })]);
    const b = (await readBaseline(file))!;
    expect(b.runs).toHaveLength(21);
    expect(new Set(b.runs.map((r) => r.runId)).size).toBe(21);
    expect(b.history.filter((h) => h.action === 'add')).toHaveLength(21);
  });

  it('SIGKILL at random moments (25 times) never leaves a missing or corrupt baseline', async () => {
    const file = baselinePath(tempDir(), 'local', 'spike');
    await addRun(file, run('seed'), { poolSize: 5 });
    let landed = 0;
    let midWrite = 0; // kills that left a lock or temp file behind: the writer was inside the lock
    for (let i = 0; i < 25; i++) {
      const child = spawn(process.execPath, [writer, file, `k${i}`, 'forever', '5'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      // Wait for the first write to land (so the kill hits the loop). Then every other kill is
      // aimed inside a write (as soon as its temp file appears), the rest at a random moment.
      await new Promise<void>((resolve) => {
        const t = setInterval(() => out.includes('\n') && (clearInterval(t), resolve()), 2);
      });
      if (i % 2 === 0) await until(() => readdirSync(join(file, '..')).some((n) => n.endsWith('.tmp')));
      else await new Promise((r) => setTimeout(r, Math.random() * 40));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      landed += out.split('\n').filter(Boolean).length;
      if (readdirSync(join(file, '..')).some((n) => n.endsWith('.tmp') || n.endsWith('.lock'))) midWrite++;
      const b = await readBaseline(file); // throws on a corrupt file
      expect(b).not.toBeNull();
      expect(b!.runs.length).toBeGreaterThan(0);
      expect(b!.runs.length).toBeLessThanOrEqual(5);
      JSON.parse(readFileSync(file, 'utf8'));
    }
    // A lock left by the last killed writer is broken at once (its holder is dead).
    const started = Date.now();
    await addRun(file, run('after'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await readBaseline(file))!.runs.at(-1)!.runId).toBe('after');
    expect(readdirSync(join(file, '..')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(landed).toBeGreaterThanOrEqual(25);
    // The aimed kills did land inside a write: a temp file or the lock was left behind each time
    // (unless the write finished between seeing its temp file and the kill, which is rare).
    expect(midWrite).toBeGreaterThanOrEqual(7);
    console.log(`25 kills: ${landed} runs written in all; ${midWrite} kills left a lock or temp file (killed inside the lock)`);
  });

  it('gives up on a live holder after the wait, with a clear error', async () => {
    const file = baselinePath(tempDir(), 'local', 'spike');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, at: Date.now() }));
    const err = await addRun(file, run('x'), { waitMs: 300 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`locked by process ${process.pid}`));
    expect(err).toMatchObject({ exitCode: 3, hint: expect.stringMatching(/delete .*\.lock/) });
    // ...but breaks one older than the stale limit
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, at: Date.now() - 61_000 }));
    await addRun(file, run('y'));
    expect((await readBaseline(file))!.runs.map((r) => r.runId)).toEqual(['y']);
  });
});

describe('baseline and compare commands on real k6 results (test/fixtures/result-spike-*.json)', () => {
  const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);
  it('add, show, history, remove; a failing run only with --force, said loudly', async () => {
    const cwd = tempDir();
    const cmd = (o: Partial<Parameters<typeof baselineCommand>[0]>) => baselineCommand({ cwd, action: 'show', profile: 'local', scenario: 'spike', ...o });
    expect(await cmd({})).toMatch(/no baseline at baselines\/local\/spike\.json/);
    for (const n of [1, 2, 3]) expect(await cmd({ action: 'add', run: fixture(`result-spike-${n}.json`) })).toMatch(new RegExp(`\\(${n}/10 runs\\)`));
    const shown = await cmd({});
    expect(shown).toMatch(/3 of 10 runs/);
    expect(shown).toMatch(/spread across runs[\s\S]*p95 .*±\d/);
    // The pool states what it can catch: one candidate run, default tolerance and α.
    expect(shown).toMatch(/a single run judged against this pool detects p95 changes >= \d+\.\d% with 80% power \(tolerance 10%\)/);
    expect(await cmd({ action: 'history' })).toMatch(/add +2026/);
    const failing = join(cwd, 'failing.json');
    writeFileSync(failing, JSON.stringify({ ...JSON.parse(readFileSync(fixture('result-spike-slow.json'), 'utf8')), status: 'fail' }));
    await expect(cmd({ action: 'add', run: failing })).rejects.toMatchObject({ hint: expect.stringMatching(/--force/) });
    expect(await cmd({ action: 'add', run: failing, force: true })).toMatch(/^WARNING: forced a run whose status is "fail"/);
    const id = JSON.parse(readFileSync(failing, 'utf8')).runId as string;
    expect(await cmd({ action: 'remove', id })).toMatch(/3 runs left/);
    await expect(cmd({ action: 'add', run: join(cwd, 'nope') })).rejects.toBeInstanceOf(UsageError);
    writeFileSync(join(cwd, 'junk.json'), '{"runId": 1}');
    await expect(cmd({ action: 'add', run: join(cwd, 'junk.json') })).rejects.toBeInstanceOf(ConfigError);
  });

  it('compare: a 20 ms slower target fails against the pool; run vs run is judged on within-run evidence', async () => {
    const cwd = tempDir();
    for (const n of [1, 2, 3]) await baselineCommand({ cwd, action: 'add', profile: 'local', scenario: 'spike', run: fixture(`result-spike-${n}.json`) });
    const slow = await comparePipeline({ cwd, a: [fixture('result-spike-slow.json')], b: 'baseline' });
    expect(slow.status).toBe('fail');
    expect(slow.exitCode).toBe(1);
    expect(slow.checks.find((c) => c.name === 'p50 latency vs baseline (overall)')).toMatchObject({ status: 'fail', baseline: { direction: 'regressed', runs: 3 } });
    expect(renderComparison(slow)).toMatch(/^FAIL: \d+ fail/m);
    // Run vs run: each run's within-run evidence (its per-bucket histograms) shows the 20 ms as far
    // beyond noise.
    const twoRuns = await comparePipeline({ cwd, a: [fixture('result-spike-slow.json')], b: fixture('result-spike-1.json') });
    expect(twoRuns.status).toBe('fail');
    expect(twoRuns.exitCode).toBe(1);
    expect(renderComparison(twoRuns)).toMatch(/one run against one run: judged on each run's own within-run evidence/);
    expect(twoRuns.checks.find((c) => c.name === 'p50 latency vs baseline (overall)')?.baseline?.method).toMatch(/within-run evidence/);
    // Without per-bucket histograms there is no evidence: tolerance only, never a failure.
    const bare = await comparePipeline({ cwd, a: [withoutBuckets(cwd, 'result-spike-slow.json')], b: withoutBuckets(cwd, 'result-spike-1.json') });
    expect(bare.status).toBe('inconclusive');
    expect(bare.exitCode).toBe(0);
    expect(renderComparison(bare)).toMatch(/one run against one run: there is no run-to-run spread/);
    expect(bare.checks.every((c) => c.status !== 'fail')).toBe(true);
    const json = await comparePipeline({ cwd, a: [fixture('result-spike-2.json')], b: baselinePath(cwd, 'local', 'spike') });
    expect(JSON.parse(comparisonJson(json))).toMatchObject({ status: json.status, checks: expect.any(Array) });
    expect(json.status).not.toBe('fail');
    await expect(comparePipeline({ cwd: tempDir(), a: [fixture('result-spike-2.json')], b: 'baseline' })).rejects.toThrow(/no baseline at/);
  });

  it('compare exits as the live run did on the same verdict, baseline.inconclusive: fail included', async () => {
    const cwd = tempDir();
    // The live run recorded the profile's policy in its result.json; compare must honour it.
    const strictRun = join(cwd, 'strict.json');
    // Runs without per-bucket histograms, so run vs run is inconclusive (tolerance only).
    const slow = JSON.parse(readFileSync(withoutBuckets(cwd, 'result-spike-slow.json'), 'utf8')) as { baselinePolicy?: object };
    writeFileSync(strictRun, JSON.stringify({ ...slow, baselinePolicy: { inconclusive: 'fail' } }));
    const lenient = await comparePipeline({ cwd, a: [withoutBuckets(cwd, 'result-spike-slow.json')], b: withoutBuckets(cwd, 'result-spike-1.json') });
    const strict = await comparePipeline({ cwd, a: [strictRun], b: withoutBuckets(cwd, 'result-spike-1.json') });
    expect([lenient.status, strict.status]).toEqual(['inconclusive', 'inconclusive']);
    expect(lenient.exitCode).toBe(exitCodeFor('inconclusive'));
    expect(strict.exitCode).toBe(exitCodeFor('inconclusive', 'fail'));
    expect([lenient.exitCode, strict.exitCode]).toEqual([0, 1]);
  });
});
