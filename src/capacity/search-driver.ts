// Capacity search, the running half: asks the planner for a rate, runs one short step at it through
// the injected runStep (the pipeline's single run; k6 v2 cannot change a running test's rate), and
// stops when the planner is done or the next step would overrun the time budget.
import type { SearchSettings } from '../config/types.js';
import { nextTrial, type SearchPlanOptions, type SearchStop, type Trial } from './search-planner.js';

export interface StepOutcome {
  sustained: boolean;
  reason?: string; // why not, in words
  achievedRps?: number;
  p95?: number | null;
}

export type RunStep = (rate: number, durationMs: number) => Promise<StepOutcome>;

export interface SearchOptions extends SearchPlanOptions {
  stepMs: number; // load per trial (long enough to judge: the lead-in is left out by runStep)
  budgetMs: number; // wall time for the whole search
  now?: () => number; // injected clock (ms)
  signal?: AbortSignal; // stop between trials
}

export interface SearchTrial extends Trial, StepOutcome {
  phase: 'grow' | 'bisect' | 'descend';
  startedAtMs: number; // from the search's start
  elapsedMs: number; // the whole trial, run overhead included
}

export interface SearchResult {
  capacity: number | null; // highest sustained rate tried
  bracket: [low: number | null, high: number | null]; // the true capacity lies between (high: first failed rate)
  stop: SearchStop | 'budget' | 'aborted';
  trials: SearchTrial[];
  elapsedMs: number;
}

export async function searchCapacity(runStep: RunStep, o: SearchOptions): Promise<SearchResult> {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const trials: SearchTrial[] = [];
  const result = (stop: SearchResult['stop'], bracket: SearchResult['bracket']): SearchResult => {
    const sustained = trials.filter((t) => t.sustained).map((t) => t.rate);
    return { capacity: sustained.length ? Math.max(...sustained) : null, bracket, stop, trials, elapsedMs: now() - t0 };
  };
  const bracketOf = (): SearchResult['bracket'] => {
    const low = Math.max(...trials.filter((t) => t.sustained).map((t) => t.rate), -Infinity);
    const high = Math.min(...trials.filter((t) => !t.sustained && t.rate > low).map((t) => t.rate), Infinity);
    return [Number.isFinite(low) ? low : null, Number.isFinite(high) ? high : null];
  };
  for (;;) {
    const next = nextTrial(trials, o);
    if (next.kind === 'done') return result(next.stop, next.bracket);
    if (o.signal?.aborted) return result('aborted', bracketOf());
    // The next trial will take about as long as the slowest so far (the step plus run overhead).
    const expected = Math.max(o.stepMs, ...trials.map((t) => t.elapsedMs));
    if (now() - t0 + expected > o.budgetMs) return result('budget', bracketOf());
    const startedAt = now();
    const outcome = await runStep(next.rate, o.stepMs);
    trials.push({ ...outcome, rate: next.rate, phase: next.phase, startedAtMs: startedAt - t0, elapsedMs: now() - startedAt });
  }
}

/** The profile's `search` block (flags already merged in by the caller) as driver options. */
export function searchOptions(s: SearchSettings): Omit<SearchOptions, 'now' | 'signal'> {
  return {
    start: s.start ?? s.ceiling / 16,
    ceiling: s.ceiling,
    ...(s.factor !== undefined ? { factor: s.factor } : {}),
    ...(s.precision !== undefined ? { precision: s.precision } : {}),
    stepMs: (s.stepSeconds ?? 10) * 1000,
    budgetMs: (s.budgetSeconds ?? 600) * 1000,
  };
}
