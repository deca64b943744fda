// Probe settings → probes: the rules the schema cannot say (which fields each probe type needs),
// and the normalised union the samplers run. Pure: data in, a problem naming the field or probes out.
import { interpolate } from '../config/env.js';
import type { ProbeSettings, Profile } from '../config/types.js';

export type ProbeType = ProbeSettings['type'];

interface Common {
  name: string;
  intervalMs: number;
  timeoutMs: number;
}
export type Probe =
  | (Common & { type: 'command'; command: string })
  | (Common & { type: 'http-json'; url: string; pointer: string })
  | (Common & { type: 'prometheus'; url: string; metric: string; labels: Record<string, string>; aggregate?: 'sum' | 'max' | 'min' | 'avg' })
  | (Common & { type: 'promql'; url: string; query: string })
  | (Common & { type: 'kubernetes'; resource: string; pointer: string; namespace?: string; context?: string });

type Field = Exclude<keyof ProbeSettings, 'name' | 'type' | 'intervalSeconds' | 'timeoutMs'>;

// Which fields each type needs and allows; the compiler makes every type have a row.
const FIELDS: Record<ProbeType, { needs: Field[]; allows: Field[] }> = {
  command: { needs: ['command'], allows: [] },
  'http-json': { needs: ['url', 'pointer'], allows: [] },
  prometheus: { needs: ['url', 'metric'], allows: ['labels', 'aggregate'] },
  promql: { needs: ['url', 'query'], allows: [] },
  kubernetes: { needs: ['resource'], allows: ['pointer', 'namespace', 'context'] },
};

const MAX_TIMEOUT_MS = 10_000;

export interface SettingsProblem {
  pointer: string;
  detail: string;
  hint: string;
}

/** The first cross-field problem of the profile's probes, demo limits and scaling SLA, or null. */
export function scalingSettingsProblem(p: Profile): SettingsProblem | null {
  if (p.demo?.autoscaler && !p.demo.capacity) {
    return { pointer: '/demo/autoscaler', detail: 'needs demo.capacity (each replica adds capacity.rps)', hint: 'add demo.capacity: { rps: 300 }' };
  }
  const names = new Set<string>();
  for (const [i, probe] of (p.probes ?? []).entries()) {
    const at = `/probes/${i}`;
    if (names.has(probe.name)) return { pointer: `${at}/name`, detail: `duplicate probe name "${probe.name}"`, hint: 'give every probe its own name' };
    names.add(probe.name);
    const { needs, allows } = FIELDS[probe.type];
    const missing = needs.find((f) => probe[f] === undefined);
    if (missing) return { pointer: at, detail: `a ${probe.type} probe needs "${missing}"`, hint: `add ${missing} to probe "${probe.name}"` };
    const extra = (Object.keys(FIELDS) as ProbeType[])
      .flatMap((t) => [...FIELDS[t].needs, ...FIELDS[t].allows])
      .find((f) => probe[f] !== undefined && !needs.includes(f) && !allows.includes(f));
    if (extra) return { pointer: `${at}/${extra}`, detail: `does not apply to a ${probe.type} probe`, hint: `remove ${extra} (a ${probe.type} probe uses ${[...needs, ...allows].join(', ')})` };
    // A URL holding ${ENV} is resolved as the probe samples (a bad one then shows as gaps); a path
    // ("/metrics") is the target's own, joined to its base URL when the run starts.
    if (probe.url !== undefined && !probe.url.includes('${') && !/^(https?:\/\/|\/)/.test(probe.url)) return { pointer: `${at}/url`, detail: `must be an http(s) URL (got ${JSON.stringify(probe.url)})`, hint: 'write it like http://127.0.0.1:9090, or /metrics for the target itself' };
  }
  const wanted = p.sla?.scaling?.probe ?? 'replicas';
  if (p.sla?.scaling && !names.has(wanted)) {
    return {
      pointer: p.sla.scaling.probe ? '/sla/scaling/probe' : '/sla/scaling',
      detail: `no probe named "${wanted}" to read the replica count from`,
      hint: `add a probe named "${wanted}" under probes, or set sla.scaling.probe`,
    };
  }
  return null;
}

/** The replica count of a kubernetes probe's object: what its autoscaler last asked for. */
function defaultPointer(resource: string): string {
  const kind = resource.split('/')[0]!;
  return kind === 'hpa' || kind.startsWith('horizontalpodautoscaler') ? '/status/desiredReplicas' : '/spec/replicas';
}

/**
 * Validated settings → probes. URLs get their ${NAME} references resolved from `env` here, at run
 * time; commands keep theirs for the shell to expand, so secret values stay out of plans and reports.
 */
export function toProbes(settings: readonly ProbeSettings[], env: Readonly<Record<string, string | undefined>> = {}): Probe[] {
  return settings.map((raw) => {
    const s = { ...raw, ...(raw.url !== undefined ? { url: interpolate(raw.url, env) } : {}), ...(raw.namespace !== undefined ? { namespace: interpolate(raw.namespace, env) } : {}) };
    const intervalMs = Math.round((s.intervalSeconds ?? 1) * 1000);
    const common: Common = { name: s.name, intervalMs, timeoutMs: s.timeoutMs ?? Math.min(intervalMs, MAX_TIMEOUT_MS) };
    switch (s.type) {
      case 'command':
        return { ...common, type: s.type, command: s.command! };
      case 'http-json':
        return { ...common, type: s.type, url: s.url!, pointer: s.pointer! };
      case 'prometheus':
        return { ...common, type: s.type, url: s.url!, metric: s.metric!, labels: s.labels ?? {}, ...(s.aggregate ? { aggregate: s.aggregate } : {}) };
      case 'promql':
        return { ...common, type: s.type, url: s.url!, query: s.query! };
      case 'kubernetes':
        return { ...common, type: s.type, resource: s.resource!, pointer: s.pointer ?? defaultPointer(s.resource!), ...(s.namespace ? { namespace: s.namespace } : {}), ...(s.context ? { context: s.context } : {}) };
    }
  });
}
