// Profile `chaos:` block + `--fault` flags + the plan's phases → the fault timeline (plan.chaos):
// each fault with absolute offsets in ms from k6's start. Pure; errors name the file and field (or
// the flag) and say how to fix it.
import { DURATION_PATTERN } from '../config/chaos-schema.js';
import type { ChaosProfile, FaultSpec } from '../config/types.js';
import { ConfigError, UsageError } from '../util/errors.js';
import { formatDuration, parseDuration } from '../plan/duration.js';
import type { Phase } from '../results/types.js';
import { parseFaultFlag } from './fault-flag.js';
import { KINDS, faultParams } from './kinds.js';
import type { ChaosPlan, PlannedFault } from './types.js';

export interface ChaosInput {
  chaos: ChaosProfile | undefined; // the profile's block
  file: string; // the profile's file (or name), for errors
  faultFlags: string[]; // --fault values: they replace the profile's faults for this run
  scenario: string; // profile faults may be limited to some scenarios
  phases: Phase[];
  durationMs: number | null; // planned load; null when a plain script decides
}

/** A fault's origin and how to complain about one of its fields. */
interface Located {
  spec: FaultSpec;
  source: string;
  fail(field: string, detail: string, hint?: string): never;
}

/** The run's chaos plan, or undefined when there is nothing to inject. */
export function planChaos(input: ChaosInput): ChaosPlan | undefined {
  const chaos = input.chaos ?? {};
  const fromFile = (chaos.faults ?? []).map((spec, i) => fromProfile(spec, i, input.file)).filter((l) => !l.spec.scenarios || l.spec.scenarios.includes(input.scenario));
  const located = input.faultFlags.length > 0 ? input.faultFlags.map(fromFlag) : fromFile;
  if (located.length === 0) return undefined;
  const provider = chaos.provider ?? 'toxiproxy';
  checkProviderSettings(chaos, input.file);
  const faults = planFaults(located, input.phases, input.durationMs);
  for (const [i, f] of faults.entries()) {
    if (!KINDS[f.kind].providers.includes(provider)) {
      const others = KINDS[f.kind].providers.join(' or ');
      located[i]!.fail('kind', `${provider} cannot inject "${f.kind}"`, `set chaos.provider to ${others}, or pick a kind ${provider} injects`);
    }
  }
  const plan: ChaosPlan = { provider, faults };
  if (chaos.toxiproxy) plan.toxiproxy = chaos.toxiproxy;
  if (chaos.chaosMesh) plan.chaosMesh = chaos.chaosMesh;
  if (chaos.command) plan.command = chaos.command;
  if (chaos.kubernetes) plan.kubernetes = chaos.kubernetes;
  if (provider === 'kubernetes') {
    const k = chaos.kubernetes!;
    for (const [i, f] of faults.entries()) {
      if (f.kind === 'pod-kill' && !k.selector) located[i]!.fail('kind', 'pod-kill needs the pods to pick from', `add chaos.kubernetes.selector: { labelSelectors: { app: … } } to ${input.file}`);
      if (f.kind === 'scale' && !k.deployment) located[i]!.fail('kind', 'scale needs the Deployment to scale', `add chaos.kubernetes.deployment: <name> to ${input.file}`);
    }
  }
  return plan;
}

function fromFlag(text: string): Located {
  const spec = parseFaultFlag(text);
  return {
    spec,
    source: `--fault ${text}`,
    fail: (_field, detail, hint) => {
      throw new UsageError(`--fault ${text}: ${detail}`, hint);
    },
  };
}

function fromProfile(spec: FaultSpec, i: number, file: string): Located {
  return {
    spec,
    source: `${file}: /chaos/faults/${i}`,
    fail: (field, detail, hint) => {
      throw new ConfigError(file, `/chaos/faults/${i}/${field}`, detail, hint);
    },
  };
}

function checkProviderSettings(chaos: ChaosProfile, file: string): void {
  const provider = chaos.provider ?? 'toxiproxy';
  if (provider === 'chaos-mesh' && !chaos.chaosMesh) {
    throw new ConfigError(file, '/chaos/chaosMesh', 'provider chaos-mesh needs a chaosMesh block', 'add chaosMesh: { namespace: …, selector: { labelSelectors: { app: … } } }');
  }
  if (provider === 'kubernetes' && !chaos.kubernetes) {
    throw new ConfigError(file, '/chaos/kubernetes', 'provider kubernetes needs a kubernetes block', 'add kubernetes: { namespace: …, selector: { labelSelectors: { app: … } } } (pod-kill) or deployment: … (scale)');
  }
  if (provider === 'command' && !chaos.command) {
    throw new ConfigError(file, '/chaos/command', 'provider command needs a command block', 'add command: { inject: …, revert: … }');
  }
  const tp = chaos.toxiproxy;
  if (provider === 'toxiproxy' && tp && (tp.url === undefined) !== (tp.proxy === undefined)) {
    const missing = tp.url === undefined ? 'url' : 'proxy';
    throw new ConfigError(file, `/chaos/toxiproxy/${missing}`, `an existing Toxiproxy needs both url and proxy (${missing} is missing)`, 'give both, or drop the block and loadctl starts its own Toxiproxy');
  }
}

const OFFSET = new RegExp(DURATION_PATTERN);

/** Faults → absolute windows on the run's clock, checked against the plan's phases and length. */
export function planFaults(located: Located[], phases: Phase[], durationMs: number | null): PlannedFault[] {
  return located.map(({ spec, source, fail }, i) => {
    const k = KINDS[spec.kind];
    for (const key of Object.keys(spec) as (keyof FaultSpec)[]) {
      if (key === 'kind' || key === 'at' || key === 'duration' || key === 'scenarios') continue;
      if (!k.params.includes(key)) fail(key, `${spec.kind} has no parameter "${key}"`, k.params.length ? `${spec.kind} takes ${k.params.join(', ')}` : `remove "${key}"`);
    }
    for (const key of k.required) {
      if (spec[key] === undefined) fail(key, `${spec.kind} needs "${key}"`, `add ${key}, e.g. ${exampleOf(key)}`);
    }
    const { startMs, phaseEndMs } = resolveAt(spec.at, phases, fail);
    let lengthMs: number;
    if (spec.duration !== undefined) {
      lengthMs = parseDuration(spec.duration) ?? fail('duration', `"${spec.duration}" is not a duration`, 'write it like 20s or 1m30s');
    } else if (phaseEndMs !== null) {
      lengthMs = phaseEndMs - startMs;
    } else {
      return fail('duration', `a fault at "${spec.at}" needs a duration`, 'add duration, e.g. 30s');
    }
    if (lengthMs <= 0) fail('duration', 'must be longer than 0s', 'e.g. 20s');
    const endMs = startMs + lengthMs;
    if (durationMs !== null && endMs > durationMs) {
      fail('duration', `the fault would end at ${formatDuration(endMs)}, after the load ends at ${formatDuration(durationMs)}`, 'start it earlier or shorten it (a fault that lasts to the end is fine)');
    }
    return { id: `f${i + 1}-${spec.kind}`, kind: spec.kind, params: faultParams(spec), at: spec.at, startMs, endMs, source };
  });
}

function resolveAt(at: string, phases: Phase[], fail: Located['fail']): { startMs: number; phaseEndMs: number | null } {
  const [head, ...more] = at.split('+').map((s) => s.trim());
  if (OFFSET.test(head!) && more.length === 0) return { startMs: parseDuration(head!)!, phaseEndMs: null };
  const phase = phases.find((p) => p.name === head);
  if (!phase) {
    const known = phases.length ? `the plan's phases are ${phases.map((p) => p.name).join(', ')}` : 'this plan has no phases (a plain k6 script)';
    fail('at', `"${at}" is neither an offset like 60s nor a phase of the plan (${known})`, 'write an offset from the start of load, e.g. 60s, or a phase name, optionally +offset');
  }
  const offsetText = more.join('+');
  if (more.length > 0 && !OFFSET.test(offsetText)) fail('at', `"+${offsetText}" in "${at}" is not an offset`, `write it like ${head}+10s`);
  const offset = more.length ? parseDuration(offsetText)! : 0;
  if (offset >= phase!.endMs - phase!.startMs) {
    fail('at', `"${at}" starts after the phase "${head}" has ended (it lasts ${formatDuration(phase!.endMs - phase!.startMs)})`, 'use a smaller offset');
  }
  return { startMs: phase!.startMs + offset, phaseEndMs: phase!.endMs };
}

function exampleOf(key: string): string {
  const examples: Record<string, string> = { latency: 'latency: 800ms', rate: 'rate: 64', loss: 'loss: 20', size: 'size: 256MB' };
  return examples[key] ?? `${key}: …`;
}
