// The Kubernetes objects of a distributed run on k6-operator: a ConfigMap holding the k6 script
// and the plan, and a TestRun (k6.io/v1alpha1) whose runners run that script with loadctl's k6
// output on stdout, thresholds off. Pure: plan and script in, objects out.
//
// Why stdout: each runner's stream is then its pod log, which `kubectl logs -f` follows while the
// run goes (kubelet's follow survives log rotation) and which stays readable after the container
// exits, with no volume, sidecar or image tooling needed. k6's own log lines go to stderr and are
// told apart by the stream's line shape (runner-logs.ts).
import { createHash } from 'node:crypto';
import type { K6Invocation } from '../../k6/args.js';
import type { Plan } from '../../plan/types.js';
import { K6_TESTED } from '../../k6/locate.js';

/** The runner image: the stock grafana/k6 image of the k6 version loadctl is tested with (pin your own with --runner-image). */
export const RUNNER_IMAGE = `grafana/k6:${K6_TESTED}`;
export const SCRIPT_KEY = 'script.js';
export const PLAN_KEY = 'plan.json';
/** Where k6-operator mounts a ConfigMap script: /test/<file>. */
const STREAM_PATH = '/dev/stdout';

export interface K8sTarget {
  namespace?: string;
  context?: string;
}

export interface ManifestInput {
  plan: Plan;
  runId: string;
  script: string; // the bundled scenario, or the plain script's text
  invocation: K6Invocation; // as for a local k6 (args.ts), with samplesPath STREAM_PATH
  parallelism: number;
  image?: string;
  namespace?: string;
}

export interface Manifests {
  name: string; // of both objects
  configMap: K8sObject;
  testRun: K8sObject;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

export { STREAM_PATH };

/** A DNS-1123 name short enough for k6-operator's "<name>-<i>" jobs and their pods' suffixes. */
export function resourceName(runId: string): string {
  return `loadctl-${createHash('sha256').update(runId).digest('hex').slice(0, 10)}`;
}

/** A label value (63 characters of [A-Za-z0-9._-], starting and ending alphanumeric). */
export function labelValue(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'run';
}

/**
 * k6's arguments for a runner: those a local k6 gets, less what k6-operator adds itself (`run`,
 * the script path, --address, --paused, segments). Quoted for spec.arguments, which the operator
 * splits on spaces: an argument with a space cannot be passed, so it is refused.
 */
export function runnerArguments(inv: K6Invocation, scriptPath: string): string {
  const args = inv.args.filter((a, i) => !(i === 0 && a === 'run') && a !== scriptPath);
  const bad = args.find((a) => /\s/.test(a));
  if (bad !== undefined) throw new RangeError(`k6 argument "${bad}" holds a space, which k6-operator's spec.arguments cannot carry`);
  return args.join(' ');
}

export function k8sManifests(i: ManifestInput, scriptPath: string): Manifests {
  const name = resourceName(i.runId);
  const labels = { 'app.kubernetes.io/managed-by': 'loadctl', 'loadctl.dev/run': labelValue(i.runId) };
  const metadata = { name, ...(i.namespace ? { namespace: i.namespace } : {}), labels };
  const env = runnerEnv(i.plan, i.invocation, name);
  const configMap: K8sObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata,
    data: { [SCRIPT_KEY]: i.script, ...(i.plan.scenario.kind === 'scenario' ? { [PLAN_KEY]: JSON.stringify(i.plan) } : {}) },
  };
  const testRun: K8sObject = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata,
    spec: {
      parallelism: i.parallelism,
      script: { configMap: { name, file: SCRIPT_KEY } },
      arguments: runnerArguments(i.invocation, scriptPath),
      // Paused runners resumed together by the operator's starter: the segments start as one test.
      paused: 'true',
      quiet: 'true',
      runner: { image: i.image ?? RUNNER_IMAGE, env },
      // No `cleanup: post`: the runners' logs must outlive the run until loadctl has read them;
      // loadctl deletes both objects itself (also on Ctrl-C).
    },
  };
  return { name, configMap, testRun };
}

/** A runner's environment: k6's own settings, the plan from the ConfigMap, secrets by name from the Secret `loadctl-env`. */
export function runnerEnv(plan: Plan, inv: K6Invocation, configMap: string): Record<string, unknown>[] {
  const { LOADCTL_PLAN: _plan, ...plainEnv } = inv.env;
  return [
    ...Object.entries({ ...inv.envDefaults, ...plainEnv }).map(([n, value]) => ({ name: n, value })),
    // The plan can be large; the runners read it from the ConfigMap rather than from the pod spec.
    ...(plan.scenario.kind === 'scenario' ? [{ name: 'LOADCTL_PLAN', valueFrom: { configMapKeyRef: { name: configMap, key: PLAN_KEY } } }] : []),
    // Secrets by name only: their values come from a Secret the cluster already holds, never from here.
    ...plan.envRefs.map((n) => ({ name: n, valueFrom: { secretKeyRef: { name: 'loadctl-env', key: n } } })),
  ];
}

/** Both objects as one kubectl List, the text `kubectl apply -f -` reads. */
export function manifestList(m: Manifests): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [m.configMap, m.testRun] }, null, 2)}\n`;
}

/** The runner index (1-based, as k6-operator names its jobs "<name>-<i>") of a runner pod. */
export function runnerIndex(name: string, pod: string): number | undefined {
  const m = new RegExp(`^(?:pod/)?${name}-(\\d+)-[a-z0-9]+$`).exec(pod);
  return m ? Number(m[1]) : undefined;
}
