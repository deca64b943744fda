// Sets up a run's chaos before k6 starts: the provider (with loadctl's own Toxiproxy in front of
// the target when no existing one is named), the baseUrl k6 must aim at, the timeline task, and a
// cleanup for after the task has stopped.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { RuntimeError, UsageError } from '../util/errors.js';
import type { Plan } from '../plan/types.js';
import { faultTimeline, type FaultTimelineTask } from './fault-task.js';
import { JOURNAL_FILE } from './journal.js';
import type { FaultProvider, ProviderRef } from './provider.js';
import { providerFromRef } from './providers.js';
import { ToxiproxyApi } from './toxiproxy-api.js';
import { startToxiproxyServer } from './toxiproxy-server.js';
import { once } from '../util/once.js';

export interface PreparedChaos {
  baseUrl: string; // what k6 aims at: through loadctl's own Toxiproxy, or the target's unchanged
  provider: FaultProvider;
  task: FaultTimelineTask;
  journalFile: string;
  /** After task.stop(): removes loadctl's own proxy and stops its Toxiproxy. Idempotent. */
  cleanup(): Promise<void>;
}

export interface ChaosSetup {
  baseUrl: string; // the live target URL (a demo target's port is known only once it runs)
  runDir: string; // the journal goes here; created if missing
  runId: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The per-user tools folder: its bin/ is one place toxiproxy-server is looked for. */
  toolsDir?: string;
}

export async function prepareChaos(plan: Plan, s: ChaosSetup): Promise<PreparedChaos | null> {
  const chaos = plan.chaos;
  if (!chaos || chaos.faults.length === 0) return null;
  const tag = randomBytes(4).toString('hex'); // unique per run: names the proxy and resources
  let baseUrl = s.baseUrl;
  let ref: ProviderRef;
  let cleanup = async () => {};
  if (chaos.provider === 'toxiproxy' && chaos.toxiproxy?.url && chaos.toxiproxy.proxy) {
    // An existing Toxiproxy carries traffic the profile set up (often a dependency of the target):
    // k6 keeps aiming at baseUrl.
    const api = new ToxiproxyApi(chaos.toxiproxy.url);
    if (!(await api.proxy(chaos.toxiproxy.proxy))) {
      throw new RuntimeError(`Toxiproxy at ${chaos.toxiproxy.url} has no proxy "${chaos.toxiproxy.proxy}"`, 'create it first, or fix chaos.toxiproxy.proxy in the profile');
    }
    ref = { name: 'toxiproxy', url: chaos.toxiproxy.url, proxy: chaos.toxiproxy.proxy };
  } else if (chaos.provider === 'toxiproxy') {
    const own = await ownToxiproxy(s.baseUrl, `loadctl-${tag}`, s);
    baseUrl = own.baseUrl;
    ref = { name: 'toxiproxy', url: own.server.url, proxy: own.proxy, ownedServerPid: own.server.pid };
    cleanup = async () => {
      await own.server.api.deleteProxy(own.proxy).catch(() => undefined);
      await own.server.stop();
    };
  } else if (chaos.provider === 'chaos-mesh') {
    ref = { name: 'chaos-mesh', settings: chaos.chaosMesh!, runId: tag };
  } else if (chaos.provider === 'kubernetes') {
    ref = { name: 'kubernetes', settings: chaos.kubernetes!, runId: tag };
  } else {
    ref = { name: 'command', settings: chaos.command!, cwd: s.cwd };
  }
  const provider = providerFromRef(ref, s.env);
  const journalFile = join(s.runDir, JOURNAL_FILE);
  const task = faultTimeline({ chaos, provider, journal: { file: journalFile, profile: plan.target.name, runId: s.runId } });
  return { baseUrl, provider, task, journalFile, cleanup: once(cleanup) };
}

/** loadctl's own Toxiproxy on loopback with one proxy in front of the target. */
export async function ownToxiproxy(targetUrl: string, proxy: string, s: Pick<ChaosSetup, 'cwd' | 'env' | 'toolsDir'>) {
  const target = new URL(targetUrl);
  if (target.protocol === 'https:') {
    // k6 would greet the proxy's 127.0.0.1 address and reject the target's certificate.
    throw new UsageError(`loadctl's own Toxiproxy cannot sit in front of ${target.origin}: it forwards TCP, so TLS to an https target fails verification`, 'name an existing Toxiproxy in chaos.toxiproxy (url, proxy), or use chaos.provider chaos-mesh or command');
  }
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const server = await startToxiproxyServer({ env: s.env, cwd: s.cwd, ...(s.toolsDir ? { toolsDir: s.toolsDir } : {}) });
  try {
    const created = await server.api.createProxy({ name: proxy, listen: '127.0.0.1:0', upstream: `${target.hostname}:${port}` });
    const proxied = new URL(targetUrl);
    const [host, listenPort] = splitHostPort(created.listen);
    proxied.hostname = host;
    proxied.port = listenPort;
    return { server, proxy, baseUrl: proxied.toString().replace(/\/$/, targetUrl.endsWith('/') ? '/' : '') };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

function splitHostPort(listen: string): [string, string] {
  const i = listen.lastIndexOf(':');
  return [listen.slice(0, i), listen.slice(i + 1)];
}
