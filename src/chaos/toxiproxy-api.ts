// A small client for Toxiproxy's HTTP API (v2: /proxies, /proxies/{p}/toxics, /version). Every
// call is bounded in time, so a hung Toxiproxy cannot hang a run's teardown.
import { RuntimeError } from '../util/errors.js';

export interface ToxicBody {
  name: string;
  type: 'latency' | 'bandwidth' | 'reset_peer' | 'timeout' | 'slow_close' | 'slicer' | 'limit_data';
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ProxyInfo {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicBody[];
}

export class ToxiproxyError extends RuntimeError {}

export class ToxiproxyApi {
  constructor(
    readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async version(): Promise<string> {
    const r = await this.call('GET', '/version');
    return ((await r.json()) as { version: string }).version;
  }

  /** The proxy, or null when there is none of that name. */
  async proxy(name: string): Promise<ProxyInfo | null> {
    const r = await this.call('GET', `/proxies/${enc(name)}`, undefined, [404]);
    return r.status === 404 ? null : ((await r.json()) as ProxyInfo);
  }

  async createProxy(p: { name: string; listen: string; upstream: string }): Promise<ProxyInfo> {
    const r = await this.call('POST', '/proxies', { ...p, enabled: true });
    return (await r.json()) as ProxyInfo;
  }

  async deleteProxy(name: string): Promise<void> {
    await this.call('DELETE', `/proxies/${enc(name)}`, undefined, [404]);
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.call('PATCH', `/proxies/${enc(name)}`, { enabled });
  }

  async toxics(proxy: string): Promise<ToxicBody[]> {
    const r = await this.call('GET', `/proxies/${enc(proxy)}/toxics`);
    return (await r.json()) as ToxicBody[];
  }

  /** Adds the toxic; one of the same name already there (a retried inject) is replaced. */
  async addToxic(proxy: string, toxic: ToxicBody): Promise<void> {
    const r = await this.call('POST', `/proxies/${enc(proxy)}/toxics`, toxic, [409]);
    if (r.status === 409) {
      await this.removeToxic(proxy, toxic.name);
      await this.call('POST', `/proxies/${enc(proxy)}/toxics`, toxic);
    }
  }

  /** Idempotent: a toxic that is not there is already removed. */
  async removeToxic(proxy: string, name: string): Promise<void> {
    await this.call('DELETE', `/proxies/${enc(proxy)}/toxics/${enc(name)}`, undefined, [404]);
  }

  private async call(method: string, path: string, body?: unknown, tolerated: number[] = []): Promise<Response> {
    let r: Response;
    try {
      r = await fetch(`${this.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const why = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      throw new ToxiproxyError(`Toxiproxy at ${this.url} did not answer ${method} ${path}: ${why}`, 'check that toxiproxy-server is running there');
    }
    if (r.ok || tolerated.includes(r.status)) return r;
    const text = (await r.text().catch(() => '')).trim().slice(0, 200);
    throw new ToxiproxyError(`Toxiproxy ${method} ${path} answered ${r.status}${text ? `: ${text}` : ''}`);
  }
}

const enc = encodeURIComponent;
