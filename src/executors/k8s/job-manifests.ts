// The Kubernetes objects of a distributed run without any operator: a ConfigMap holding the k6
// script (and a scenario's plan), and one batch/v1 Job per runner whose single pod runs the stock
// k6 image with its execution segment, paused, its REST API open on the pod's port 6565, and
// --linger so it stays readable after its test ends. Pure: plan and script in, objects out.
//
// Why one Job per runner rather than one Indexed Job: the segment is an argument of k6, and a pod
// template cannot turn its completion index into "1/2:2/2" without a shell, which a stock k6 image
// need not have. Why backoffLimit 0: a replacement pod would run its segment a second time, and
// its samples would count twice. activeDeadlineSeconds and ttlSecondsAfterFinished bound every
// runner in time even if loadctl itself is killed before it can delete them.
import type { K6Invocation } from '../../k6/args.js';
import type { Plan } from '../../plan/types.js';
import type { Segment } from '../../plan/segments.js';
import { PLAN_KEY, RUNNER_IMAGE, SCRIPT_KEY, resourceName, labelValue, runnerEnv, type K8sObject } from './manifests.js';

/** Where the ConfigMap is mounted in a runner pod. */
export const JOB_SCRIPT_DIR = '/loadctl';
export const JOB_SCRIPT_PATH = `${JOB_SCRIPT_DIR}/${SCRIPT_KEY}`;
/** k6's REST API in the pod, reached through the API server's pod proxy. */
export const REST_PORT = 6565;
export const RUN_LABEL = 'loadctl.dev/run';
/**
 * A k6 config file in the ConfigMap: one threshold that always holds, on http_reqs. k6 keeps its
 * own count of a metric only while a threshold watches it (the summary is off), and that count is
 * what the samples read back are checked against. A Counter costs k6 no memory as the run grows.
 */
export const K6_CONFIG_KEY = 'k6-config.json';
export const K6_CONFIG = JSON.stringify({ thresholds: { http_reqs: ['count>=0'] } });
export const RUNNER_LABEL = 'loadctl.dev/runner';
/** Beyond the plan's own length: image pull, VU start-up, the samples' read-back. */
const DEADLINE_MARGIN_S = 600;
/** A plain script whose length loadctl cannot know: a bound that still ends a forgotten runner. */
const UNKNOWN_LENGTH_S = 6 * 3600;

export interface JobsInput {
  plan: Plan;
  runId: string;
  script: string;
  /** The invocation of one runner (args.ts with `instance` set), by segment. */
  invocation(segment: Segment): K6Invocation;
  segments: Segment[];
  image?: string;
  namespace?: string;
  /** imagePullPolicy; default: Kubernetes' own (IfNotPresent for a tagged image). */
  pullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

export interface JobManifests {
  name: string; // of the ConfigMap; runner i's Job is `${name}-${i + 1}`
  configMap: K8sObject;
  jobs: K8sObject[];
}

export function jobName(name: string, index: number): string {
  return `${name}-${index + 1}`;
}

export function jobManifests(i: JobsInput): JobManifests {
  const name = resourceName(i.runId);
  const run = labelValue(name);
  const labels = { 'app.kubernetes.io/managed-by': 'loadctl', [RUN_LABEL]: run };
  const ns = i.namespace ? { namespace: i.namespace } : {};
  const configMap: K8sObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...ns, labels },
    data: { [SCRIPT_KEY]: i.script, [K6_CONFIG_KEY]: K6_CONFIG, ...(i.plan.scenario.kind === 'scenario' ? { [PLAN_KEY]: JSON.stringify(i.plan) } : {}) },
  };
  const deadline = (i.plan.durationMs === null ? UNKNOWN_LENGTH_S : Math.ceil(i.plan.durationMs / 1000)) + DEADLINE_MARGIN_S;
  const jobs = i.segments.map((seg): K8sObject => {
    const inv = i.invocation(seg);
    const runnerLabels = { ...labels, [RUNNER_LABEL]: String(seg.index + 1) };
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: jobName(name, seg.index), ...ns, labels: runnerLabels, annotations: { 'loadctl.dev/segment': seg.segment, 'loadctl.dev/run-id': i.runId } },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: deadline,
        ttlSecondsAfterFinished: 600,
        template: {
          metadata: { labels: runnerLabels },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 10,
            containers: [
              {
                name: 'k6',
                image: i.image ?? RUNNER_IMAGE,
                ...(i.pullPolicy ? { imagePullPolicy: i.pullPolicy } : {}),
                args: withLinger(inv.args),
                env: runnerEnv(i.plan, inv, name),
                ports: [{ name: 'k6-rest', containerPort: REST_PORT }],
                volumeMounts: [{ name: 'script', mountPath: JOB_SCRIPT_DIR, readOnly: true }],
              },
            ],
            volumes: [{ name: 'script', configMap: { name } }],
          },
        },
      },
    };
  });
  return { name, configMap, jobs };
}

/** The ConfigMap and Jobs as one kubectl List, the text `kubectl apply -f -` reads. */
export function jobList(m: JobManifests): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [m.configMap, ...m.jobs] }, null, 2)}\n`;
}

/**
 * --linger keeps k6 (and its REST API) up after its test: loadctl reads k6's own count, then deletes
 * the pod. --no-thresholds would stop k6 counting (K6_CONFIG): where loadctl judges the thresholds,
 * the runner's own verdict is ignored instead (jobs-run.ts).
 */
function withLinger(args: string[]): string[] {
  const out = args.filter((a) => a !== '--no-thresholds');
  out.splice(out.length - 1, 0, '--config', `${JOB_SCRIPT_DIR}/${K6_CONFIG_KEY}`, '--linger');
  return out;
}

/** Whether k6's own threshold verdict counts (a plain script whose thresholds loadctl does not judge). */
export function k6JudgesThresholds(args: readonly string[]): boolean {
  return !args.includes('--no-thresholds');
}
