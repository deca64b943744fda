// The fault timeline as a BesideTask: on the run's clock it injects each fault at its start and
// reverts it at its end, recording when the provider confirmed each. stop() — called by the
// pipeline on every exit path — reverts whatever is still active. The journal is written before
// every inject, so a killed loadctl leaves a note of what to revert.
import { setMaxListeners } from 'node:events';
import type { BesideContext, BesideTask } from '../pipeline/beside.js';
import { JournalWriter } from './journal.js';
import { describeFault } from './kinds.js';
import type { FaultProvider } from './provider.js';
import type { ChaosPlan, FaultRecord, PlannedFault } from './types.js';

const JOURNAL_LEAD_MS = 250;
// How long the run's end waits for a provider still watching a fault's aftermath (a killed pod's replacement).
const SETTLE_MS = 60_000;

export interface FaultTimelineOptions {
  chaos: ChaosPlan;
  provider: FaultProvider;
  journal: { file: string; profile: string; runId: string };
  /** Attempts per revert before giving up (the journal then keeps the fault). Default 3. */
  revertAttempts?: number;
}

/** The task, plus a live view of its records (updated in place) for per-sample questions. */
export type FaultTimelineTask = BesideTask<FaultRecord[]> & { live(): readonly FaultRecord[] };

export function faultTimeline(o: FaultTimelineOptions): FaultTimelineTask {
  const records = new Map<string, FaultRecord>();
  for (const f of o.chaos.faults) {
    records.set(f.id, { id: f.id, kind: f.kind, params: f.params, provider: o.provider.name, plannedStartMs: f.startMs, plannedEndMs: f.endMs, injectedAt: null, revertedAt: null, status: 'skipped' });
  }
  const list = [...records.values()];
  const journal = new JournalWriter(o.journal.file, { profile: o.journal.profile, runId: o.journal.runId, provider: o.provider.ref });
  const halt = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | undefined;

  const runFault = async (f: PlannedFault, ctx: BesideContext, signal: AbortSignal): Promise<void> => {
    const rec = records.get(f.id)!;
    const at = (offsetMs: number) => ctx.clock.startedAtMs + offsetMs;
    // The journal is written a moment ahead, so its fsync does not delay the inject.
    if (!(await sleepUntil(at(f.startMs) - JOURNAL_LEAD_MS, ctx.clock, signal))) return; // the run ended first: skipped
    try {
      await journal.add(f);
    } catch (e) {
      // Without the journal a killed loadctl could leave the fault behind unnoticed: do not inject.
      rec.status = 'inject-failed';
      rec.error = `the chaos journal could not be written: ${(e as Error).message}`;
      ctx.stopRun(`fault ${f.id} was not injected: ${rec.error}`);
      return;
    }
    if (!(await sleepUntil(at(f.startMs), ctx.clock, signal))) return void (await journal.remove(f));
    try {
      await o.provider.inject(f);
      rec.injectedAt = ctx.clock.now();
      ctx.log(`chaos: ${f.id} ${describeFault(f.kind, f.params)} injected at ${secs(rec.injectedAt - ctx.clock.startedAtMs)} (planned ${secs(f.startMs)})`);
    } catch (e) {
      rec.status = 'inject-failed';
      rec.error = (e as Error).message;
      ctx.log(`chaos: ${f.id} could not be injected: ${rec.error}`);
      ctx.stopRun(`fault ${f.id} could not be injected: ${rec.error}`);
    }
    if (rec.status !== 'inject-failed') rec.endedBy = (await sleepUntil(at(f.endMs), ctx.clock, signal)) ? 'schedule' : 'stop';
    // Also after a failed inject: half of it may have landed, and revert is idempotent.
    const error = await revertWithRetries(f, o.provider, o.revertAttempts ?? 3);
    if (error === null) {
      if (rec.status !== 'inject-failed') {
        rec.revertedAt = ctx.clock.now();
        rec.status = 'reverted';
        ctx.log(`chaos: ${f.id} reverted at ${secs(rec.revertedAt - ctx.clock.startedAtMs)} (planned ${secs(f.endMs)})`);
      }
      await journal.remove(f);
    } else {
      rec.status = 'revert-failed';
      rec.error = error;
      ctx.log(`chaos: ${f.id} could NOT be reverted (${error}); it is still active. Run \`loadctl chaos revert\` once the provider answers`);
    }
  };

  return {
    name: 'chaos',
    async start(ctx) {
      const signal = AbortSignal.any([ctx.signal, halt.signal]);
      setMaxListeners(o.chaos.faults.length + 10, signal); // each waiting fault listens on it
      running = Promise.allSettled(o.chaos.faults.map((f) => runFault(f, ctx, signal)));
    },
    stop() {
      stopping ??= (async () => {
        halt.abort();
        await running;
        await o.provider.settle?.(SETTLE_MS);
        for (const f of o.chaos.faults) Object.assign(records.get(f.id)!, o.provider.outcome?.(f) ?? {});
      })();
      return stopping;
    },
    result: () => [...records.values()],
    live: () => list,
  };
}

async function revertWithRetries(f: PlannedFault, provider: FaultProvider, attempts: number): Promise<string | null> {
  let last = '';
  for (let i = 0; i < attempts; i++) {
    try {
      await provider.revert(f);
      return null;
    } catch (e) {
      last = (e as Error).message;
      await new Promise((r) => setTimeout(r, 500 * (i + 1)));
    }
  }
  return last;
}

/** Waits until the clock reaches epochMs; false if the signal fired first. */
function sleepUntil(epochMs: number, clock: BesideContext['clock'], signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), Math.max(0, epochMs - clock.now()));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
