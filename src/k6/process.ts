// Runs k6 as a child process. k6 gets its own process group so a terminal's Ctrl-C reaches only
// loadctl, which forwards exactly one SIGINT (k6 treats a second one as "stop now").

import { createInterface } from 'node:readline';
import { execa } from 'execa';
import type { K6Invocation } from './args.js';

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
  const child = execa(bin, inv.args, {
    cwd: o.cwd,
    env: { ...inv.envDefaults, ...o.env, ...inv.env },
    extendEnv: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
    detached: true,
    buffer: false,
  });
  const tail: string[] = [];
  const collect = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL) tail.shift();
    o.onLog?.(line);
  };
  if (child.stderr) createInterface({ input: child.stderr }).on('line', collect);
  if (child.stdout) createInterface({ input: child.stdout }).on('line', collect);

  const done = child.then((r) => ({
    exitCode: r.exitCode ?? null,
    signal: r.signal ?? undefined,
    durationMs: Date.now() - started,
    stderrTail: tail,
  }));
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
