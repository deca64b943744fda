// The test cluster from the tests' side: bring it up (its printed KUBECONFIG=… lines become the
// environment loadctl and kubectl run with), kubectl against it, and the host snapshot compared
// before `up` and after `down`.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../helpers/cli.js';

export const clusterScript = join(repoRoot, 'scripts', 'k8s-test-cluster.sh');
const kubectlBin = join(repoRoot, '.tools', 'k8s', 'bin', 'kubectl');

export async function cluster(): Promise<Record<string, string>> {
  const r = await execa('bash', [clusterScript, 'up'], { stderr: 'inherit' });
  const env: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  if (!env.KUBECONFIG || !env.LOADCTL_K8S_TARGET) throw new Error(`k8s-test-cluster.sh up printed no KUBECONFIG/LOADCTL_K8S_TARGET:\n${r.stdout}`);
  return env;
}

export function kubectl(env: Record<string, string>, args: string[]): string {
  return execFileSync(kubectlBin, args, { env: { ...process.env, KUBECONFIG: env.KUBECONFIG }, encoding: 'utf8' }).trim();
}

export function snapshot(): string {
  return execFileSync('bash', [join(repoRoot, 'scripts', 'k8s', 'host-snapshot.sh')], { encoding: 'utf8' });
}
