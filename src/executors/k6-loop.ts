// One run of k6 on the run's clock, whichever way it was launched: the samples streamed into the
// aggregator, the tasks beside k6 started once it is and stopped on every exit path (normal end, a
// stop asked by a task, SIGINT/SIGTERM, k6 crashing, an exception), and k6's end explained.

import { explainK6Exit } from '../k6/explain.js';
import { createLogFilter } from '../k6/logs.js';
import { RUN_ID_TAG } from '../k6/outputs.js';
import type { K6Exit } from '../k6/process.js';
import { readScriptTags } from '../k6/script-tags.js';
import type { BesideContext, BesideTask } from '../pipeline/beside.js';
import type { ExecuteOptions, Executed } from '../pipeline/executor.js';
import type { Plan } from '../plan/types.js';
import { Aggregator } from '../results/aggregator.js';
import type { SampleCounts } from '../results/types.js';
import type { Launcher } from './launch.js';

const INTERRUPT_ECHO = /received a '?(interrupt|terminated)'? signal/i;

export async function runK6(plan: Plan, o: ExecuteOptions, launch: Launcher): Promise<Executed> {
  const script = await o.script;
  // A chaos run keeps buckets per request name too: its SLA is judged outside the fault windows.
  const aggregator = new Aggregator({ bucketMs: plan.bucketMs, tags: plan.metricTags, bucketsByName: (plan.chaos?.faults.length ?? 0) > 0 });
  const samples: SampleCounts = { parsed: 0, malformed: 0, format: o.format };
  const filter = createLogFilter(o.redact);
  const tasks = o.tasks ?? [];
  const log = (line: string) => o.onLog(o.redact(line));
  let interruptedBy: string | undefined;
  let stoppedFor: string | undefined;
  const scriptTags = await scriptTagsFor(plan, script, o);
  const startedAt = new Date();
  const onK6Log = (line: string) => {
    // k6 reports the interrupt loadctl itself sent as an error; the verdict line says it better.
    if ((interruptedBy || stoppedFor) && INTERRUPT_ECHO.test(line)) return;
    const shown = filter.push(line);
    if (shown !== null) o.onLog(shown);
  };
  const k6 = await launch(plan, o, { script, scriptTags, aggregator, samples, onK6Log });
  o.onStarted?.(plan);

  const onSignal = (sig: NodeJS.Signals) => {
    if (interruptedBy) return k6.kill(); // a second Ctrl-C: stop at once
    interruptedBy = sig;
    k6.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const over = new AbortController();
  const now = o.now ?? Date.now;
  const ctx: BesideContext = {
    plan,
    clock: { startedAtMs: startedAt.getTime(), now },
    log,
    stopRun(reason) {
      if (stoppedFor || interruptedBy) return;
      stoppedFor = reason;
      log(`${reason}; stopping k6`);
      k6.interrupt();
    },
    signal: over.signal,
    live: () => ({ series: aggregator.closedSeries(), stats: aggregator.live() }),
    k6Metrics: () => aggregator.liveK6Metrics(),
  };
  const progress = setInterval(() => o.onProgress?.(aggregator.live()), 1000);
  let exit: K6Exit;
  try {
    await startTasks(tasks, ctx, k6.kill);
    exit = await k6.done;
    await k6.drained(); // a k6 that never opened its output must not leave the reader waiting
  } finally {
    clearInterval(progress);
    over.abort();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopTasks(tasks, log);
    await k6.cleanup();
  }
  if (filter.suppressed() > 0) o.onLog(`(${filter.suppressed()} repeated k6 log lines not shown)`);
  const aggregate = aggregator.finish();
  const http = aggregate.metrics.http;
  const end = explainK6Exit({ exit, interruptedBy, stoppedFor, requests: http.requests, failed: http.failed, durationMs: aggregate.durationMs, redact: o.redact });
  if (end instanceof Error) throw end;
  const beside = Object.fromEntries(tasks.map((t) => [t.name, t.result()]));
  const instances = k6.instances?.();
  return { plan, startedAt, exit, aggregate, samples, end, beside, ...(instances ? { instances } : {}) };
}

/** A plain script's own run tags, when it has extra outputs (see tagsFor in k6/args.ts). */
async function scriptTagsFor(plan: Plan, script: string, o: ExecuteOptions): Promise<Record<string, string> | null | undefined> {
  if (plan.scenario.kind !== 'script' || !plan.outputs?.length) return undefined;
  const read = await readScriptTags(o.k6.path, script, { cwd: o.cwd, env: { ...o.env, BASE_URL: plan.target.baseUrl } });
  if (read.ok) return read.tags;
  o.onLog(o.redact(`warning: could not read the script's tags (${read.reason}); its series carry no ${RUN_ID_TAG} tag`));
  return null;
}

/** A task that cannot start ends the run before any load is judged: k6 is stopped at once. */
async function startTasks(tasks: BesideTask[], ctx: BesideContext, killK6: () => void): Promise<void> {
  try {
    for (const t of tasks) await t.start(ctx);
  } catch (e) {
    killK6();
    throw e;
  }
}

/** Every task is stopped, whatever the others do; the first failure is reported after all ran. */
async function stopTasks(tasks: BesideTask[], log: (line: string) => void): Promise<void> {
  const settled = await Promise.allSettled(tasks.map((t) => t.stop()));
  settled.forEach((s, i) => {
    if (s.status === 'rejected') log(`warning: ${tasks[i]!.name} did not stop cleanly: ${(s.reason as Error)?.message ?? String(s.reason)}`);
  });
}
