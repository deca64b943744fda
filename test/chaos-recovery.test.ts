// Faults left behind by a loadctl that was SIGKILLed mid-fault, with a Toxiproxy it did not start:
// the journal names them, `loadctl chaos revert` (built CLI) reverts them. Build first:
// `npm run build` (the child runs dist/).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, findStaleJournals, readJournal } from '../src/chaos/journal.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../src/chaos/toxiproxy-server.js';
import { revertLeftovers } from '../src/pipeline/chaos.js';
import { ToxiproxyApi } from '../src/chaos/toxiproxy-api.js';
import { okServer, timedGet, until } from './helpers/chaos.js';
import { repoRoot, runCli, tempProject } from './helpers/cli.js';

let tp: ToxiproxyServer;
let proxyUrl: string;
let target: Awaited<ReturnType<typeof okServer>>;

beforeAll(async () => {
  target = await okServer();
  tp = await startToxiproxyServer(); // "someone else's" Toxiproxy: the killed process did not start it
  const p = await tp.api.createProxy({ name: 'shop-api', listen: '127.0.0.1:0', upstream: `127.0.0.1:${target.port}` });
  proxyUrl = `http://${p.listen}`;
});
afterAll(async () => {
  await tp?.stop();
});

/** Runs the timeline in a child, SIGKILLs it once its faults are in; `own`: its own Toxiproxy. */
async function killedMidFault(project: string, profile: string, own = false): Promise<{ journal: string; out: string }> {
  const runDir = join(project, 'reports', `20261201-000000-chaos-${profile}`);
  mkdirSync(runDir, { recursive: true });
  const journal = join(runDir, JOURNAL_FILE);
  const args = own ? ['own', String(target.port)] : [tp.url, 'shop-api'];
  const child = execa(process.execPath, [join(repoRoot, 'test/helpers/chaos-child.mjs'), ...args, journal, profile], { reject: false, timeout: 60_000 });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('injected')) resolve();
    });
    void child.then((r) => reject(new Error(`child ended early: ${r.stderr}`)));
  });
  child.kill('SIGKILL');
  const r = await child;
  expect(r.signal).toBe('SIGKILL');
  return { journal, out };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('revert after loadctl was SIGKILLed mid-fault', () => {
  it('the faults outlive the process; `loadctl chaos revert` removes every toxic and re-enables the proxy', async () => {
    const project = tempProject({}, { scenarios: false, localProfile: false });
    const { journal } = await killedMidFault(project, 'shop');
    // What the killed run left: a latency toxic and a disabled proxy, and a journal naming both.
    const left = await tp.api.proxy('shop-api');
    expect(left?.toxics.map((t) => t.name)).toEqual(['f1-latency']);
    expect(left?.enabled).toBe(false);
    expect((await timedGet(proxyUrl)).status).toBe(0);
    expect((await readJournal(journal))?.active.map((f) => f.id).sort()).toEqual(['f1-latency', 'f2-down']);
    expect(await findStaleJournals(join(project, 'reports'), 'shop')).toEqual([journal]);
    expect(await findStaleJournals(join(project, 'reports'), 'other')).toEqual([]);

    const r = await runCli(['chaos', 'revert', '--target', 'shop'], { cwd: project });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('reverted f1-latency');
    expect(r.stdout).toContain('reverted f2-down');
    const after = await tp.api.proxy('shop-api');
    expect(after?.toxics).toEqual([]);
    expect(after?.enabled).toBe(true);
    expect(existsSync(journal)).toBe(false);
    const healed = await timedGet(proxyUrl);
    expect(healed.status).toBe(200);
    expect(healed.ms).toBeLessThan(500);

    const again = await runCli(['chaos', 'revert', '--target', 'shop'], { cwd: project });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe('nothing to revert for shop: no chaos journal with active faults in reports/');
  });

  it('a journal whose writer is still running is not stale; a Toxiproxy that does not answer fails the revert (exit 3) and keeps the journal', async () => {
    const project = tempProject({}, { scenarios: false, localProfile: false });
    const { journal } = await killedMidFault(project, 'shop');
    expect(await findStaleJournals(join(project, 'reports'), 'shop', () => true)).toEqual([]);
    await tp.api.setEnabled('shop-api', true);
    await tp.api.removeToxic('shop-api', 'f1-latency');
    // Point the journal at a port where nothing answers.
    const { replaceFile } = await import('../src/util/lock.js');
    const j = (await readJournal(journal))!;
    await replaceFile(journal, JSON.stringify({ ...j, provider: { ...j.provider, url: 'http://127.0.0.1:9' } }));
    const r = await runCli(['chaos', 'revert', '--run', journal], { cwd: project });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/could not revert f1-latency .*did not answer/);
    expect((await readJournal(journal))?.active).toHaveLength(2);
  });

  it('the next run for that profile reverts what was left before it starts (revertLeftovers), even when it injects nothing', async () => {
    const project = tempProject({}, { scenarios: false, localProfile: false });
    const { journal } = await killedMidFault(project, 'shop');
    const logs: string[] = [];
    await revertLeftovers(project, 'shop', process.env, (l) => logs.push(l));
    expect(logs).toEqual(['chaos: reverted f1-latency (latency) left by run killed-run', 'chaos: reverted f2-down (down) left by run killed-run']);
    expect(await tp.api.toxics('shop-api')).toEqual([]);
    expect((await tp.api.proxy('shop-api'))?.enabled).toBe(true);
    expect(existsSync(journal)).toBe(false);
  });

  it('with the Toxiproxy the killed loadctl had started itself: reverted, then that orphaned server is stopped', async () => {
    const project = tempProject({}, { scenarios: false, localProfile: false });
    const { journal, out } = await killedMidFault(project, 'local', true);
    const [, pid, url] = /^own (\d+) (\S+)$/m.exec(out)!;
    const orphan = new ToxiproxyApi(url!);
    expect((await orphan.proxy('loadctl-own'))?.enabled).toBe(false); // the orphan still holds the faults
    expect((await readJournal(journal))?.provider).toMatchObject({ ownedServerPid: Number(pid) });
    const r = await runCli(['chaos', 'revert'], { cwd: project });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual([`reverted f1-latency (${journal})`, `reverted f2-down (${journal})`, `stopped the Toxiproxy loadctl had started (pid ${pid})`]);
    await until(() => !alive(Number(pid)));
    expect(existsSync(journal)).toBe(false);
  });
});
