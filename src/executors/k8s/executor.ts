// The Kubernetes executor behind the pipeline's seam: its preflight (what a cluster run cannot do,
// kubectl), its --dry-run view (the manifests), and the run on k6-operator (run.ts).
import type { Executor } from '../../pipeline/executor.js';
import { checkK8s, dryRunManifests } from './preflight.js';
import { runOnKubernetes } from './run.js';

export const k8sExecutor: Executor = {
  async preflight(plan, o) {
    const kubectl = await checkK8s(plan, o.env, o.dryRun);
    const pollMs = o.env.LOADCTL_K8S_POLL_MS ? Number(o.env.LOADCTL_K8S_POLL_MS) : undefined;
    return { ...o.cluster, ...(kubectl ? { kubectl } : {}), ...(pollMs !== undefined ? { pollMs } : {}) };
  },
  dryRun: (plan, o) => dryRunManifests(plan, o.scenarioFile, o.cwd, o.cluster, o.now),
  execute: (plan, o) => runOnKubernetes(plan, o, o.cluster ?? {}),
};
