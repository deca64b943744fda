// Which executor runs a plan: the pipeline's one entry to them (each loaded on first use).
import type { Plan } from '../plan/types.js';
import type { Executor } from './executor.js';

export async function executorFor(plan: Plan): Promise<Executor> {
  if (plan.distribution?.executor === 'k8s') return (await import('../executors/k8s/executor.js')).k8sExecutor;
  return (await import('../executors/local.js')).localExecutor;
}
