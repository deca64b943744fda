// Probes beside k6: each probe samples the system under test on its own fixed schedule (the first
// sample as k6 starts, so every series shows the state before load rose), keeps going whatever a
// sample does, and stops with the run. A failed sample is a gap in the series with its reason.
import type { BesideContext, BesideTask } from '../pipeline/beside.js';
import { ProbeFailure, sampleProbe } from './samplers.js';
import type { ProbeSeries } from '../capacity/types.js';
import type { Probe } from './settings.js';

export type { ProbePoint, ProbeSeries } from '../capacity/types.js';

/** Injected by tests that count or fake samples; the real one talks to the system under test. */
export type Sampler = (probe: Probe, signal: AbortSignal) => Promise<number>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

export function probeRunner(probes: readonly Probe[], sampler: Sampler = sampleProbe): BesideTask<ProbeSeries[]> {
  const series: ProbeSeries[] = probes.map((p) => ({ name: p.name, type: p.type, intervalMs: p.intervalMs, points: [] }));
  const stopping = new AbortController();
  let loops: Promise<void>[] = [];

  async function loop(probe: Probe, out: ProbeSeries, ctx: BesideContext, signal: AbortSignal): Promise<void> {
    const t0 = ctx.clock.now();
    let tick = 0;
    let lastError: string | undefined; // logged when it changes, so a dead endpoint is one line, not one a second
    while (!signal.aborted) {
      await sleep(t0 + tick * probe.intervalMs - ctx.clock.now(), signal);
      if (signal.aborted) break;
      const atMs = ctx.clock.now();
      try {
        out.points.push({ atMs, value: await sampler(probe, signal) });
        if (lastError !== undefined) ctx.log(`probe ${probe.name}: sampling again`);
        lastError = undefined;
      } catch (e) {
        if (signal.aborted) break; // cut short by the end of the run: not a gap
        const error = e instanceof ProbeFailure ? e.message : `unexpected: ${(e as Error).message}`;
        out.points.push({ atMs, value: null, error });
        if (error !== lastError) ctx.log(`probe ${probe.name}: ${error} (a gap in its series; the run goes on)`);
        lastError = error;
      }
      // A sample slower than the interval skips the ticks it overran instead of bunching up.
      tick = Math.max(tick + 1, Math.ceil((ctx.clock.now() - t0) / probe.intervalMs));
    }
  }

  return {
    name: 'probes',
    async start(ctx) {
      const signal = AbortSignal.any([ctx.signal, stopping.signal]);
      // A URL given as a path is the target's own: known only now (a demo target's port, say).
      const live = probes.map((p) => ('url' in p && p.url.startsWith('/') ? { ...p, url: new URL(p.url, ctx.plan.target.baseUrl).href } : p));
      loops = live.map((p, i) => loop(p, series[i]!, ctx, signal));
    },
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
    result: () => series.map((s) => ({ ...s, points: [...s.points] })),
  };
}
