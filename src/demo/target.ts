// The I/O edge that brings a target up before a run and down after it: the built-in demo target
// (a child node process) or the user's own service (a shell command in its own process group).
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { packageRoot } from '../config/roots.js';
import type { DemoSettings, StartSettings } from '../config/types.js';
import { TargetError } from '../errors.js';

export interface RunningTarget {
  baseUrl: string;
  stop(): Promise<void>;
}

const TOKEN_ENV = 'LOADCTL_DEMO_TOKEN';
const TAIL_BYTES = 2000;

/** Keeps only the end of a stream: enough to explain a failure, bounded for long-lived children. */
function tailOf(stream: NodeJS.ReadableStream | null): () => string {
  let tail = '';
  stream?.on('data', (chunk: Buffer | string) => {
    tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
  });
  return () => tail.trim();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How a child ended, in words: a signal, an exit code, or why it never started. */
function describeExit(r: { signal?: string; exitCode?: number; failed: boolean; shortMessage?: string }): string {
  if (r.signal) return `was killed by ${r.signal}`;
  if (r.exitCode !== undefined) return `exited with code ${r.exitCode}`;
  return `failed to start (${r.shortMessage ?? 'unknown reason'})`;
}

function withTail(message: string, tail: string): string {
  return tail ? `${message}\n${tail}` : message;
}

/** Runs `fn` once; later calls share the first call's promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

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

/** Signals a whole process group; false when no member is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether any live process remains in a group. Zombies are not live, but kill(-pgid, 0) counts them,
 * and where nothing reaps orphans promptly (containers without an init) they linger; so on Linux the
 * group is read from /proc, elsewhere the signal probe has to do.
 */
function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return signalGroup(pgid, 0);
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after it.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

function errorText(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer within 1 s';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

export async function startCommandTarget(
  start: StartSettings,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningTarget & { pid: number | undefined }> {
  const timeoutMs = start.timeoutMs ?? 30_000;
  const baseUrl = new URL(start.readyUrl).origin;
  // Own process group, so stop() reaches whatever the shell started, however deep.
  const child: ResultPromise = execa(start.command, {
    shell: true,
    detached: true,
    cwd: opts.cwd,
    env: opts.env,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    cleanup: false,
    forceKillAfterDelay: false,
  });
  const pid = child.pid;
  child.stdout?.resume(); // drained so a chatty service never blocks on a full pipe
  const stderrTail = tailOf(child.stderr);
  let exitCode: number | undefined;
  let exitText = '';
  let exited = false;
  const exit = child.then((r) => {
    exited = true;
    exitCode = r.exitCode;
    exitText = describeExit(r);
  });
  // A crash of loadctl itself must not leave the user's service running.
  const killOnExit = (): void => {
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  };
  process.on('exit', killOnExit);

  const stop = once(async () => {
    process.off('exit', killOnExit);
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (exited && !groupAlive(pid)) return;
      await sleep(50);
    }
    signalGroup(pid, 'SIGKILL');
    await Promise.race([exit, sleep(1000)]);
  });

  const fail = async (why: string): Promise<never> => {
    await stop();
    const msg = `${JSON.stringify(start.command)} did not make ${start.readyUrl} ready: ${why}`;
    throw new TargetError(withTail(msg, stderrTail()), 'check start.command and start.readyUrl in the profile');
  };

  const deadline = Date.now() + timeoutMs;
  let lastError = 'not polled yet';
  for (;;) {
    // A launcher that exits 0 (e.g. `docker compose up -d`) may still have started the service.
    if (exited && exitCode !== 0) return fail(`the command ${exitText}`);
    const left = deadline - Date.now();
    if (left <= 0) return fail(`timed out after ${timeoutMs} ms (last error: ${lastError})`);
    try {
      const res = await fetch(start.readyUrl, { signal: AbortSignal.timeout(Math.min(1000, left)) });
      await res.body?.cancel();
      if (res.ok) return { baseUrl, stop, pid };
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = errorText(e);
    }
    await sleep(Math.min(200, Math.max(0, deadline - Date.now())));
  }
}

/** Preflight: can we open a TCP connection to the target at all? Fails fast with a clear message. */
export async function checkReachable(baseUrl: string, timeoutMs = 3000): Promise<void> {
  const hint = 'start the service, or check baseUrl in the profile';
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TargetError(`target ${baseUrl} is not a valid URL`, hint);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(new TargetError(`target ${url.href} is unreachable: ${err.message}`, hint));
      else resolve();
    };
    // Our own timer, since the socket's idle timeout does not cover the DNS lookup.
    const timer = setTimeout(() => finish(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => finish());
    socket.on('error', finish);
  });
}
