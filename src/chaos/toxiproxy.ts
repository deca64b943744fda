// The Toxiproxy provider: each fault kind becomes a toxic on the proxy that carries the target's
// traffic, or (down) the proxy disabled. Toxics are named after the fault id, so a revert — here or
// from the journal in another process — removes exactly what this run added.
import { UsageError } from '../util/errors.js';
import type { FaultProvider, FaultState, ProviderRef } from './provider.js';
import { ToxiproxyApi, type ToxicBody } from './toxiproxy-api.js';
import type { FaultKind, FaultParams, PlannedFault } from './types.js';

type Action = { toxic: Omit<ToxicBody, 'name'> } | { disable: true } | null;
const toxic = (type: ToxicBody['type'], attributes: Record<string, number>): Action => ({ toxic: { type, stream: 'downstream', toxicity: 1, attributes } });

// Responses (downstream) carry the fault, so every request on every open connection sees it.
const ACTIONS: Record<FaultKind, (p: FaultParams) => Action> = {
  latency: (p) => toxic('latency', { latency: p.latencyMs ?? 0, jitter: p.jitterMs ?? 0 }),
  bandwidth: (p) => toxic('bandwidth', { rate: p.rateKBps ?? 0 }),
  reset: (p) => toxic('reset_peer', { timeout: p.timeoutMs ?? 0 }),
  timeout: (p) => toxic('timeout', { timeout: p.timeoutMs ?? 0 }),
  down: () => ({ disable: true }),
  'pod-kill': () => null,
  'network-delay': () => null,
  'network-loss': () => null,
  'network-partition': () => null,
  'cpu-stress': () => null,
  'memory-stress': () => null,
  scale: () => null,
};

export function toxiproxyAction(f: PlannedFault): Action {
  return ACTIONS[f.kind](f.params);
}

export class ToxiproxyProvider implements FaultProvider {
  readonly name = 'toxiproxy' as const;
  readonly api: ToxiproxyApi;

  constructor(readonly ref: Extract<ProviderRef, { name: 'toxiproxy' }>) {
    this.api = new ToxiproxyApi(ref.url);
  }

  async inject(f: PlannedFault): Promise<void> {
    const a = this.action(f);
    if ('disable' in a) await this.api.setEnabled(this.ref.proxy, false);
    else await this.api.addToxic(this.ref.proxy, { name: f.id, ...a.toxic });
  }

  async revert(f: PlannedFault): Promise<void> {
    const a = this.action(f);
    if ('disable' in a) await this.api.setEnabled(this.ref.proxy, true);
    else await this.api.removeToxic(this.ref.proxy, f.id);
  }

  async status(f: PlannedFault): Promise<FaultState> {
    const proxy = await this.api.proxy(this.ref.proxy);
    if (!proxy) return 'inactive';
    const a = this.action(f);
    if ('disable' in a) return proxy.enabled ? 'inactive' : 'active';
    return proxy.toxics.some((t) => t.name === f.id) ? 'active' : 'inactive';
  }

  private action(f: PlannedFault): Exclude<Action, null> {
    const a = toxiproxyAction(f);
    if (!a) throw new UsageError(`Toxiproxy cannot inject "${f.kind}" (${f.source})`, 'use chaos.provider chaos-mesh or command for Kubernetes kinds');
    return a;
  }
}
