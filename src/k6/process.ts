// Runs k6 as a child process. k6 gets its own process group so a terminal's Ctrl-C reaches only
// loadctl, which forwards exactly one SIGINT (k6 treats a second one as "stop now").

import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import type { K6Invocation } from './args.js';
import { resolveEnvTemplates } from './outputs.js';

export interface K6Exit {
  exitCode: number | null;
  signal?: string;
  durationMs: number;
  stderrTail: string[];
}

export interface K6Process {
  pid: number | undefined;
  /** Graceful stop: k6 ends its iterations and flushes outputs. */
  interrupt(): void;
  /** Immediate stop. */
  kill(): void;
  done: Promise<K6Exit>;
}

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  onLog?: (line: string) => void;
}

const TAIL = 40;

export function spawnK6(bin: string, inv: K6Invocation, o: SpawnOptions): K6Process {
  const started = Date.now();
  // node:child_process rather than execa: this is on the path to k6's first request, and loading
  // execa costs ~16 ms of start-up (bench/startup.mjs).
  const child = spawn(bin, inv.args, {
    cwd: o.cwd,
    env: { ...inv.envDefaults, ...o.env, ...resolveEnvTemplates(inv.envTemplates, o.env), ...inv.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const tail: string[] = [];
  const collect = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL) tail.shift();
    o.onLog?.(line);
  };
  const streamsClosed = [child.stderr, child.stdout].map((stream) => {
    const lines = createInterface({ input: stream });
    lines.on('line', collect);
    return new Promise<void>((resolve) => lines.once('close', () => resolve()));
  });
  // If loadctl itself exits abruptly (an uncaught error), k6 goes with it; SIGKILL cannot be caught.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const done = new Promise<K6Exit>((resolve) => {
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      process.off('exit', killOnExit);
      void Promise.all(streamsClosed).then(() =>
        resolve({ exitCode, ...(signal ? { signal } : {}), durationMs: Date.now() - started, stderrTail: tail }),
      );
    };
    child.once('error', (e) => {
      collect(`level=error msg="${e.message.replace(/"/g, "'")}"`);
      finish(null, null);
    });
    child.once('exit', finish);
  });
  return {
    pid: child.pid,
    interrupt: () => void child.kill('SIGINT'),
    kill: () => void child.kill('SIGKILL'),
    done,
  };
}

/** The message of k6's last error log line (`level=error msg="..."`), for exit explanations. */
export function lastK6Error(lines: string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!/level=(error|fatal)/.test(line) && !/^\s*(ERRO|FATA)/.test(line)) continue;
    const m = /msg="((?:[^"\\]|\\.)*)"/.exec(line);
    return (m ? m[1]!.replace(/\\n/g, ' ').replace(/\\"/g, '"').replace(/\\t/g, ' ') : line).trim();
  }
  return undefined;
}
