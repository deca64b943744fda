// What each fault kind takes and who can inject it. A Record over FaultKind, so a new kind does not
// compile until it says its parameters and providers. Pure.
import type { FaultSpec } from '../config/types.js';
import { parseDuration } from '../plan/duration.js';
import type { FaultKind, FaultParams, ProviderName } from './types.js';

export type ParamKey = Exclude<keyof FaultSpec, 'kind' | 'at' | 'duration' | 'scenarios'>;

export interface KindSpec {
  summary: string;
  /** The parameter `--fault <kind>=<value>` sets. */
  main: ParamKey | null;
  params: readonly ParamKey[];
  required: readonly ParamKey[];
  providers: readonly ProviderName[];
}

const NET = ['latency', 'jitter', 'direction'] as const;

export const KINDS: Record<FaultKind, KindSpec> = {
  latency: { summary: 'added latency', main: 'latency', params: ['latency', 'jitter'], required: ['latency'], providers: ['toxiproxy', 'chaos-mesh', 'command'] },
  bandwidth: { summary: 'bandwidth limit', main: 'rate', params: ['rate'], required: ['rate'], providers: ['toxiproxy', 'chaos-mesh', 'command'] },
  reset: { summary: 'connection reset', main: 'timeout', params: ['timeout'], required: [], providers: ['toxiproxy', 'command'] },
  timeout: { summary: 'timeout / blackhole', main: 'timeout', params: ['timeout'], required: [], providers: ['toxiproxy', 'command'] },
  down: { summary: 'target down', main: null, params: [], required: [], providers: ['toxiproxy', 'chaos-mesh', 'command'] },
  'pod-kill': { summary: 'pod killed', main: null, params: [], required: [], providers: ['chaos-mesh', 'kubernetes', 'command'] },
  'network-delay': { summary: 'network delay', main: 'latency', params: NET, required: ['latency'], providers: ['chaos-mesh', 'command'] },
  'network-loss': { summary: 'packet loss', main: 'loss', params: ['loss', 'direction'], required: ['loss'], providers: ['chaos-mesh', 'command'] },
  'network-partition': { summary: 'network partition', main: null, params: ['direction'], required: [], providers: ['chaos-mesh', 'command'] },
  'cpu-stress': { summary: 'CPU stress', main: 'workers', params: ['workers', 'load'], required: [], providers: ['chaos-mesh', 'command'] },
  'memory-stress': { summary: 'memory stress', main: 'size', params: ['size', 'workers'], required: ['size'], providers: ['chaos-mesh', 'command'] },
  scale: { summary: 'Deployment scaled', main: 'replicas', params: ['replicas'], required: ['replicas'], providers: ['kubernetes', 'command'] },
};

/** The normalised parameters of a spec whose keys were checked against KINDS (durations valid). */
export function faultParams(spec: FaultSpec): FaultParams {
  const p: FaultParams = {};
  const ms = (v: string | undefined) => (v === undefined ? undefined : (parseDuration(v) ?? undefined));
  const set = <K extends keyof FaultParams>(k: K, v: FaultParams[K] | undefined) => {
    if (v !== undefined) p[k] = v;
  };
  set('latencyMs', ms(spec.latency));
  set('jitterMs', ms(spec.jitter));
  set('rateKBps', spec.rate);
  set('timeoutMs', ms(spec.timeout));
  set('lossPercent', spec.loss);
  set('direction', spec.direction);
  set('workers', spec.workers);
  set('loadPercent', spec.load);
  set('size', spec.size);
  set('replicas', spec.replicas);
  // Defaults that make a kind mean what its name says.
  if (spec.kind === 'timeout' || spec.kind === 'reset') p.timeoutMs ??= 0;
  if (spec.kind === 'cpu-stress') {
    p.workers ??= 1;
    p.loadPercent ??= 100;
  }
  if (spec.kind === 'memory-stress') p.workers ??= 1;
  if (spec.kind.startsWith('network-')) p.direction ??= 'to';
  return p;
}

/** "latency 800ms ± 100ms", for logs, the dry run and reports. */
export function describeFault(kind: FaultKind, p: FaultParams): string {
  const parts: string[] = [kind];
  if (p.latencyMs !== undefined) parts.push(`${p.latencyMs}ms${p.jitterMs ? ` ±${p.jitterMs}ms` : ''}`);
  if (p.rateKBps !== undefined) parts.push(`${p.rateKBps} KB/s`);
  if (p.timeoutMs !== undefined && kind === 'timeout') parts.push(p.timeoutMs === 0 ? 'blackhole' : `close after ${p.timeoutMs}ms`);
  if (p.lossPercent !== undefined) parts.push(`${p.lossPercent}%`);
  if (p.workers !== undefined) parts.push(`${p.workers} worker${p.workers === 1 ? '' : 's'}`);
  if (p.loadPercent !== undefined) parts.push(`${p.loadPercent}% load`);
  if (p.size !== undefined) parts.push(p.size);
  if (p.replicas !== undefined) parts.push(`to ${p.replicas} replica${p.replicas === 1 ? '' : 's'}`);
  return parts.join(' ');
}
