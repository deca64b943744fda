// How N k6 instances share one test: k6's execution segments. Each instance runs its slice of
// every scenario (VUs, iterations, arrival rate) and all share one sequence, so the slices add up
// to the whole and no VU is counted twice. The notation matches k6-operator's runners (runner i
// of N, 1-based, gets (i-1)/N:i/N), so local instances and Kubernetes runners split alike. Pure.

export interface Segment {
  index: number; // 0-based
  segment: string; // --execution-segment, e.g. "1/4:2/4"
  sequence: string; // --execution-segment-sequence, e.g. "0,1/4,2/4,3/4,1"
}

function point(i: number, n: number): string {
  if (i === 0) return '0';
  if (i === n) return '1';
  return `${i}/${n}`;
}

export function segmentsFor(n: number): Segment[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`instances must be a whole number of at least 1 (got ${n})`);
  const points = Array.from({ length: n + 1 }, (_, i) => point(i, n));
  const sequence = points.join(',');
  return Array.from({ length: n }, (_, i) => ({ index: i, segment: `${points[i]}:${points[i + 1]}`, sequence }));
}

/** The VUs a plan starts at most, when loadctl knows them (a plain script without --vus decides its own). */
export function peakVus(plan: { shape: { model: 'vus' | 'arrival'; peak: number } | null; k6Scenarios: Record<string, { executor: string; maxVUs?: number; preAllocatedVUs?: number }> | null; overrides: { vus?: number } }): number | undefined {
  if (plan.shape?.model === 'vus') return plan.shape.peak;
  if (plan.k6Scenarios) {
    let most = 0;
    for (const s of Object.values(plan.k6Scenarios)) most += Math.max(s.maxVUs ?? 0, s.preAllocatedVUs ?? 0);
    if (most > 0) return most;
  }
  return plan.overrides.vus;
}
