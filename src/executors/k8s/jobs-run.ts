// `--executor k8s`: stock k6 runners as Kubernetes Jobs, no operator. One Job per runner, each with
// its execution segment, all started paused; once every runner's k6 reports itself paused and
// ready (its REST API, through `kubectl proxy`), all are resumed together. Each runner's samples
// come back on its pod log (`kubectl logs --follow`, picked up again where it broke off) and are
// merged into one Aggregator. At the end the runners linger, and each one's own http_reqs count
// (k6's REST API) must equal the requests read back from its log: a lost or doubled stretch of log
// fails the run instead of skewing it. A runner pod that fails, is deleted or cannot start stops
// the others and fails the run. Every object is deleted on every exit path.
import { readFile } from 'node:fs/promises';
import { newMerger } from '../instances/mergers.js';
import { explainingExit } from '../instances/instances.js';
import { instanceRows } from '../instances/rows.js';
import { segmentsFor } from '../../plan/segments.js';
import { RuntimeError } from '../../util/errors.js';
import { k6Invocation } from '../../k6/args.js';
import { explainK6Exit } from '../../k6/explain.js';
import type { K6Exit } from '../../k6/process.js';
import type { Plan } from '../../plan/types.js';
import { Aggregator } from '../../results/aggregator.js';
import type { SampleCounts } from '../../results/types.js';
import type { ExecuteOptions, Executed } from '../../pipeline/executor.js';
import { jobManifests, JOB_SCRIPT_PATH, REST_PORT, RUN_LABEL, jobName, type JobManifests } from './job-manifests.js';
import { kubectlRunner, startApiProxy, type Kubectl } from './kubectl.js';
import { LogFollower } from './log-follow.js';
import { ENDED, RunnerApi } from './runner-api.js';
import { runnerPods, exitCodeOf, type RunnerPod } from './runner-pods.js';
import { runnerMajor, type K8sOptions } from './run.js';
import { beside } from './beside-context.js';

const RUNNER_FORMAT = 'json';
const READY_WITHIN_MS = 300_000;
const COUNTS_MATCH_WITHIN_MS = 60_000;

export async function jobManifestsFor(plan: Plan, scriptFile: string, runId: string, k: K8sOptions): Promise<JobManifests> {
  const script = await readFile(scriptFile, 'utf8');
  const segments = segmentsFor(plan.distribution?.instances ?? 1);
  const major = runnerMajor(k.image);
  return jobManifests({
    plan,
    runId,
    script,
    segments,
    invocation: (seg) => k6Invocation({ plan, script: JOB_SCRIPT_PATH, samplesPath: '/dev/stdout', format: RUNNER_FORMAT, runId, k6Major: major, instance: { segment: seg.segment, sequence: seg.sequence, address: `0.0.0.0:${REST_PORT}` } }),
    ...(k.image ? { image: k.image } : {}),
    ...(k.namespace ? { namespace: k.namespace } : {}),
  });
}

export async function runOnJobs(plan: Plan, o: ExecuteOptions, k: K8sOptions): Promise<Executed> {
  const n = plan.distribution?.instances ?? 1;
  const base = [...(k.context ? ['--context', k.context] : []), ...(k.namespace ? ['--namespace', k.namespace] : [])];
  const bin = k.kubectl ?? 'kubectl';
  const kubectl = kubectlRunner(bin, o.cwd, o.env);
  // Set-ups beside the load (faults through the cluster's API); they may not move the target.
  const tasks = [...(o.tasks ?? [])];
  const cleanups: (() => Promise<void>)[] = [];
  let m: JobManifests;
  try {
    for (const step of o.setups ?? []) {
      const s = await step(plan, o.run);
      if (!s) continue;
      if (s.cleanup) cleanups.unshift(s.cleanup);
      tasks.push(...(s.tasks ?? []));
    }
    m = await jobManifestsFor(plan, await o.script, o.run.runId, k);
  } catch (e) {
    for (const c of cleanups) await c().catch(() => undefined);
    throw e;
  }
  const aggregator = new Aggregator({ bucketMs: plan.bucketMs, tags: plan.metricTags });
  const samples: SampleCounts = { parsed: 0, malformed: 0, format: RUNNER_FORMAT };
  const merger = newMerger(RUNNER_FORMAT, aggregator, n, samples);
  const log = (line: string) => o.onLog(o.redact(line));
  const pollMs = k.pollMs ?? 1000;
  const followers = new Map<number, LogFollower>();
  const pods = new Map<number, string>();
  let interruptedBy: string | undefined;
  let stoppedFor: string | undefined;
  let died: string | undefined;
  let proxy: { stop(): void } | undefined;
  const objects = [...m.jobs.map((_, i) => `job/${jobName(m.name, i)}`), `configmap/${m.name}`];
  let deleted: Promise<void> | undefined;
  // Foreground: the command returns once the pods are gone too, so nothing is left running.
  const remove = () => (deleted ??= deleteAll(kubectl, base, objects, log));

  const onSignal = (sig: NodeJS.Signals) => {
    if (interruptedBy) return;
    interruptedBy = sig;
    log(`${sig}: deleting the runners`);
    void remove();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ctx = beside(plan, aggregator, log, o.now, (reason) => {
    if (stoppedFor || interruptedBy) return;
    stoppedFor = reason;
    log(`${reason}; stopping the runners`);
    void Promise.allSettled([...pods.values()].map((p) => api?.stop(p)));
  });
  const progress = setInterval(() => o.onProgress?.(aggregator.live()), 1000);
  let api: RunnerApi | undefined;
  const statuses = new Map<number, { tainted: boolean }>();
  let startedAt = new Date();
  let namespace = k.namespace ?? 'default';
  try {
    const applied = await kubectl([...base, 'apply', '-f', '-', '-o', 'json'], `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [m.configMap, ...m.jobs] })}\n`);
    if (applied.code !== 0) throw new RuntimeError(`kubectl apply failed: ${o.redact(applied.stderr.trim() || `exit ${applied.code}`)}`, 'check the context and namespace (--context, --namespace) and that you may create Jobs and ConfigMaps there');
    namespace = appliedNamespace(applied.stdout) ?? k.namespace ?? 'default';
    log(`${n} runner Job(s) ${m.name}-1…${n} on ${k.context ?? 'the current context'}, namespace ${namespace}`);
    const p = await startApiProxy(bin, base, o.cwd, o.env);
    proxy = p;
    api = new RunnerApi(p.url, namespace, REST_PORT);
    const watch = async (): Promise<RunnerPod[]> => {
      const r = await kubectl([...base, 'get', 'pods', '-l', `${RUN_LABEL}=${m.name}`, '-o', 'json']);
      if (r.code !== 0) throw new RuntimeError(`kubectl could not list the runner pods: ${o.redact(r.stderr.trim())}`);
      const all = runnerPods(r.stdout);
      for (const pod of all) {
        const known = pods.get(pod.runner);
        if (known !== undefined && known !== pod.name) died ??= `runner ${pod.runner} was started a second time (pod ${pod.name} after ${known}); its segment would count twice`;
        if (known === undefined && pod.running) {
          pods.set(pod.runner, pod.name);
          followers.set(pod.runner, new LogFollower({ bin, base, pod: pod.name, cwd: o.cwd, env: o.env, onSample: (line) => merger.line(pod.runner - 1, line), onLog: (line) => log(`[runner ${pod.runner}/${n}] ${line}`) }));
        }
        if (pod.gone && !interruptedBy) died ??= `runner ${pod.runner} (pod ${pod.name}) ended before its test did: ${pod.gone}`;
      }
      return all;
    };

    // 1. Every runner paused with its VUs ready, then all resumed at once.
    const readyBy = Date.now() + READY_WITHIN_MS;
    const ready = new Set<number>();
    while (!interruptedBy && !died && ready.size < n) {
      const all = await watch();
      for (const [runner, pod] of pods) if (!ready.has(runner) && RunnerApi.ready(await api.status(pod))) ready.add(runner);
      if (ready.size === n) break;
      if (Date.now() > readyBy) {
        const why = all.filter((x) => !ready.has(x.runner)).map((x) => `runner ${x.runner}: ${x.waiting ?? 'its k6 did not answer'}`);
        throw new RuntimeError(`${n - ready.size} of ${n} runners were not ready within ${READY_WITHIN_MS / 1000} s (${why.join('; ') || 'no pod was created'})`, 'see `kubectl describe pod` for them: is the runner image there (--runner-image) and is there room on the nodes?');
      }
      await sleep(pollMs);
    }
    if (!interruptedBy && !died) {
      await Promise.all([...pods.values()].map((pod) => api!.resume(pod)));
      startedAt = new Date();
      ctx.clock.startedAtMs = startedAt.getTime();
      log(`${n} runner(s) resumed together`);
      o.onStarted?.(plan);
      for (const t of tasks) await t.start(ctx);
    }

    // 2. Until every runner's test has ended (or one died, or Ctrl-C).
    while (!interruptedBy && !died) {
      await watch();
      let ended = 0;
      for (const [runner, pod] of pods) {
        const s = await api.status(pod);
        if (s && s.status >= ENDED) {
          ended++;
          statuses.set(runner, { tainted: s.tainted });
        }
      }
      if (ended === n) break;
      await sleep(pollMs);
    }
    if (died && !interruptedBy) {
      log(`${died}; stopping the other runner(s)`);
      throw new RuntimeError(`the run on Kubernetes failed: ${died}`, 'see the runner\'s events (kubectl describe pod, kubectl get events); the other runners were stopped and deleted');
    }

    // 3. The samples read back must be exactly those k6 counted.
    if (!interruptedBy) await matchCounts(api, pods, followers, log);
  } finally {
    clearInterval(progress);
    ctx.over();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await Promise.allSettled(tasks.map((t) => t.stop()));
    await Promise.allSettled([...followers.values()].map((f) => f.stop()));
    proxy?.stop();
    await remove();
    for (const c of cleanups) await c().catch((e: unknown) => log(`warning: ${(e as Error).message}`));
  }
  for (let i = 0; i < n; i++) merger.end(i);

  const durationMs = Date.now() - startedAt.getTime();
  // As args.ts decides: k6's own threshold verdict counts only for a plain script loadctl does not judge.
  const k6Judges = plan.scenario.kind === 'script' && plan.thresholds === undefined;
  const exits: K6Exit[] = Array.from({ length: n }, (_, i) => {
    const s = statuses.get(i + 1);
    // A lingering k6 has no exit code yet; its status says what its exit would have said.
    return { exitCode: s ? (s.tainted && k6Judges ? 99 : 0) : exitCodeOf(undefined), durationMs, stderrTail: [] };
  });
  const aggregate = aggregator.finish();
  const exit = explainingExit(exits);
  const end = explainK6Exit({ exit, interruptedBy, stoppedFor, requests: aggregate.metrics.http.requests, failed: aggregate.metrics.http.failed, durationMs: aggregate.durationMs, redact: o.redact });
  if (end instanceof Error) throw end;
  const besideResults = Object.fromEntries(tasks.map((t) => [t.name, t.result()]));
  return { plan, startedAt, exit, aggregate, samples, end, beside: besideResults, instances: instanceRows(segmentsFor(n), merger.tallies(), exits, plan.bucketMs) };
}

/** Waits until each runner's log has given up as many requests as its k6 counted; a gap fails the run. */
async function matchCounts(api: RunnerApi, pods: Map<number, string>, followers: Map<number, LogFollower>, log: (l: string) => void): Promise<void> {
  const want = new Map<number, number>();
  for (const [runner, pod] of pods) {
    const n = await api.count(pod, 'http_reqs');
    if (n === undefined) log(`runner ${runner}: k6 kept no count of http_reqs (the script's own thresholds replaced loadctl's), so its samples could not be checked against it`);
    else want.set(runner, n);
  }
  const by = Date.now() + COUNTS_MATCH_WITHIN_MS;
  const short = () => [...want].filter(([r, w]) => (followers.get(r)?.requests ?? 0) !== w);
  while (short().some(([r, w]) => (followers.get(r)?.requests ?? 0) < w) && Date.now() < by) await sleep(200);
  const off = short();
  for (const f of followers.values()) if (f.reconnects > 0) log(`runner log ${f.reconnects} time(s) picked up again; ${f.skipped} replayed line(s) skipped`);
  if (off.length > 0) {
    const what = off.map(([r, w]) => `runner ${r}: k6 counted ${w} requests, its log carried ${followers.get(r)?.requests ?? 0}`).join('; ');
    throw new RuntimeError(`the samples read back from the runner pods' logs do not match k6's own counts (${what})`, 'the log lost or repeated a stretch (a log rotated before it was read?): raise the kubelet\'s containerLogMaxSize, or use more runners so each writes less');
  }
}

async function deleteAll(kubectl: Kubectl, base: string[], objects: string[], log: (l: string) => void): Promise<void> {
  const args = [...base, 'delete', ...objects, '--ignore-not-found', '--cascade=foreground', '--wait=true', '--timeout=90s'];
  const r = await kubectl(args);
  if (r.code !== 0) log(`warning: could not delete ${objects.join(' ')}: ${r.stderr.trim()} (delete them with: kubectl ${args.join(' ')})`);
}

function appliedNamespace(json: string): string | undefined {
  try {
    const items = (JSON.parse(json) as { items?: { metadata?: { namespace?: string } }[] }).items;
    return items?.find((i) => i.metadata?.namespace)?.metadata?.namespace;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
