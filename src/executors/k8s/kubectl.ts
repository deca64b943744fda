// kubectl as loadctl's one way into a cluster: short commands whose output is read whole, and
// `kubectl proxy`, which gives loadctl an HTTP path to each runner pod's k6 REST API through the API
// server (pods/proxy), so no pod port has to be reachable from this machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { RuntimeError } from '../../util/errors.js';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Kubectl = (args: string[], stdin?: string) => Promise<Ran>;

export function kubectlRunner(bin: string, cwd: string, env: NodeJS.ProcessEnv): Kubectl {
  return (args, stdin) =>
    new Promise((resolve) => {
      const child = spawn(bin, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.once('error', (e) => resolve({ code: null, stdout, stderr: e.message }));
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });
}

export interface ApiProxy {
  /** http://127.0.0.1:<port>, the API server as kubectl's credentials see it. */
  url: string;
  stop(): void;
}

const PROXY_START_MS = 30_000;

/** `kubectl proxy` on a free loopback port; resolves once it serves. */
export function startApiProxy(bin: string, base: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ApiProxy> {
  const child: ChildProcess = spawn(bin, [...base, 'proxy', '--port=0', '--address=127.0.0.1', '--keepalive=30s'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new RuntimeError(`kubectl proxy did not start: ${why}`, 'check that kubectl reaches the cluster (kubectl cluster-info)'));
    };
    const timer = setTimeout(() => fail(`nothing served within ${PROXY_START_MS / 1000} s`), PROXY_START_MS);
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code) => fail(stderr.trim() || `exit ${code}`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /Starting to serve on (\S+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ url: `http://${m[1]}`, stop: () => void child.kill('SIGTERM') });
    });
  });
}
