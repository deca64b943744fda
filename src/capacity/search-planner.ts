// Capacity search, the planning half (pure): which arrival rate to try next, given the trials so
// far. Grow geometrically from `start` until a trial fails (or the ceiling is sustained), then
// bisect between the highest sustained and the lowest failed rate until they are within
// `precision` of each other. Each trial costs one short run, so the number of trials is the cost:
// reaching capacity C from start S takes ⌈log_f(C/S)⌉ + 1 growing trials, then each bisection
// halves the bracket (C·(f−1) wide at first), e.g. S=50, f=2, C=300: 4 growing + 4 bisecting
// trials bring the bracket under 5 %.

export interface SearchPlanOptions {
  start: number; // first rate tried (iterations/s)
  ceiling: number; // never try above this; a sustained ceiling ends the search
  factor?: number; // growth factor, default 2
  precision?: number; // stop when (lowest failed − highest sustained) / highest sustained ≤ this, default 0.05
  floor?: number; // when even `start` fails, go down to this before giving up, default 1
}

export interface Trial {
  rate: number;
  sustained: boolean;
}

export type SearchStop = 'converged' | 'ceiling' | 'floor';
export type NextTrial =
  | { kind: 'try'; rate: number; phase: 'grow' | 'bisect' | 'descend' }
  | { kind: 'done'; stop: SearchStop; capacity: number | null; bracket: [low: number | null, high: number | null] };

export function nextTrial(trials: readonly Trial[], o: SearchPlanOptions): NextTrial {
  const factor = o.factor ?? 2;
  const precision = o.precision ?? 0.05;
  const floor = o.floor ?? 1;
  if (trials.length === 0) return { kind: 'try', rate: Math.min(Math.round(o.start), o.ceiling), phase: 'grow' };
  const good = Math.max(...trials.filter((t) => t.sustained).map((t) => t.rate), -Infinity);
  // A failure below a success is noise around the limit; the bracket is above the highest success.
  const bad = Math.min(...trials.filter((t) => !t.sustained && t.rate > good).map((t) => t.rate), Infinity);
  const low = Number.isFinite(good) ? good : null;
  const high = Number.isFinite(bad) ? bad : null;
  if (low === null) {
    const next = Math.round(high! / factor);
    if (high! <= floor || next < floor) return { kind: 'done', stop: 'floor', capacity: null, bracket: [null, high] };
    return { kind: 'try', rate: next, phase: 'descend' };
  }
  if (high === null) {
    if (low >= o.ceiling) return { kind: 'done', stop: 'ceiling', capacity: low, bracket: [low, null] };
    return { kind: 'try', rate: Math.min(Math.round(low * factor), o.ceiling), phase: 'grow' };
  }
  const mid = Math.round((low + high) / 2);
  if ((high - low) / low <= precision || mid <= low || mid >= high) return { kind: 'done', stop: 'converged', capacity: low, bracket: [low, high] };
  return { kind: 'try', rate: mid, phase: 'bisect' };
}
