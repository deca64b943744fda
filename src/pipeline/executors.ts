// Which executor runs a plan: the pipeline's one entry to them (each loaded on first use).
import type { Plan } from '../plan/types.js';
import type { Executor } from './executor.js';

export async function executorFor(plan: Plan): Promise<Executor> {
  const where = plan.distribution?.executor;
  if (where === 'k8s') return (await import('../executors/k8s/executor.js')).k8sJobsExecutor;
  if (where === 'k6-operator') return (await import('../executors/k8s/executor.js')).k6OperatorExecutor;
  return (await import('../executors/local.js')).localExecutor;
}
