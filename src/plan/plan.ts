// profile + scenario + flags → Plan. Pure: every input is passed in, nothing is read here.

import type { LoadedProfile, Profile, Sla, Workload } from '../config/types.js';
import { limitTags, parseMetricLimits } from '../judge/sla/metric-sla.js';
import { DEFAULT_TRACKED_TAGS } from '../results/k6-metric-types.js';
import { planChaos } from '../chaos/timeline.js';
import { UsageError } from '../util/errors.js';
import { planOutputs } from '../k6/outputs.js';
import { k6ScenarioFor, phasesOf, planShape, totalMs } from './shape.js';
import { peakVus } from './segments.js';
import type { Distribution, Plan, ShapeSpec } from './types.js';

export interface PlanInput {
  scenario: { name: string; file: string; spec: ShapeSpec | null };
  profile: LoadedProfile;
  flags: { vus?: number; rate?: number; durationMs?: number; yes?: boolean; bucketMs?: number; faults?: string[]; k6Out?: string[]; distribution?: Distribution & { flag: string } };
}

export function buildPlan({ scenario, profile, flags }: PlanInput): Plan {
  const p = profile.profile;
  const safety = p.safety ?? {};
  if (safety.protected && !flags.yes) {
    throw new UsageError(
      `${profile.file ?? profile.name}: /safety/protected: target "${profile.name}" is protected; refusing to load it without confirmation`,
      'add --yes if you really mean to send load to this target',
    );
  }
  const managed = p.demo ? 'demo' : p.start ? 'start' : 'none';
  const target: Plan['target'] = {
    name: profile.name,
    profileFile: profile.file,
    baseUrl: p.demo ? '' : (p.baseUrl ?? ''),
    managed,
    ...(p.demo ? { demo: p.demo } : {}),
    ...(p.start ? { start: p.start } : {}),
  };
  const shape = scenario.spec
    ? planShape(scenario.spec, scenario.name, {
        params: p.scenarios?.[scenario.name],
        scale: p.scale,
        vus: flags.vus,
        rate: flags.rate,
        durationMs: flags.durationMs,
      })
    : null;
  if (shape) checkSafety(shape.model, shape.peak, safety, profile);
  const outputs = planOutputs(p.outputs, flags.k6Out, profile.file ?? profile.name);
  const durationMs = shape ? totalMs(shape.stages) : (flags.durationMs ?? null);
  // Key order is part of the plan hash (run-once.ts): keep it stable.
  const base = {
    planVersion: 1 as const,
    target,
    workload: p.workload,
    envRefs: profile.envRefs,
    sla: scenario.spec ? (p.sla ?? {}) : scriptSla(p.sla ?? {}, p.workload),
    safety,
    baseline: p.baseline ?? {},
    overrides: pick(flags),
    k6: safety.maxRPS !== undefined ? { rps: safety.maxRPS } : {},
    bucketMs: flags.bucketMs ?? autoBucketMs(durationMs),
    metricTags: trackedTags(p),
    ...(p.probes?.length ? { probes: p.probes } : {}),
    ...(outputs.length ? { outputs } : {}),
  };

  if (!scenario.spec || !shape) {
    return withChaos(
      {
        ...base,
        scenario: { name: scenario.name, file: scenario.file, kind: 'script', summary: 'plain k6 script (its own options)' },
        shape: null,
        k6Scenarios: null,
        phases: [],
        durationMs,
      },
      profile,
      flags.faults,
      flags.distribution,
    );
  }
  const maxVUs = shape.model === 'arrival' ? (flags.vus ?? safety.maxVUs) : undefined;
  return withChaos(
    {
      ...base,
      scenario: { name: scenario.name, file: scenario.file, kind: 'scenario', summary: scenario.spec.summary },
      shape,
      k6Scenarios: { [safeKey(scenario.name)]: k6ScenarioFor(shape, maxVUs) },
      phases: phasesOf(shape.stages),
      durationMs,
    },
    profile,
    flags.faults,
    flags.distribution,
  );
}

/** The fault timeline needs the phases and length, so it is resolved last; then how the load is split. */
function withChaos(plan: Plan, profile: LoadedProfile, faultFlags: string[] = [], distribution?: PlanInput['flags']['distribution']): Plan {
  const file = profile.file ?? profile.name;
  const chaos = planChaos({ chaos: profile.profile.chaos, file, faultFlags, scenario: plan.scenario.name, phases: plan.phases, durationMs: plan.durationMs });
  return withDistribution(chaos ? { ...plan, chaos } : plan, distribution);
}

/** More instances than VUs would leave an instance with nothing to run. */
function withDistribution(plan: Plan, d: PlanInput['flags']['distribution']): Plan {
  if (!d || (d.executor === 'local' && d.instances === 1)) return plan;
  const vus = peakVus(plan);
  if (vus !== undefined && d.instances > vus) {
    throw new UsageError(
      `${d.flag} ${d.instances}: more instances than the ${vus} VUs the plan starts; each instance needs at least one`,
      `use ${d.flag} ${vus} or fewer, or raise --vus`,
    );
  }
  return { ...plan, distribution: { executor: d.executor, instances: d.instances } };
}

/**
 * A plain k6 script runs its own requests, not the profile's workload: per-request limits that name
 * the workload's requests or steps do not apply to it (they would only ever be "not measured").
 * Limits on other names are the script's own and stay.
 */
function scriptSla(sla: Sla, workload: Workload): Sla {
  if (!sla.requests) return sla;
  const workloadNames = new Set([...(workload.requests ?? []).map((r) => r.name), ...(workload.journeys ?? []).flatMap((j) => j.steps.map((st) => st.name))]);
  const requests = Object.fromEntries(Object.entries(sla.requests).filter(([name]) => !workloadNames.has(name)));
  const { requests: _workloads, ...rest } = sla;
  return Object.keys(requests).length > 0 ? { ...rest, requests } : rest;
}

/**
 * 1 s buckets up to an hour of load; longer runs get wider buckets so a run keeps at most ~3600
 * time-series points (a 24 h soak: 24 s buckets), and the aggregator's memory stays flat.
 */
export function autoBucketMs(durationMs: number | null): number {
  const MAX_POINTS = 3600;
  if (durationMs === null || durationMs <= MAX_POINTS * 1000) return 1000;
  return Math.ceil(durationMs / MAX_POINTS / 1000) * 1000;
}

function pick(flags: PlanInput['flags']): Plan['overrides'] {
  const o: Plan['overrides'] = {};
  if (flags.vus !== undefined) o.vus = flags.vus;
  if (flags.rate !== undefined) o.rate = flags.rate;
  if (flags.durationMs !== undefined) o.durationMs = flags.durationMs;
  return o;
}

function checkSafety(model: 'vus' | 'arrival', peak: number, safety: NonNullable<Plan['safety']>, profile: LoadedProfile): void {
  const file = profile.file ?? profile.name;
  if (model === 'vus' && safety.maxVUs !== undefined && peak > safety.maxVUs) {
    throw new UsageError(
      `${file}: /safety/maxVUs: the plan peaks at ${peak} VUs, over this target's limit of ${safety.maxVUs}`,
      'lower --vus or the profile scale, or raise safety.maxVUs if the target can take it',
    );
  }
  if (model === 'arrival' && safety.maxRPS !== undefined && peak > safety.maxRPS) {
    throw new UsageError(
      `${file}: /safety/maxRPS: the plan peaks at ${peak} iterations/s, over this target's limit of ${safety.maxRPS} requests/s`,
      'lower --rate or the profile scale, or raise safety.maxRPS if the target can take it',
    );
  }
}

/** k6 scenario names allow letters, digits, '-' and '_'. */
function safeKey(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_') || 'loadctl';
}

/** Tags every k6 metric is split by: loadctl's defaults, the profile's, and those its SLA filters on. */
function trackedTags(p: Profile): string[] {
  const limits = p.sla?.metrics ? parseMetricLimits(p.sla.metrics) : [];
  return [...new Set([...DEFAULT_TRACKED_TAGS, ...(p.metricTags ?? []), ...(Array.isArray(limits) ? limitTags(limits) : [])])];
}
