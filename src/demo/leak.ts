// An optional slow leak in the demo target, so drift detection can be tried and tested without a
// real service that degrades: from the moment the server starts, every response's injected wait
// and the memory it reports grow linearly by `leakPctPerMin` percent a minute. Linear, not
// compounding, because that is how a leak of a fixed size per request behaves under steady load.

/** Latency added per minute even when the configured delay is 0, so a zero-delay demo still leaks. */
export const LEAK_FLOOR_MS = 1;
/** The memory the demo reports before it has leaked anything. */
export const LEAK_BASE_BYTES = 64 * 1024 * 1024;

export interface LeakReport {
  leakPctPerMin: number;
  minutes: number; // since the server started
  latencyFactor: number; // the injected wait is multiplied by this
  memoryBytes: number; // the gauge a probe can watch (GET /admin/leak)
}

export interface Leak {
  /** The injected wait of a request starting at `nowMs`, grown by the leak. */
  grow(waitMs: number, nowMs: number): number;
  report(nowMs: number): LeakReport;
}

export function leakProblem(v: unknown): string | null {
  if (v === undefined) return null;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1000 ? null : `leakPctPerMin must be a number from 0 to 1000 (got ${JSON.stringify(v)})`;
}

export function createLeak(pctPerMin: number, startMs: number): Leak {
  const growth = (nowMs: number): number => (pctPerMin / 100) * Math.max(0, (nowMs - startMs) / 60_000);
  return {
    grow: (waitMs, nowMs) => {
      if (pctPerMin === 0) return waitMs;
      const g = growth(nowMs);
      return waitMs * (1 + g) + g * LEAK_FLOOR_MS;
    },
    report: (nowMs) => {
      const g = growth(nowMs);
      return {
        leakPctPerMin: pctPerMin,
        minutes: Math.max(0, (nowMs - startMs) / 60_000),
        latencyFactor: 1 + g,
        memoryBytes: Math.round(LEAK_BASE_BYTES * (1 + g)),
      };
    },
  };
}
