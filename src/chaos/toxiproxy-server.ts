// Starts loadctl's own toxiproxy-server on loopback, on a free port, and stops it. The binary comes
// from scripts/install-toxiproxy.sh (.tools/bin), LOADCTL_TOXIPROXY, or PATH.
import { existsSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join, relative } from 'node:path';
import { packageRoot, projectRoot } from '../util/roots.js';
import { execa } from 'execa';
import { RuntimeError } from '../util/errors.js';
import { ToxiproxyApi } from './toxiproxy-api.js';
import { once } from '../util/once.js';

/** The Toxiproxy release loadctl is tested with (scripts/install-toxiproxy.sh builds it). */
export const TOXIPROXY_TESTED = '2.12.0';

/** Every way to get toxiproxy-server, the package's own script first (it needs Go). */
export function toxiproxyHint(cwd: string): string {
  const script = relative(cwd, join(packageRoot(), 'scripts', 'install-toxiproxy.sh')) || 'scripts/install-toxiproxy.sh';
  return [
    `build it with \`bash ${script}\` (Go ≥ 1.22; into ${relative(cwd, join(packageRoot(), '.tools', 'bin')) || '.tools/bin'})`,
    `or \`go install github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_TESTED}\` and put the binary on PATH as toxiproxy-server`,
    'or `brew install toxiproxy` (macOS), a release archive from https://github.com/Shopify/toxiproxy/releases, or the ghcr.io/shopify/toxiproxy image',
    'or set LOADCTL_TOXIPROXY to a toxiproxy-server binary',
  ].join('; ');
}

export interface ToxiproxyServer {
  url: string;
  pid: number;
  api: ToxiproxyApi;
  stop(): Promise<void>;
}

/** Where toxiproxy-server is looked for, in order, each place once: LOADCTL_TOXIPROXY alone, else the bin/ of the project's .tools, the tools folder and the package's .tools, then PATH. */
export function toxiproxyCandidates(env: NodeJS.ProcessEnv, cwd: string, toolsDir?: string): { own: string[]; onPath: string[] } {
  if (env.LOADCTL_TOXIPROXY) return { own: [env.LOADCTL_TOXIPROXY], onPath: [] };
  const dirs = [join(projectRoot(cwd), '.tools'), ...(toolsDir ? [toolsDir] : []), join(packageRoot(), '.tools')];
  const own = [...new Set(dirs.map((d) => join(d, 'bin', 'toxiproxy-server')))];
  return { own, onPath: (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'toxiproxy-server')) };
}

export function locateToxiproxy(env: NodeJS.ProcessEnv, cwd: string, toolsDir?: string): string {
  const { own, onPath } = toxiproxyCandidates(env, cwd, toolsDir);
  const found = [...own, ...onPath].find((p) => existsSync(p));
  if (found) return found;
  const tried = env.LOADCTL_TOXIPROXY ? `LOADCTL_TOXIPROXY=${env.LOADCTL_TOXIPROXY}` : `${own.join(', ')}, then PATH`;
  throw new RuntimeError(`toxiproxy-server not found (tried ${tried}); the chaos scenario and profiles with a chaos: block need it`, toxiproxyHint(cwd));
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

export async function startToxiproxyServer(opts: { env?: NodeJS.ProcessEnv; cwd?: string; toolsDir?: string; timeoutMs?: number } = {}): Promise<ToxiproxyServer> {
  const bin = locateToxiproxy(opts.env ?? process.env, opts.cwd ?? process.cwd(), opts.toolsDir);
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
  throw new RuntimeError(`toxiproxy-server (${bin}) did not start${lastError ? `: ${lastError}` : ''}`, 'run it by hand to see why, or point LOADCTL_TOXIPROXY at a working toxiproxy-server');
}

