// The user's own service, started by the profile's `start.command` and polled until `readyUrl`
// answers; stopped (its whole process group) after the run.
import { execa, type ResultPromise } from 'execa';
import type { StartSettings } from '../config/types.js';
import { TargetError } from '../util/errors.js';
import { describeExit, once, sleep, tailOf, withTail } from './child.js';
import { groupAlive, signalGroup } from './group.js';
import type { RunningTarget } from './types.js';

function errorText(e: unknown, waitedMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${waitedMs} ms`;
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
    const waitMs = Math.min(1000, left);
    try {
      const res = await fetch(start.readyUrl, { signal: AbortSignal.timeout(waitMs) });
      await res.body?.cancel();
      if (res.ok) return { baseUrl, stop, pid };
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      // A poll cut short by the deadline says nothing new about the service: keep what the last
      // full poll learnt (e.g. ECONNREFUSED) rather than "no answer within 40 ms".
      const timedOut = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
      if (!(timedOut && waitMs < 1000 && lastError !== 'not polled yet')) lastError = errorText(e, waitMs);
    }
    await sleep(Math.min(200, Math.max(0, deadline - Date.now())));
  }
}
