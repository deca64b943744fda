// Checks before a run on Kubernetes, so a bad setting stops it before anything is applied, and
// the --dry-run view of what would be applied.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { bundleScenario } from '../../bundle/bundle.js';
import { projectRoot } from '../../util/roots.js';
import { UsageError } from '../../util/errors.js';
import type { Plan } from '../../plan/types.js';
import { makeRunId } from '../../results/run-id.js';
import { manifestList } from './manifests.js';
import { jobList } from './job-manifests.js';
import { jobManifestsFor } from './jobs-run.js';
import { manifestsFor, type K8sOptions } from './run.js';

/** kubectl's path on PATH, or undefined. */
export async function findKubectl(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(dir, 'kubectl');
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What a run on Kubernetes cannot do; each names the setting to change. */
export async function checkK8s(plan: Plan, env: NodeJS.ProcessEnv, dryRun: boolean): Promise<string | undefined> {
  const where = plan.target.profileFile ?? plan.target.name;
  if (plan.target.managed !== 'none') {
    throw new UsageError(`--executor ${plan.distribution?.executor ?? 'k8s'}: ${where} has loadctl start its target (${plan.target.managed}), which runner pods cannot reach`, 'use a profile whose baseUrl the cluster can reach, or run here with --instances');
  }
  const executor = plan.distribution?.executor ?? 'k8s';
  if (plan.chaos && executor === 'k6-operator') throw new UsageError('--executor k6-operator: the run injects faults (chaos), which loadctl applies only to local runs and runner Jobs', 'use --executor k8s, or drop --fault / the profile\'s chaos.faults for this run');
  if (plan.chaos?.provider === 'toxiproxy' && !plan.chaos.toxiproxy?.url) {
    throw new UsageError(`--executor ${executor}: loadctl's own Toxiproxy sits in front of the target on this machine, where runner pods cannot reach it`, 'use chaos.provider kubernetes or chaos-mesh, or name a Toxiproxy the cluster reaches (chaos.toxiproxy url and proxy)');
  }
  if (plan.outputs?.length) throw new UsageError('--executor k8s: extra k6 outputs (outputs:, --k6-out) are not passed to runner pods yet', 'drop them for this run');
  if (dryRun) return undefined;
  const kubectl = await findKubectl(env);
  if (!kubectl) throw new UsageError(`--executor ${executor} needs kubectl on PATH, and none was found`, 'install kubectl and point it at the cluster (KUBECONFIG), or run here with --instances');
  return kubectl;
}

export async function dryRunManifests(plan: Plan, scenarioFile: string, cwd: string, k: K8sOptions, now: Date): Promise<string> {
  const script = plan.scenario.kind === 'scenario' ? (await bundleScenario(scenarioFile, plan.scenario.name, cwd, join(projectRoot(cwd), '.cache', 'bundles'))).file : scenarioFile;
  const runId = makeRunId(now, plan.scenario.name, plan.target.name);
  if (plan.distribution?.executor === 'k6-operator') return manifestList(await manifestsFor(plan, script, runId, k));
  return jobList(await jobManifestsFor(plan, script, runId, k));
}
