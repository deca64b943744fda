// A simulated horizontal autoscaler for the demo target, so loadctl's reaction-time measurement has
// something real to time: while the offered load stays at or above `threshold` × current capacity
// for `reactionSeconds`, one replica is added (each adds capacity.rps), up to maxReplicas; the clock
// restarts after each change, as a real autoscaler's stabilisation window does. Optionally it
// removes a replica after load stays below half the threshold for scaleDownSeconds.
import type { AutoscalerSettings } from '../config/types.js';
import type { CapacityGate } from './capacity.js';

const SAMPLE_MS = 100;
// Offered load is read over this window: long enough to be a rate, short enough that a load step
// is seen within a second (the measured reaction then exceeds the configured delay by < 1 s).
const WINDOW_MS = 1000;

export function autoscalerProblem(a: Partial<Record<keyof AutoscalerSettings, unknown>>): string | null {
  const nonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (!nonNegative(a.reactionSeconds)) return `autoscaler.reactionSeconds must be a number >= 0 (got ${String(a.reactionSeconds)})`;
  if (a.threshold !== undefined && !(nonNegative(a.threshold) && (a.threshold as number) > 0)) return `autoscaler.threshold must be a number > 0 (got ${String(a.threshold)})`;
  if (a.maxReplicas !== undefined && !(Number.isInteger(a.maxReplicas) && (a.maxReplicas as number) >= 1)) return `autoscaler.maxReplicas must be an integer >= 1 (got ${String(a.maxReplicas)})`;
  if (a.scaleDownSeconds !== undefined && !nonNegative(a.scaleDownSeconds)) return `autoscaler.scaleDownSeconds must be a number >= 0 (got ${String(a.scaleDownSeconds)})`;
  return null;
}

/** Starts sampling the gate's load; returns stop(). The timer is unref'd: it never holds a process open. */
export function startAutoscaler(gate: CapacityGate, s: AutoscalerSettings, now: () => number = () => performance.now()): () => void {
  const threshold = s.threshold ?? 0.8;
  const maxReplicas = s.maxReplicas ?? 4;
  let highSince: number | null = null;
  let lowSince: number | null = null;
  const timer = setInterval(() => {
    const t = now();
    const { replicas, capacityRps } = gate.gauges();
    const load = gate.arrivalsPerSecond(WINDOW_MS) / capacityRps;
    highSince = load >= threshold ? (highSince ?? t) : null;
    lowSince = load < threshold / 2 ? (lowSince ?? t) : null;
    if (highSince !== null && replicas < maxReplicas && t - highSince >= s.reactionSeconds * 1000) {
      gate.setReplicas(replicas + 1);
      highSince = t;
    } else if (s.scaleDownSeconds !== undefined && lowSince !== null && replicas > 1 && t - lowSince >= s.scaleDownSeconds * 1000) {
      gate.setReplicas(replicas - 1);
      lowSince = t;
    }
  }, SAMPLE_MS);
  timer.unref();
  return () => clearInterval(timer);
}
