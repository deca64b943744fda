// The Kubernetes executors behind the pipeline's seam. `k8s`: stock k6 runners as Jobs, no operator
// needed (jobs-run.ts). `k6-operator`: a TestRun for clusters that run that operator (run.ts). Both
// share the preflight (what a cluster run cannot do, kubectl) and show their manifests on --dry-run.
import type { ClusterSettings, Executor } from '../../pipeline/executor.js';
import { checkK8s, dryRunManifests } from './preflight.js';
import { runOnJobs } from './jobs-run.js';
import { runOnKubernetes } from './run.js';

async function preflight(...[plan, o]: Parameters<NonNullable<Executor['preflight']>>): Promise<ClusterSettings> {
  const kubectl = await checkK8s(plan, o.env, o.dryRun);
  const pollMs = o.env.LOADCTL_K8S_POLL_MS ? Number(o.env.LOADCTL_K8S_POLL_MS) : undefined;
  return { ...o.cluster, ...(kubectl ? { kubectl } : {}), ...(pollMs !== undefined ? { pollMs } : {}) };
}

export const k8sJobsExecutor: Executor = {
  preflight,
  dryRun: (plan, o) => dryRunManifests(plan, o.scenarioFile, o.cwd, o.cluster, o.now),
  execute: (plan, o) => runOnJobs(plan, o, o.cluster ?? {}),
};

export const k6OperatorExecutor: Executor = {
  preflight,
  dryRun: (plan, o) => dryRunManifests(plan, o.scenarioFile, o.cwd, o.cluster, o.now),
  execute: (plan, o) => runOnKubernetes(plan, o, o.cluster ?? {}),
};
