// The built-in demo target as a child node process (src/demo/main.ts), started for a run and
// stopped after it.
import { join } from 'node:path';
import { packageRoot } from '../util/roots.js';
import { execa } from 'execa';
import type { DemoSettings } from '../config/types.js';
import { TargetError } from '../util/errors.js';
import { limitArgs } from '../demo/flags.js';
import { describeExit, once, sleep, tailOf, withTail } from './child.js';
import type { RunningTarget } from './types.js';

const TOKEN_ENV = 'LOADCTL_DEMO_TOKEN';

export async function startDemoTarget(
  settings: DemoSettings,
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunningTarget> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // From the package root, not this file: the CLI may run bundled (dist/chunks/…).
  const entry = join(packageRoot(), 'dist', 'demo', 'main.js');
  const args = [entry, '--exit-with-stdin'];
  if (settings.delayMs !== undefined) args.push('--delay-ms', String(settings.delayMs));
  if (settings.jitterMs !== undefined) args.push('--jitter-ms', String(settings.jitterMs));
  if (settings.errorRate !== undefined) args.push('--error-rate', String(settings.errorRate));
  if (settings.leakPctPerMin !== undefined) args.push('--leak-pct-per-min', String(settings.leakPctPerMin));
  args.push(...limitArgs(settings));
  // The token travels by environment only, and only when the caller's env holds one.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[TOKEN_ENV];
  const token = opts.env?.[TOKEN_ENV];
  if (token) env[TOKEN_ENV] = token;

  // Its own process group, so a Ctrl-C at the terminal reaches only loadctl, which keeps the
  // target up while k6 stops gracefully; the open stdin pipe ends it if loadctl dies.
  const child = execa(process.execPath, args, {
    env,
    extendEnv: false,
    detached: true,
    stdin: 'pipe',
    buffer: false,
    reject: false,
    forceKillAfterDelay: false,
  });
  const stderrTail = tailOf(child.stderr);
  let exited = false;
  const exit = child.then((r) => {
    exited = true;
    return r;
  });

  const stop = once(async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = sleep(3000).then(() => 'timeout' as const);
    if ((await Promise.race([exit, timer])) === 'timeout') {
      child.kill('SIGKILL');
      await exit;
    }
  });

  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        try {
          const msg = JSON.parse(line) as { ready?: unknown; url?: unknown };
          if (msg.ready === true && typeof msg.url === 'string') resolve(msg.url);
        } catch {
          // Not the ready line; the demo prints nothing else, but stay tolerant.
        }
      }
      if (buf.length > 64_000) buf = ''; // never buffer an unterminated flood
    });
    void exit.then((r) => {
      reject(new TargetError(withTail(`demo target ${describeExit(r)} before it was ready`, stderrTail())));
    });
    timer = setTimeout(() => {
      reject(new TargetError(withTail(`demo target not ready after ${timeoutMs} ms`, stderrTail())));
    }, timeoutMs);
  });

  try {
    const baseUrl = await ready;
    return { baseUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
