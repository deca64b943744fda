// `k6 inspect <script>`: the script's resolved options as JSON, without running it. Several parts of
// a run read them (the thresholds loadctl judges, the run tags kept next to testid), so one call per
// script, flags and BASE_URL serves them all within a process.

import { execFile } from 'node:child_process';

export interface Inspected {
  code: number | null; // k6's exit code; null when it could not run or was killed
  stdout: string;
  stderr: string;
  error?: string; // why it failed to run, when it did
}

const done = new Map<string, Promise<Inspected>>();

/** k6 inspect with the system environment passed to the script, as `k6 run` passes it. */
export function k6Inspect(k6: string, script: string, extra: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Inspected> {
  const key = JSON.stringify([k6, script, extra, o.cwd, o.env.BASE_URL ?? null]);
  let p = done.get(key);
  if (!p) {
    const args = ['inspect', '--include-system-env-vars', ...extra, script];
    p = new Promise((resolve) => {
      // Generous: on a busy machine a large script's init code can take seconds.
      execFile(k6, args, { cwd: o.cwd, env: { ...o.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr, ...(err ? { error: err.message } : {}) });
      });
    });
    done.set(key, p);
  }
  return p;
}
