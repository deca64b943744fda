// Starts loadctl's own toxiproxy-server on loopback, on a free port, and stops it. The binary comes
// from scripts/install-toxiproxy.sh (.tools/bin), LOADCTL_TOXIPROXY, or PATH.
import { existsSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import { packageRoot, projectRoot } from '../util/roots.js';
import { execa } from 'execa';
import { RuntimeError } from '../util/errors.js';
import { ToxiproxyApi } from './toxiproxy-api.js';
import { once } from '../util/once.js';

const HINT = 'build it with `bash scripts/install-toxiproxy.sh` (needs Go), or set LOADCTL_TOXIPROXY to a toxiproxy-server binary';

export interface ToxiproxyServer {
  url: string;
  pid: number;
  api: ToxiproxyApi;
  stop(): Promise<void>;
}

export function locateToxiproxy(env: NodeJS.ProcessEnv, cwd: string): string {
  const list = env.LOADCTL_TOXIPROXY
    ? [env.LOADCTL_TOXIPROXY]
    : [join(projectRoot(cwd), '.tools', 'bin', 'toxiproxy-server'), join(packageRoot(), '.tools', 'bin', 'toxiproxy-server'), ...(env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'toxiproxy-server'))];
  const found = list.find((p) => existsSync(p));
  if (!found) throw new RuntimeError(`toxiproxy-server not found (tried ${list.slice(0, 2).join(', ')}${list.length > 2 ? ', PATH' : ''})`, HINT);
  return found;
}

/** A port free right now on 127.0.0.1 (the caller binds it next; a lost race is retried). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startToxiproxyServer(opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<ToxiproxyServer> {
  const bin = locateToxiproxy(opts.env ?? process.env, opts.cwd ?? process.cwd());
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = execa(bin, ['-host', '127.0.0.1', '-port', String(port)], { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', cleanup: true });
    let tail = '';
    child.stderr?.on('data', (c: Buffer) => (tail = (tail + c.toString()).slice(-2000)));
    const url = `http://127.0.0.1:${port}`;
    const api = new ToxiproxyApi(url, 2000);
    const ended = child.then(() => 'ended' as const);
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      const up = await Promise.race([api.version().then(() => 'up' as const, () => 'down' as const), ended]);
      if (up === 'up') {
        const stop = async () => {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await child;
          clearTimeout(timer);
        };
        return { url, pid: child.pid!, api: new ToxiproxyApi(url), stop: once(stop) };
      }
      if (up === 'ended') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await child;
    lastError = tail.trim().split('\n').slice(-2).join(' ');
  }
  throw new RuntimeError(`toxiproxy-server (${bin}) did not start${lastError ? `: ${lastError}` : ''}`, HINT);
}

