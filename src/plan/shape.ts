// Turns a scenario's ShapeSpec into concrete stages and k6 executor configs: applies the
// profile's scale, --vus / --rate (set the peak, keep the shape) and --duration (rescale every
// stage proportionally so the total is exact). Pure.

import { UsageError } from '../util/errors.js';
import { formatDuration, parseDuration } from './duration.js';
import type { K6Scenario, PlannedShape, PlannedStage, ShapeSpec } from './types.js';

export interface ShapeOverrides {
  params?: Record<string, number>;
  scale?: number;
  vus?: number;
  rate?: number;
  durationMs?: number;
}

export function planShape(spec: ShapeSpec, scenario: string, o: ShapeOverrides): PlannedShape {
  const params = { ...spec.params, ...o.params };
  for (const key of Object.keys(o.params ?? {})) {
    if (!(key in spec.params)) {
      const known = Object.keys(spec.params).join(', ') || 'none';
      throw new UsageError(
        `scenario "${scenario}" has no shape parameter "${key}" (parameters: ${known})`,
        `remove scenarios.${scenario}.${key} from the profile or --set`,
      );
    }
  }
  const raw = spec.stages(params);
  if (raw.length === 0) throw new UsageError(`scenario "${scenario}": its shape has no stages`);
  let stages: PlannedStage[] = raw.map((s, i) => {
    const ms = parseDuration(s.duration);
    if (ms === null) {
      throw new UsageError(`scenario "${scenario}": stage ${i + 1} has a bad duration "${s.duration}"`);
    }
    return { phase: s.phase, durationMs: ms, target: s.target };
  });

  // --rate turns any shape into the open model: the same curve, read as iterations per second.
  const model = o.rate !== undefined ? 'arrival' : spec.model;
  const peakRaw = Math.max(...stages.map((s) => s.target));
  const wantedPeak = model === 'arrival' ? o.rate : o.vus;
  const factor = wantedPeak !== undefined && peakRaw > 0 ? wantedPeak / peakRaw : (o.scale ?? 1);
  stages = stages.map((s) => ({ ...s, target: scaleTarget(s.target, factor) }));

  if (o.durationMs !== undefined) stages = rescaleDurations(stages, o.durationMs);
  return {
    model,
    params,
    scale: factor,
    startTarget: 0,
    stages,
    peak: Math.max(...stages.map((s) => s.target)),
  };
}

/** Scaled targets stay whole numbers; a non-zero target never scales down to zero. */
function scaleTarget(target: number, factor: number): number {
  if (target <= 0) return 0;
  return Math.max(1, Math.round(target * factor));
}

function rescaleDurations(stages: PlannedStage[], totalMs: number): PlannedStage[] {
  const current = stages.reduce((sum, s) => sum + s.durationMs, 0);
  let left = Math.round(totalMs);
  return stages.map((s, i) => {
    const ms = i === stages.length - 1 ? left : Math.round((s.durationMs * totalMs) / current);
    left -= ms;
    return { ...s, durationMs: Math.max(ms, 1) };
  });
}

export function totalMs(stages: PlannedStage[]): number {
  return stages.reduce((sum, s) => sum + s.durationMs, 0);
}

/** Consecutive stages of one phase form one window. */
export function phasesOf(stages: PlannedStage[]): { name: string; startMs: number; endMs: number }[] {
  const out: { name: string; startMs: number; endMs: number }[] = [];
  let t = 0;
  for (const s of stages) {
    const last = out[out.length - 1];
    if (last && last.name === s.phase) last.endMs = t + s.durationMs;
    else out.push({ name: s.phase, startMs: t, endMs: t + s.durationMs });
    t += s.durationMs;
  }
  return out;
}

export function k6ScenarioFor(shape: PlannedShape, maxVUs: number | undefined): K6Scenario {
  const stages = shape.stages.map((s) => ({ duration: formatDuration(s.durationMs), target: s.target }));
  if (shape.model === 'vus') {
    return {
      executor: 'ramping-vus',
      startVUs: shape.startTarget,
      stages,
      gracefulRampDown: '5s',
      gracefulStop: '5s',
      exec: 'default',
    };
  }
  // An arrival-rate executor needs VUs to carry its iterations; start with enough for ~peak
  // iterations of 100 ms and let k6 add more up to the safety limit.
  const cap = maxVUs ?? Math.max(100, shape.peak * 10);
  return {
    executor: 'ramping-arrival-rate',
    startRate: shape.startTarget,
    timeUnit: '1s',
    preAllocatedVUs: Math.min(cap, Math.max(2, Math.ceil(shape.peak / 10))),
    maxVUs: cap,
    stages,
    gracefulStop: '5s',
    exec: 'default',
  };
}
