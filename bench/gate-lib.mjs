// Shared by the gate benches (within-ratio, compare-accuracy): a demo target of our own whose delay
// can be changed between runs, a project folder with a `bench` profile aimed at it, and the built
// CLI. Writes only under bench/out/<name>/.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The middle value (the upper one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** [smallest, median, largest], or null for none. */
export const minMedianMax = (xs) => (xs.length ? [Math.min(...xs), median(xs), Math.max(...xs)] : null);
const cli = join(root, 'bin', 'loadctl.js');

/** Starts the demo target and a project aimed at it; returns helpers. */
export async function benchProject(name, { delayMs, jitterMs, vus = 10, thinkTimeMs = 20 }) {
  const work = join(root, 'bench', 'out', name);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'profiles'), { recursive: true });
  symlinkSync(join(root, 'scenarios'), join(work, 'scenarios'));
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const demo = spawn(process.execPath, [join(root, 'dist', 'demo', 'main.js'), '--port', '0', '--delay-ms', String(delayMs), '--jitter-ms', String(jitterMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise((res, rej) => {
    demo.stdout.once('data', (d) => res(JSON.parse(String(d)).url));
    demo.once('exit', () => rej(new Error('demo target exited')));
  });
  writeFileSync(
    join(work, 'profiles', 'bench.yaml'),
    [
      `baseUrl: ${baseUrl}`,
      'workload:',
      `  thinkTimeMs: ${thinkTimeMs}`,
      '  requests:',
      '    - { name: health, path: /health, weight: 1 }',
      '    - { name: read-item, path: /items/42, weight: 6 }',
      '    - { name: create-item, method: POST, path: /items, body: { name: x }, expect: 201, weight: 2 }',
      'sla: { errorRate: 0.05 }',
      '',
    ].join('\n'),
  );
  // A kept-alive connection the target closed in between fails the first try: try again once.
  const put = (ms) => fetch(`${baseUrl}/admin/settings`, { method: 'PUT', body: JSON.stringify({ delayMs: ms }) }).then((r) => r.json());
  const setDelay = (ms) => put(ms).catch(() => put(ms));
  const loadctl = (args) => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', LOADCTL_MACHINE: 'bench' }, encoding: 'utf8', timeout: 300_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
  };
  const sustained = (seconds, extra = []) => ['sustained', '-t', 'bench', '-d', `${seconds}s`, '--vus', String(vus), '--quiet', '--report', 'json', ...extra];
  const readResult = (dir) => JSON.parse(readFileSync(join(work, dir, 'result.json'), 'utf8'));
  return { work, baseUrl, setDelay, loadctl, sustained, readResult, stop: () => demo.kill('SIGTERM') };
}
