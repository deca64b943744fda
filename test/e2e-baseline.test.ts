// End to end: baseline pools through the built CLI — build a pool with --update-baseline, judge a
// run against it (and get the same verdict offline from `compare`), refuse failing runs unless
// --force, refuse broken baseline files before any load, and `gate` A/A. Real k6 (the stock 1.1.0 of scripts/install-k6.sh) against
// the built-in demo target. Needs `npx tsc -p tsconfig.json` and .tools/bin/k6.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileTree, repoRoot, runCli, tempProject } from './helpers/cli.js';

interface Pool {
  schemaVersion: number;
  runs: { runId: string; status: string; fingerprint: { planHash: string; k6Version: string; machine: string } }[];
  history: { action: string; runId: string; note?: string }[];
}
interface Result {
  runId: string;
  status: string;
  checks: { name: string; kind?: string; status: string }[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
// One machine label for every run, so fingerprints match whatever the host is called.
const ENV = { LOADCTL_MACHINE: 'e2e-machine' };

// The broken-baseline cases start no load: they run alongside the k6 runs, which stay one at a time.
describe.concurrent('baselines', () => {
  describe.sequential('with real k6, one run at a time', () => {
    describe('a baseline pool for sustained on local', () => {
      let project = '';
      let poolFile = '';
      const poolRuns: string[] = [];
      beforeAll(() => {
        project = tempProject();
        poolFile = join(project, 'baselines', 'local', 'sustained.json');
      });

      it('three passing runs with --update-baseline build a pool of 3', async () => {
        for (let i = 1; i <= 3; i++) {
          const r = await runCli(['run', 'sustained', '-t', 'local', '-d', '4s', '--update-baseline', '--out', `pool-${i}`, '--progress', 'none'], { cwd: project, env: ENV });
          expect(r.exitCode, `run ${i}: ${r.stdout}\n${r.stderr}`).toBe(0);
          const result = readJson<Result>(join(project, `pool-${i}`, 'result.json'));
          expect(['pass', 'inconclusive']).toContain(result.status);
          expect(`${r.stdout}\n${r.stderr}`).toContain(`added ${result.runId} to baselines/local/sustained.json`);
          poolRuns.push(result.runId);
        }
        const pool = readJson<Pool>(poolFile);
        expect(pool.schemaVersion).toBe(1);
        expect(pool.runs.map((x) => x.runId)).toEqual(poolRuns);
      });

      it('baseline show lists the three runs; baseline history shows three adds', async () => {
        const show = await runCli(['baseline', 'show', 'sustained', '-t', 'local'], { cwd: project });
        expect(show.exitCode, show.stderr).toBe(0);
        expect(show.stdout).toMatch(/baselines\/local\/sustained\.json: local \/ sustained, 3 of 10 runs/);
        for (const id of poolRuns) expect(show.stdout).toContain(id);
        expect(show.stdout).toMatch(/spread across runs/);

        const history = await runCli(['baseline', 'history', 'sustained', '-t', 'local'], { cwd: project });
        expect(history.exitCode, history.stderr).toBe(0);
        const lines = history.stdout.split('\n').filter((l) => l.trim() !== '');
        expect(lines).toHaveLength(3);
        lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^\\S+\\s+add\\s+${poolRuns[i]}$`)));
      });

      it('a fourth run is judged against the pool, and `compare <run> baseline` gives the same verdict', async () => {
        const r = await runCli(['run', 'sustained', '-t', 'local', '-d', '4s', '--out', 'A', '--progress', 'none'], { cwd: project, env: ENV });
        expect([0, 1], r.stdout + r.stderr).toContain(r.exitCode);
        const live = readJson<Result>(join(project, 'A', 'result.json'));
        const baselineChecks = live.checks.filter((c) => c.kind === 'baseline');
        expect(baselineChecks.length, JSON.stringify(live.checks)).toBeGreaterThan(0);
        expect(readJson<Pool>(poolFile).runs).toHaveLength(3); // not added without --update-baseline

        const c = await runCli(['compare', 'A', 'baseline', '--json'], { cwd: project, env: ENV });
        expect(c.exitCode, c.stdout + c.stderr).toBe(live.status === 'fail' ? 1 : 0);
        const offline = JSON.parse(c.stdout) as { status: string; candidate: string; checks: { name: string; status: string }[] };
        expect(offline.candidate).toBe(live.runId);
        expect(offline.status).toBe(live.status);
        // Check by check, too.
        expect(offline.checks.map((x) => [x.name, x.status])).toEqual(baselineChecks.map((x) => [x.name, x.status]));
      });

      it('a failing run with --update-baseline is not added, and says why', async () => {
        const before = readFileSync(poolFile);
        const r = await runCli(['run', 'sustained', '-t', 'local', '-d', '4s', '--set', 'demo.errorRate=0.5', '--update-baseline', '--out', 'bad', '--progress', 'none'], { cwd: project, env: ENV });
        expect(r.exitCode, r.stdout + r.stderr).toBe(1);
        expect(readJson<Result>(join(project, 'bad', 'result.json')).status).toBe('fail');
        expect(`${r.stdout}\n${r.stderr}`).toMatch(/baseline not updated: the run's verdict is fail/);
        expect(readJson<Pool>(poolFile).runs).toHaveLength(3);
        expect(readFileSync(poolFile).equals(before)).toBe(true);
      });

      it('with --force it is added, and baseline history records a forced add', async () => {
        const r = await runCli(
          ['run', 'sustained', '-t', 'local', '-d', '4s', '--set', 'demo.errorRate=0.5', '--update-baseline', '--force', '--out', 'forced', '--progress', 'none'],
          { cwd: project, env: ENV },
        );
        expect(r.exitCode, r.stdout + r.stderr).toBe(1);
        const forced = readJson<Result>(join(project, 'forced', 'result.json'));
        expect(forced.status).toBe('fail');
        expect(`${r.stdout}\n${r.stderr}`).toContain(`FORCED: added a non-passing run ${forced.runId}`);
        const pool = readJson<Pool>(poolFile);
        expect(pool.runs.map((x) => x.runId)).toEqual([...poolRuns, forced.runId]);
        expect(pool.history.at(-1)).toMatchObject({ action: 'force-add', runId: forced.runId });

        const history = await runCli(['baseline', 'history', 'sustained', '-t', 'local'], { cwd: project });
        expect(history.exitCode, history.stderr).toBe(0);
        const last = history.stdout.split('\n').filter((l) => l.trim() !== '').at(-1)!;
        expect(last).toMatch(new RegExp(`^\\S+\\s+force-add\\s+${forced.runId}\\s+\\(.*status was fail`));
      });
    });

    describe('one machine label, one exit-code rule', () => {
      it('run, baseline add and compare fingerprint with the label the run recorded; inconclusive: fail exits 1 live and offline', async () => {
        const local = readFileSync(join(repoRoot, 'profiles', 'local.yaml'), 'utf8');
        const project = tempProject({ 'profiles/strict.yaml': `${local}\nbaseline:\n  inconclusive: fail\n` });
        const label = { LOADCTL_MACHINE: 'label-x' };
        const run = (out: string, env: Record<string, string>, extra: string[] = []) =>
          runCli(['run', 'sustained', '-t', 'strict', '-d', '3s', '--out', out, '--progress', 'none', ...extra], { cwd: project, env });
        // One run joins the pool live, one is added afterwards from another shell without the label.
        expect((await run('p1', label, ['--update-baseline'])).exitCode).toBe(0);
        expect((await run('p2', label)).exitCode).not.toBe(3);
        const add = await runCli(['baseline', 'add', 'p2', '--force'], { cwd: project });
        expect(add.exitCode, add.stderr).toBe(0);
        const pool = readJson<Pool>(join(project, 'baselines', 'strict', 'sustained.json'));
        expect(pool.runs.map((r) => r.fingerprint.machine)).toEqual(['label-x', 'label-x']);

        // A pool of 2 is too small to judge: inconclusive, which this profile makes fail — live …
        const live = await run('cand', label);
        expect(live.stderr).not.toMatch(/machine .* differs/);
        const result = readJson<Result>(join(project, 'cand', 'result.json'));
        expect(result.status).toBe('inconclusive');
        expect(live.exitCode).toBe(1);
        // … and offline, from any shell.
        const offline = await runCli(['compare', 'cand', 'baseline'], { cwd: project });
        expect(offline.stdout).not.toMatch(/machine .* differs/);
        expect(offline.stdout).toMatch(/^INCONCLUSIVE: /m);
        expect(offline.exitCode).toBe(1);
        // A run recorded under another label is told so.
        await run('other', { LOADCTL_MACHINE: 'label-y' });
        expect((await runCli(['compare', 'other', 'baseline'], { cwd: project })).stdout).toMatch(/machine label-y differs from 2 of 2 baseline runs \(label-x\)/);
      }, 120_000);
    });

    describe('gate A/A', () => {
      it('gate sustained -t local --against local --pairs 3 -d 3s: not a failure; reference-N/candidate-N folders', async () => {
        const project = tempProject();
        const r = await runCli(['gate', 'sustained', '-t', 'local', '--against', 'local', '--pairs', '3', '-d', '3s', '--out', 'gate', '--progress', 'none'], {
          cwd: project,
          env: ENV,
          timeoutMs: 110_000,
        });
        expect(r.exitCode, r.stdout + r.stderr).toBe(0);
        for (let i = 1; i <= 3; i++) {
          for (const kind of ['reference', 'candidate']) {
            expect(existsSync(join(project, 'gate', `${kind}-${i}`, 'result.json')), `${kind}-${i}`).toBe(true);
          }
        }
        expect(r.stderr).toMatch(/pair 3\/3: reference p95 [\d.]+ ms, candidate p95 [\d.]+ ms/);
        const statuses = ['pass', 'inconclusive'];
        expect(statuses).toContain(readJson<Result>(join(project, 'gate', 'candidate-3', 'result.json')).status);
        expect(r.stdout).toMatch(/^(PASS|INCONCLUSIVE) /m);
      }, 120_000);
    });
  });

  describe('a broken baseline file: exit 2 before any load, naming the file and the field, file untouched', () => {
    // A valid pool to break: the recorded spike run added with `baseline add` (no k6 needed).
    let valid = '';
    beforeAll(async () => {
      const dir = tempProject();
      const r = await runCli(['baseline', 'add', join(repoRoot, 'test', 'fixtures', 'result-spike.json')], { cwd: dir });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      valid = readFileSync(join(dir, 'baselines', 'local', 'spike.json'), 'utf8');
    });

    const variants: [string, (text: string) => string, RegExp][] = [
      ['truncated JSON', (t) => t.slice(0, Math.floor(t.length / 2)), /is not valid JSON \(the file looks truncated\)/],
      ['schemaVersion 99', (t) => JSON.stringify({ ...JSON.parse(t), schemaVersion: 99 }, null, 2), /\/schemaVersion: unknown schemaVersion 99/],
      [
        'a missing field',
        (t) => {
          const data = JSON.parse(t) as { runs: { values: { overall: Record<string, unknown> } }[] };
          delete data.runs[0]!.values.overall.p95;
          return JSON.stringify(data, null, 2);
        },
        /\/runs\/0\/values\/overall\/p95: missing required key "p95"/,
      ],
    ];

    it.each(variants)('%s', async (_name, breakIt, says) => {
      const dir = tempProject();
      const file = join(dir, 'baselines', 'local', 'spike.json');
      const broken = breakIt(valid);
      mkdirSync(join(dir, 'baselines', 'local'), { recursive: true });
      writeFileSync(file, broken);
      const before = fileTree(dir);

      const r = await runCli(['run', 'spike', '-t', 'local', '-d', '4s', '--out', 'out', '--progress', 'none'], { cwd: dir });
      expect(r.exitCode, r.stdout + r.stderr).toBe(2);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
      expect(errors, r.stderr).toHaveLength(1);
      expect(errors[0]).toContain('baselines/local/spike.json');
      expect(errors[0]).toMatch(says);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.durationMs).toBeLessThan(4_000 + 10_000); // far less than a run: no k6, no demo target
      expect(existsSync(join(dir, 'out'))).toBe(false);
      expect(existsSync(join(dir, 'reports'))).toBe(false);
      expect(fileTree(dir)).toEqual(before);
      expect(readFileSync(file, 'utf8')).toBe(broken);
    });
  });
});
