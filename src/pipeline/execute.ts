// The execute stage: bring the target up, start k6 with the plan, stream its samples into the
// aggregator, run the tasks beside k6 on the run's clock, and take everything down again on every
// exit path (normal end, a stop asked by a task, SIGINT/SIGTERM, k6 crashing, an exception).

import { k6Invocation } from '../k6/args.js';
import { explainK6Exit } from '../k6/explain.js';
import { k6Major, type K6Binary } from '../k6/locate.js';
import { createLogFilter } from '../k6/logs.js';
import { RUN_ID_TAG } from '../k6/outputs.js';
import { readScriptTags } from '../k6/script-tags.js';
import { spawnK6, type K6Exit } from '../k6/process.js';
import { consumeSamples, createFifo } from '../k6/stream.js';
import { startInstances } from '../distributed/instances.js';
import { instanceRows } from '../distributed/rows.js';
import { UsageError } from '../errors.js';
import type { K8sOptions } from '../k8s/run.js';
import type { RunEnd } from '../judge/verdict.js';
import type { Plan } from '../plan/types.js';
import { Aggregator, type AggregateResult, type LiveStats } from '../results/aggregator.js';
import type { K6Metrics } from '../results/k6-metric-types.js';
import type { InstanceRow, SampleCounts, SampleFormat } from '../results/types.js';
import { startTarget } from '../target/index.js';
import type { BesideContext, BesideTask, SetupStep } from './beside.js';

export interface ExecuteOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  k6: K6Binary;
  script: string | Promise<string>; // may still be bundling while the target starts
  format: SampleFormat;
  redact: (s: string) => string;
  onLog: (line: string) => void;
  onProgress?: (live: LiveStats) => void;
  onStarted?: (plan: Plan) => void;
  /** Run beside k6, started once k6 is and stopped on every exit path. */
  tasks?: BesideTask[];
  /** Set up once the target is up, before k6 starts (a fault proxy, probes); undone on every exit path. */
  setups?: SetupStep[];
  /** The run's id and folder, known before k6 starts (a chaos journal goes there). */
  run: { runId: string; runDir: string };
  /** For tests: the clock the tasks see. */
  now?: () => number;
  /** Where a run with `--executor k8s` goes (namespace, context, runner image). */
  k8s?: K8sOptions;
}

export interface Executed {
  plan: Plan; // with the live baseUrl of a managed target
  startedAt: Date;
  exit: K6Exit;
  aggregate: AggregateResult;
  samples: SampleCounts;
  end: RunEnd;
  /** Each task's result(), by task name. */
  beside: Record<string, unknown>;
  /** Per k6 instance, when several shared the load. */
  instances?: InstanceRow[];
}

export async function executeRun(plan: Plan, o: ExecuteOptions): Promise<Executed> {
  if (plan.distribution?.executor === 'k8s') {
    // The runners load the profile's baseUrl from the cluster: there is no local target to start.
    const { runOnKubernetes } = await import('../k8s/run.js');
    return runOnKubernetes(plan, o, o.k8s ?? {});
  }
  const target = await startTarget(plan.target, { cwd: o.cwd, env: o.env });
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let live: Plan = { ...plan, target: { ...plan.target, baseUrl: target?.baseUrl ?? plan.target.baseUrl } };
    const tasks = [...(o.tasks ?? [])];
    for (const step of o.setups ?? []) {
      const s = await step(live, o.run);
      if (!s) continue;
      if (s.cleanup) cleanups.unshift(s.cleanup);
      if (s.baseUrl) live = { ...live, target: { ...live.target, baseUrl: s.baseUrl } };
      tasks.push(...(s.tasks ?? []));
    }
    return await runK6(live, { ...o, tasks });
  } finally {
    for (const c of cleanups) await c().catch((e: unknown) => o.onLog(`warning: clean-up after the run failed: ${(e as Error).message}`));
    await target?.stop();
  }
}

const INTERRUPT_ECHO = /received a '?(interrupt|terminated)'? signal/i;

async function runK6(plan: Plan, o: ExecuteOptions): Promise<Executed> {
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

/** One k6, or several sharing the load: started, stopped and drained alike. */
interface Launched {
  interrupt(): void;
  kill(): void;
  done: Promise<K6Exit>;
  /** Every sample stream read to its end (after done). */
  drained(): Promise<void>;
  cleanup(): Promise<void>;
  instances?(): InstanceRow[];
}

interface LaunchInput {
  script: string;
  scriptTags: Record<string, string> | null | undefined;
  aggregator: Aggregator;
  samples: SampleCounts;
  onK6Log: (line: string) => void;
}

async function launch(plan: Plan, o: ExecuteOptions, l: LaunchInput): Promise<Launched> {
  const base = { plan, script: l.script, format: o.format, runId: o.run.runId, scriptTags: l.scriptTags, k6Major: k6Major(o.k6.version) };
  const n = plan.distribution?.executor === 'local' ? plan.distribution.instances : 1;
  if (n > 1) {
    if (o.format === 'csv') throw new UsageError('--instances merges k6\'s json stream (csv does not say each metric\'s type)', 'unset LOADCTL_SAMPLE_FORMAT or set it to json');
    const group = await startInstances({
      n,
      format: o.format,
      bin: o.k6.path,
      cwd: o.cwd,
      env: o.env,
      invocation: (samplesPath, instance) => k6Invocation({ ...base, samplesPath, instance }),
      aggregator: l.aggregator,
      counts: l.samples,
      onLog: (i, line) => l.onK6Log(i < 0 ? line : `[k6 ${i + 1}/${n}] ${line}`),
      ...(o.env.LOADCTL_RECORD_STREAMS ? { recordDir: o.env.LOADCTL_RECORD_STREAMS } : {}),
    });
    let exits: K6Exit[] = [];
    return {
      interrupt: group.interrupt,
      kill: group.kill,
      done: group.done.then((d) => {
        exits = d.exits;
        return d.exit;
      }),
      drained: group.drained,
      cleanup: group.cleanup,
      instances: () => instanceRows(group.segments, group.tallies(), exits, plan.bucketMs),
    };
  }
  const fifo = await createFifo();
  const inv = k6Invocation({ ...base, samplesPath: fifo.path });
  const reading = consumeSamples(fifo.open(), o.format, l.aggregator, l.samples);
  const k6 = spawnK6(o.k6.path, inv, { cwd: o.cwd, env: o.env, onLog: l.onK6Log });
  return {
    interrupt: k6.interrupt,
    kill: k6.kill,
    done: k6.done,
    async drained() {
      await fifo.release();
      await reading;
    },
    cleanup: () => fifo.cleanup(),
  };
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
