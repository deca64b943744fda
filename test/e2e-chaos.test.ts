// Chaos through the built CLI with real k6 and a real Toxiproxy that loadctl did not start (the
// profile names it): whatever ends the run mid-fault — Ctrl-C, or k6 killed — loadctl reverts the
// fault before it exits, and Toxiproxy's API shows no toxics and the proxy enabled.
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxyServer, type ToxiproxyServer } from '../src/chaos/toxiproxy-server.js';
import { okServer } from './helpers/chaos.js';
import { cliPath, realK6, tempProject } from './helpers/cli.js';

let tp: ToxiproxyServer;
let project = '';
const PROXY = 'shop-api';

beforeAll(async () => {
  const target = await okServer();
  tp = await startToxiproxyServer();
  const p = await tp.api.createProxy({ name: PROXY, listen: '127.0.0.1:0', upstream: `127.0.0.1:${target.port}` });
  const profile = [
    `baseUrl: http://${p.listen}`,
    'workload:',
    '  thinkTimeMs: 20',
    '  requests:',
    '    - { name: home, path: / }',
    'chaos:',
    `  toxiproxy: { url: "${tp.url}", proxy: ${PROXY} }`,
    '',
  ].join('\n');
  project = tempProject({ 'profiles/shop.yaml': profile }, { localProfile: false });
});
afterAll(async () => {
  await tp?.stop();
});

/** Starts a 40 s run with a latency and a down fault from 3 s on; resolves once both are injected. */
async function runUntilFaulted() {
  const run = execa(process.execPath, [cliPath, 'run', 'sustained', '-t', 'shop', '-d', '40s', '--fault', 'latency=300ms@3s+30s', '--fault', 'bandwidth=50@3s+30s', '--progress', 'none', '--out', 'out'], {
    cwd: project,
    env: { NO_COLOR: '1', LOADCTL_K6: realK6 },
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
    buffer: { stdout: true, stderr: false },
  });
  const lines = createInterface({ input: run.stderr! });
  let injected = 0;
  const stderr: string[] = [];
  for await (const line of lines) {
    stderr.push(line);
    if (/^chaos: f\d-\S+ .* injected at/.test(line) && ++injected === 2) break;
  }
  lines.on('line', (l) => stderr.push(l));
  expect(injected, stderr.join('\n')).toBe(2);
  expect((await tp.api.toxics(PROXY)).length).toBe(2); // the faults are in
  return { run, stderr };
}

async function expectClean(): Promise<void> {
  expect(await tp.api.toxics(PROXY)).toEqual([]);
  expect((await tp.api.proxy(PROXY))?.enabled).toBe(true);
}

describe('a run ended mid-fault reverts its faults', () => {
  it('SIGINT: exit 130, the faults reverted, the run marked interrupted', async () => {
    const { run } = await runUntilFaulted();
    run.kill('SIGINT');
    const r = await run;
    expect(r.exitCode).toBe(130);
    expect(r.stdout).toMatch(/^INTERRUPTED /m);
    await expectClean();
  });

  it('k6 killed: exit 3, the faults reverted', async () => {
    const { run } = await runUntilFaulted();
    const k6 = Number((await execa('pgrep', ['-P', String(run.pid), '-x', 'k6'])).stdout.trim().split('\n')[0]);
    process.kill(k6, 'SIGKILL');
    const r = await run;
    expect(r.exitCode).toBe(3);
    await expectClean();
  });
});
