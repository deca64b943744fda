// The I/O middle of a run: start the target, start k6 with the plan, stream its samples into the
// aggregator, stop everything on every exit path (signals included).

import { startCommandTarget, startDemoTarget, checkReachable, type RunningTarget } from '../../demo/target.js';
import { K6Error, TargetError } from '../../errors.js';
import { k6Invocation } from '../../k6/args.js';
import { classifyK6Exit, describeK6Exit } from '../../k6/exit-codes.js';
import { createLogFilter, saysUnreachable } from '../../k6/logs.js';
import type { K6Binary } from '../../k6/locate.js';
import { lastK6Error, spawnK6, type K6Exit } from '../../k6/process.js';
import { abortReason } from '../../judge/abort.js';
import type { Plan } from '../../plan/types.js';
import { Aggregator, type AggregateResult, type LiveStats } from '../../results/aggregator.js';
import { consumeSamples, createFifo } from '../../results/stream.js';
import type { RunStatus, SampleCounts, SampleFormat } from '../../results/types.js';

export interface ExecuteOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  k6: K6Binary;
  script: string;
  format: SampleFormat;
  redact: (s: string) => string;
  onLog: (line: string) => void;
  onProgress?: (live: LiveStats) => void;
  progressEveryMs?: number;
  onStarted?: (plan: Plan) => void;
}

export interface Executed {
  plan: Plan; // with the live baseUrl of a managed target
  startedAt: Date;
  exit: K6Exit;
  aggregate: AggregateResult;
  samples: SampleCounts;
  abnormal?: { status: Extract<RunStatus, 'error' | 'interrupted' | 'fail'>; reason: string };
}

export async function executeRun(plan: Plan, o: ExecuteOptions): Promise<Executed> {
  const target = await startTarget(plan, o);
  try {
    return await runK6({ ...plan, target: { ...plan.target, baseUrl: target?.baseUrl ?? plan.target.baseUrl } }, o);
  } finally {
    await target?.stop();
  }
}

async function startTarget(plan: Plan, o: ExecuteOptions): Promise<RunningTarget | null> {
  const t = plan.target;
  if (t.managed === 'demo') return startDemoTarget(t.demo ?? {}, { env: o.env });
  if (t.managed === 'start' && t.start) return startCommandTarget(t.start, { cwd: o.cwd, env: o.env });
  await checkReachable(t.baseUrl);
  return null;
}

async function runK6(plan: Plan, o: ExecuteOptions): Promise<Executed> {
  const fifo = await createFifo();
  const aggregator = new Aggregator({ bucketMs: plan.bucketMs });
  const samples: SampleCounts = { parsed: 0, malformed: 0, format: o.format };
  const filter = createLogFilter(o.redact);
  let interruptedBy: string | undefined;
  const inv = k6Invocation({ plan, script: o.script, samplesPath: fifo.path, format: o.format });
  const startedAt = new Date();
  const reading = consumeSamples(fifo.open(), o.format, aggregator, samples);
  const k6 = spawnK6(o.k6.path, inv, {
    cwd: o.cwd,
    env: o.env,
    onLog: (line) => {
      // k6 reports the interrupt loadctl itself sent as an error; the verdict line says it better.
      if ((interruptedBy || abortedFor) && /received a '?(interrupt|terminated)'? signal/i.test(line)) return;
      const shown = filter.push(line);
      if (shown !== null) o.onLog(shown);
    },
  });
  o.onStarted?.(plan);

  const onSignal = (sig: NodeJS.Signals) => {
    if (interruptedBy) return k6.kill(); // a second Ctrl-C: stop at once
    interruptedBy = sig;
    k6.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let abortedFor: string | undefined;
  const timer = setInterval(() => {
    o.onProgress?.(aggregator.live());
    if (abortedFor || interruptedBy) return;
    abortedFor = abortReason(plan.safety.abort, aggregator.closedSeries(), plan.bucketMs) ?? undefined;
    if (abortedFor) {
      o.onLog(`${abortedFor}; stopping k6`);
      k6.interrupt();
    }
  }, o.progressEveryMs ?? 1000);
  let exit: K6Exit;
  try {
    exit = await k6.done;
    await fifo.release(); // a k6 that never opened its output must not leave the reader waiting
    await reading;
  } finally {
    clearInterval(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await fifo.cleanup();
  }
  if (filter.suppressed() > 0) o.onLog(`(${filter.suppressed()} repeated k6 log lines not shown)`);
  const aggregate = aggregator.finish();
  const result: Executed = { plan, startedAt, exit, aggregate, samples };
  const abnormal = abortedFor ? { status: 'fail' as const, reason: abortedFor } : explain(exit, interruptedBy, aggregate, o.redact);
  if (abnormal) result.abnormal = abnormal;
  return result;
}

function explain(exit: K6Exit, interruptedBy: string | undefined, agg: AggregateResult, redact: (s: string) => string): Executed['abnormal'] {
  const outcome = classifyK6Exit(exit.exitCode, exit.signal);
  const http = agg.metrics.http;
  if (interruptedBy) return { status: 'interrupted', reason: `interrupted by ${interruptedBy}; results cover the first ${(agg.durationMs / 1000).toFixed(1)} s` };
  if (outcome === 'interrupted') return { status: 'interrupted', reason: `${describeK6Exit(exit.exitCode, exit.signal)}; partial results` };
  if (outcome === 'crashed') {
    const why = lastK6Error(exit.stderrTail);
    if (http.requests === 0 && exit.exitCode !== null) {
      throw new K6Error(redact(`${describeK6Exit(exit.exitCode, exit.signal)}${why ? `: ${why}` : ''}`), 'see the k6 output above; fix the script or the plan');
    }
    return { status: 'error', reason: redact(`${describeK6Exit(exit.exitCode, exit.signal)}${why ? `: ${why}` : ''}; partial results`) };
  }
  if (outcome === 'failed-by-script') return { status: 'fail', reason: describeK6Exit(exit.exitCode) };
  if (outcome === 'thresholds-failed') return { status: 'fail', reason: "the script's own k6 thresholds failed (k6 exited 99)" };
  if (http.requests > 0 && http.failed === http.requests && saysUnreachable(exit.stderrTail)) {
    throw new TargetError(`every request failed: the target stopped answering (${lastK6Error(exit.stderrTail) ?? 'connection errors'})`, 'check that the service is up and baseUrl is right');
  }
  return undefined;
}
