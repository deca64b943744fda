// `--executor k8s`: the run on k6-operator. Applies the ConfigMap and TestRun, follows the TestRun
// to its end while following each runner's log (loadctl's stream on its stdout), merges the
// streams as local instances' are merged, judges once, and deletes what it created on every exit
// path (Ctrl-C included). The target is whatever the profile's baseUrl is: nothing is started here.

import { spawn } from 'node:child_process';
import { kubectlRunner, type Ran } from './kubectl.js';
import { beside as besideContext } from './beside-context.js';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { newMerger } from '../instances/mergers.js';
import { explainingExit } from '../instances/instances.js';
import { instanceRows } from '../instances/rows.js';
import { segmentsFor } from '../../plan/segments.js';
import { RuntimeError } from '../../util/errors.js';
import { k6Invocation } from '../../k6/args.js';
import { k6Major, K6_TESTED } from '../../k6/locate.js';
import { explainK6Exit } from '../../k6/explain.js';
import type { K6Exit } from '../../k6/process.js';
import type { Plan } from '../../plan/types.js';
import { Aggregator } from '../../results/aggregator.js';
import type { SampleCounts } from '../../results/types.js';
import type { ClusterSettings, ExecuteOptions, Executed } from '../../pipeline/executor.js';
import { kubectlArgs } from './kubectl-args.js';
import { k8sManifests, manifestList, runnerIndex, STREAM_PATH, type K8sTarget, type Manifests } from './manifests.js';
import { classifyRunnerLine, parseExitCodes } from './runner-logs.js';

/** Where the runners go: the pipeline's cluster settings (namespace, context, image, kubectl). */
export type K8sOptions = ClusterSettings & K8sTarget;

/** Stock k6 runners write k6's own json samples to stdout, merged as local instances' are. */
const RUNNER_FORMAT = 'json';
/** Where k6-operator mounts the ConfigMap's script. */
const SCRIPT_PATH = '/test/script.js';
const DONE = new Set(['finished', 'error', 'stopped']);
// From `started` on the runners' containers run (the starter resumed them): their logs can be followed.
const RUNNERS_UP = new Set(['started', ...DONE]);
const LOGS_AFTER_END_MS = 60_000;

/**
 * The k6 line of the runner image, from its tag (`grafana/k6:2.2.0` → 2): v1 and v2 take different
 * summary flags. An image whose tag names no version is taken to be the tested one's line.
 */
export function runnerMajor(image: string | undefined): number {
  const tag = image === undefined ? K6_TESTED : /:v?(\d+)\.\d+\.\d+[^/]*$/.exec(image)?.[1];
  return tag === undefined ? k6Major(K6_TESTED) : k6Major(tag);
}

/** The manifests of a run, for --dry-run and for the run itself. */
export async function manifestsFor(plan: Plan, scriptFile: string, runId: string, k: K8sOptions): Promise<Manifests> {
  const script = await readFile(scriptFile, 'utf8');
  const invocation = k6Invocation({ plan, script: SCRIPT_PATH, samplesPath: STREAM_PATH, format: RUNNER_FORMAT, runId, k6Major: runnerMajor(k.image), keepRestApi: true });
  return k8sManifests({ plan, runId, script, invocation, parallelism: plan.distribution?.instances ?? 1, ...(k.image ? { image: k.image } : {}), ...(k.namespace ? { namespace: k.namespace } : {}) }, SCRIPT_PATH);
}

export async function runOnKubernetes(plan: Plan, o: ExecuteOptions, k: K8sOptions): Promise<Executed> {
  const n = plan.distribution?.instances ?? 1;
  const target: K8sTarget = { ...(k.namespace ? { namespace: k.namespace } : {}), ...(k.context ? { context: k.context } : {}) };
  const bin = k.kubectl ?? 'kubectl';
  const kubectl = kubectlRunner(bin, o.cwd, o.env);
  const m = await manifestsFor(plan, await o.script, o.run.runId, k);
  const aggregator = new Aggregator({ bucketMs: plan.bucketMs, tags: plan.metricTags });
  const samples: SampleCounts = { parsed: 0, malformed: 0, format: RUNNER_FORMAT };
  const merger = newMerger(RUNNER_FORMAT, aggregator, n, samples);
  const log = (line: string) => o.onLog(o.redact(line));
  const followers = new Map<number, { kill(): void; done: Promise<void> }>();
  let interruptedBy: string | undefined;
  let stoppedFor: string | undefined;
  let deleted: Promise<Ran> | undefined;
  const remove = () => (deleted ??= kubectl(kubectlArgs.delete(target, m.name)));
  const startedAt = new Date();

  const applied = await kubectl(kubectlArgs.apply(target), manifestList(m));
  if (applied.code !== 0) throw new RuntimeError(`kubectl apply failed: ${o.redact(applied.stderr.trim() || `exit ${applied.code}`)}`, 'check the context, namespace and that k6-operator (its TestRun CRD) is installed');
  log(`TestRun ${m.name}: ${n} runner(s) on ${target.context ?? 'the current context'}${target.namespace ? `, namespace ${target.namespace}` : ''}`);
  o.onStarted?.(plan);

  const onSignal = (sig: NodeJS.Signals) => {
    if (interruptedBy) return;
    interruptedBy = sig;
    void remove();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tasks = o.tasks ?? [];
  const ctx = besideContext(plan, aggregator, log, o.now, (reason) => {
    if (stoppedFor || interruptedBy) return;
    stoppedFor = reason;
    log(`${reason}; deleting TestRun ${m.name}`);
    void remove();
  });
  ctx.clock.startedAtMs = startedAt.getTime();
  const progress = setInterval(() => o.onProgress?.(aggregator.live()), 1000);
  let stage = '';
  try {
    for (const t of tasks) await t.start(ctx);
    const pollMs = k.pollMs ?? 2000;
    while (!interruptedBy && !stoppedFor) {
      const s = await kubectl(kubectlArgs.stage(target, m.name));
      if (s.code !== 0) throw new RuntimeError(`kubectl could not read TestRun ${m.name}: ${o.redact(s.stderr.trim())}`);
      stage = s.stdout.trim();
      if (followers.size < n && RUNNERS_UP.has(stage)) await follow();
      if (DONE.has(stage)) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    // A log ends when its container does; one that hangs is cut off.
    const all = Promise.all([...followers.values()].map((f) => f.done));
    // Ctrl-C: stop reading at once; a safety stop deleted the runners, whose logs end soon.
    const waitMs = interruptedBy ? 0 : stoppedFor ? 10_000 : LOGS_AFTER_END_MS;
    const timer = setTimeout(() => followers.forEach((f) => f.kill()), waitMs);
    await all;
    clearTimeout(timer);
    for (let i = 0; i < n; i++) if (!followers.has(i + 1)) merger.end(i);
  } finally {
    clearInterval(progress);
    ctx.over();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await Promise.allSettled(tasks.map((t) => t.stop()));
    followers.forEach((f) => f.kill());
  }
  const codes = parseExitCodes((await kubectl(kubectlArgs.exitCodes(target, m.name))).stdout);
  const deletedNow = await remove();
  if (deletedNow.code !== 0) log(`warning: could not delete TestRun and ConfigMap ${m.name}: ${deletedNow.stderr.trim()} (delete them with: kubectl ${kubectlArgs.delete(target, m.name).join(' ')})`);

  const durationMs = Date.now() - startedAt.getTime();
  const exits: K6Exit[] = Array.from({ length: n }, (_, i) => {
    const pod = [...codes.keys()].find((p) => runnerIndex(m.name, p) === i + 1);
    return { exitCode: pod === undefined ? null : (codes.get(pod) ?? null), durationMs, stderrTail: [] };
  });
  if (stage === 'error' && exits.every((e) => e.exitCode === 0)) exits[0] = { ...exits[0]!, exitCode: null, stderrTail: [`level=error msg="k6-operator reported TestRun ${m.name} in stage error"`] };
  const aggregate = aggregator.finish();
  const exit = explainingExit(exits);
  const end = explainK6Exit({ exit, interruptedBy, stoppedFor, requests: aggregate.metrics.http.requests, failed: aggregate.metrics.http.failed, durationMs: aggregate.durationMs, redact: o.redact });
  if (end instanceof Error) throw end;
  const beside = Object.fromEntries(tasks.map((t) => [t.name, t.result()]));
  return { plan, startedAt, exit, aggregate, samples, end, beside, instances: instanceRows(segmentsFor(n), merger.tallies(), exits, plan.bucketMs) };

  async function follow(): Promise<void> {
    const pods = await kubectl(kubectlArgs.runnerPods(target, m.name));
    for (const pod of pods.stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const index = runnerIndex(m.name, pod);
      if (index === undefined || index > n || followers.has(index)) continue;
      const child = spawn(bin, kubectlArgs.logs(target, pod.replace(/^pod\//, '')), { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (raw) => {
        const l = classifyRunnerLine(raw);
        if (l.kind === 'stream') merger.line(index - 1, l.line);
        else if (l.line.trim() !== '') log(`[runner ${index}/${n}] ${l.line}`);
      });
      child.stderr.on('data', (d) => log(`[runner ${index}/${n}] kubectl logs: ${String(d).trim()}`));
      const done = new Promise<void>((resolve) => {
        lines.once('close', () => {
          merger.end(index - 1);
          resolve();
        });
      });
      followers.set(index, { kill: () => void child.kill('SIGTERM'), done });
    }
  }
}
