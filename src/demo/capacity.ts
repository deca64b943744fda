// The demo target's capacity limit: `concurrency` requests in service per replica, each holding its
// slot for serviceMs = concurrency / rps, behind a bounded FIFO queue; a request that finds the
// queue full is refused at once (503). So latency climbs as load nears the limit, then requests fail
// fast beyond it, the way a real service with a worker pool behaves.
//
// Service is scheduled in virtual time: each slot remembers when it is next free and a request is
// given the earliest free slot, starting at max(now, freeAt). Timers firing late (a busy event
// loop, another process on the core) then add latency but never lower throughput, so the measured
// capacity is concurrency × replicas / serviceMs on a loaded 2-core machine too, not a bit below.

import type { CapacitySettings } from '../config/types.js';

export interface CapacityGauges {
  replicas: number;
  inFlight: number; // in service now
  queueDepth: number; // admitted, waiting for a slot
  capacityRps: number; // rps × replicas
  served: number; // total
  rejected: number; // total answered 503
}

export interface CapacityGate {
  /** Calls `serve` once the request's service time has passed, or `reject` at once if the queue is full. */
  admit(serve: () => void, reject: () => void): void;
  setReplicas(n: number): void;
  gauges(): CapacityGauges;
  /** Requests that arrived in the last `windowMs` (served or not): the offered load. */
  arrivalsPerSecond(windowMs: number): number;
}

export const DEFAULT_CONCURRENCY = 10;
const WINDOW_KEPT_MS = 5000; // the longest arrivals window anyone asks for

export function capacityProblem(c: Partial<Record<keyof CapacitySettings, unknown>>): string | null {
  if (!(typeof c.rps === 'number' && Number.isFinite(c.rps) && c.rps > 0)) return `capacity.rps must be a number > 0 (got ${String(c.rps)})`;
  for (const key of ['concurrency', 'queue'] as const) {
    const v = c[key];
    const min = key === 'concurrency' ? 1 : 0;
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min)) return `capacity.${key} must be an integer >= ${min} (got ${String(v)})`;
  }
  return null;
}

export function createCapacityGate(s: CapacitySettings, now: () => number = () => performance.now()): CapacityGate {
  const concurrency = s.concurrency ?? DEFAULT_CONCURRENCY;
  const queueLimit = s.queue ?? 5 * concurrency;
  const serviceMs = (concurrency * 1000) / s.rps;
  const freeAt: number[] = [];
  let replicas = 0;
  let inSystem = 0; // admitted and not yet answered
  let served = 0;
  let rejected = 0;
  // Arrival times for the offered-load window, in a ring that only grows to the busiest second.
  const arrivals: number[] = [];
  let head = 0;

  function setReplicas(n: number): void {
    const t = now();
    replicas = Math.max(1, Math.floor(n));
    // A new replica's slots are free from now; a removed replica's slots simply stop taking work
    // (what they already accepted still completes on its timer).
    while (freeAt.length < replicas * concurrency) freeAt.push(t);
    freeAt.length = replicas * concurrency;
  }
  setReplicas(1);

  function admit(serve: () => void, reject: () => void): void {
    const t = now();
    arrivals.push(t);
    while (arrivals[head]! < t - WINDOW_KEPT_MS) head++;
    if (head > 1024 && head * 2 > arrivals.length) {
      arrivals.splice(0, head);
      head = 0;
    }
    if (inSystem - freeAt.length >= queueLimit) {
      rejected++;
      reject();
      return;
    }
    let best = 0;
    for (let i = 1; i < freeAt.length; i++) if (freeAt[i]! < freeAt[best]!) best = i;
    const start = Math.max(t, freeAt[best]!);
    const done = start + serviceMs;
    freeAt[best] = done;
    inSystem++;
    setTimeout(() => {
      inSystem--;
      served++;
      serve();
    }, done - t);
  }

  function gauges(): CapacityGauges {
    const t = now();
    const busy = freeAt.filter((f) => f > t).length;
    const inFlight = Math.min(busy, inSystem);
    return { replicas, inFlight, queueDepth: Math.max(0, inSystem - inFlight), capacityRps: s.rps * replicas, served, rejected };
  }

  function arrivalsPerSecond(windowMs: number): number {
    const from = now() - windowMs;
    while (head < arrivals.length && arrivals[head]! < from) head++;
    return ((arrivals.length - head) * 1000) / windowMs;
  }

  return { admit, setReplicas, gauges, arrivalsPerSecond };
}
