// The exact kubectl argv of a k6-operator run. Pure, so tests pin the boundary down.
import type { K8sTarget } from './manifests.js';

function base(t: K8sTarget): string[] {
  return [...(t.context ? ['--context', t.context] : []), ...(t.namespace ? ['--namespace', t.namespace] : [])];
}

export const kubectlArgs = {
  /** Reads the List from stdin. */
  apply: (t: K8sTarget) => [...base(t), 'apply', '-f', '-'],
  /** k6-operator's stage: initialization, initialized, created, started, stopped, finished, error. */
  stage: (t: K8sTarget, name: string) => [...base(t), 'get', `testrun/${name}`, '-o', 'jsonpath={.status.stage}'],
  runnerPods: (t: K8sTarget, name: string) => [...base(t), 'get', 'pods', '-l', `k6_cr=${name},runner=true`, '-o', 'name'],
  /** Follows a runner's log to its container's end. */
  logs: (t: K8sTarget, pod: string) => [...base(t), 'logs', '--follow', pod],
  /** "<pod> <exit code>" per line, once the runners' containers have terminated. */
  exitCodes: (t: K8sTarget, name: string) => [
    ...base(t),
    'get',
    'pods',
    '-l',
    `k6_cr=${name},runner=true`,
    '-o',
    'jsonpath={range .items[*]}{.metadata.name}{" "}{.status.containerStatuses[0].state.terminated.exitCode}{"\\n"}{end}',
  ],
  /** The TestRun's jobs and pods go with it (owner references); --wait=false so Ctrl-C returns at once. */
  delete: (t: K8sTarget, name: string) => [...base(t), 'delete', `testrun/${name}`, `configmap/${name}`, '--ignore-not-found', '--wait=false'],
};
