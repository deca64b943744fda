// On a real single-node Kubernetes (scripts/k8s-test-cluster.sh): the cluster comes up to a Ready
// node and goes down leaving the host as it was; `--executor k8s` runs stock k6 runner Jobs whose
// merged result agrees with a local `--instances 2` run against the same in-cluster target;
// Ctrl-C and a killed runner pod leave no Job or pod; a `kubernetes` fault's journal survives a
// SIGKILL of loadctl and `loadctl chaos revert` restores the Deployment; the autoscale-and-kill
// example scales the target and times it. Run by `npm run test:k8s` (.ci/k8s); needs root.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/types.js';
import { cliPath, realK6, repoRoot, runCli, tempProject } from '../helpers/cli.js';
import { cluster, clusterScript, kubectl, snapshot } from './cluster.js';

let before = '';
let env: Record<string, string>;

beforeAll(async () => {
  await execa('bash', [clusterScript, 'down'], { stdio: 'inherit' });
  before = snapshot();
  env = await cluster();
}, 1_800_000);

afterAll(async () => {
  await execa('bash', [clusterScript, 'down'], { reject: false, stdio: 'inherit' });
}, 300_000);

const ARGS = ['--report', 'json', '--progress', 'none'];

function runEnv(): Record<string, string> {
  return { ...env, PATH: `${join(repoRoot, '.tools', 'k8s', 'bin')}:${process.env.PATH}`, LOADCTL_K8S_POLL_MS: '500' };
}

function leftovers(): string {
  return kubectl(env, ['get', 'jobs,pods,configmaps', '-A', '-l', 'app.kubernetes.io/managed-by=loadctl', '-o', 'name']).trim();
}

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;

describe('the test cluster', () => {
  it('up reaches a Ready node and prints where the cluster and its target are', () => {
    expect(env.KUBECONFIG).toMatch(/admin\.kubeconfig$/);
    expect(env.LOADCTL_K8S_TARGET).toMatch(/^http:\/\/198\.19\.\d+\.\d+:80$/);
    expect(kubectl(env, ['get', 'nodes', '-o', 'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}'])).toBe('True');
  });
});

describe('--executor k8s on the cluster', () => {
  it('two runner Jobs: requests add up; p50/p95 agree with a local --instances 2 run on the same target', async () => {
    const project = tempProject();
    const k8s = await runCli(['run', 'sustained', '-t', env.LOADCTL_K8S_TARGET!, '--executor', 'k8s', '--parallelism', '2', '--vus', '4', '-d', '20s', '--runner-image', 'loadctl.local/k6:1.1.0', '--out', 'k8s', ...ARGS], { cwd: project, env: runEnv(), timeoutMs: 300_000 });
    expect(k8s.exitCode, k8s.stderr).toBe(0);
    const remote = read(join(project, 'k8s'));
    expect(remote.instances).toHaveLength(2);
    const sum = remote.instances!.reduce((a, i) => a + i.requests, 0);
    expect(sum).toBe(remote.metrics.http.requests);
    expect(remote.instances!.every((i) => i.requests > 0)).toBe(true);
    expect(leftovers()).toBe('');

    const local = await runCli(['run', 'sustained', '-t', env.LOADCTL_K8S_TARGET!, '--instances', '2', '--vus', '4', '-d', '20s', '--out', 'local', ...ARGS], { cwd: project, env: runEnv(), timeoutMs: 300_000 });
    expect(local.exitCode, local.stderr).toBe(0);
    const here = read(join(project, 'local'));
    for (const q of ['p50', 'p95'] as const) {
      const a = remote.metrics.http.latencyMs[q];
      const b = here.metrics.http.latencyMs[q];
      expect(Math.abs(a - b), `${q}: k8s ${a} ms, local ${b} ms`).toBeLessThanOrEqual(Math.max(5, 0.3 * b));
    }
  }, 600_000);

  it('Ctrl-C mid-run exits 130 and leaves no Job or pod', async () => {
    const project = tempProject();
    const child = spawn(process.execPath, [cliPath, 'run', 'sustained', '-t', env.LOADCTL_K8S_TARGET!, '--executor', 'k8s', '--parallelism', '2', '--vus', '2', '-d', '60s', '--runner-image', 'loadctl.local/k6:1.1.0', ...ARGS], { cwd: project, env: { ...process.env, ...runEnv(), NO_COLOR: '1', LOADCTL_K6: realK6 } });
    let stderr = '';
    await new Promise<void>((resolve) => child.stderr.on('data', (d) => {
      stderr += String(d);
      if (stderr.includes('resumed together')) resolve();
    }));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, stderr).toBe(130);
    expect(leftovers()).toBe('');
  }, 300_000);

  it('a runner pod killed mid-run fails the run with a clear error and stops the other runner', async () => {
    const project = tempProject();
    const child = spawn(process.execPath, [cliPath, 'run', 'sustained', '-t', env.LOADCTL_K8S_TARGET!, '--executor', 'k8s', '--parallelism', '2', '--vus', '2', '-d', '60s', '--runner-image', 'loadctl.local/k6:1.1.0', ...ARGS], { cwd: project, env: { ...process.env, ...runEnv(), NO_COLOR: '1', LOADCTL_K6: realK6 } });
    let stderr = '';
    await new Promise<void>((resolve) => child.stderr.on('data', (d) => {
      stderr += String(d);
      if (stderr.includes('resumed together')) resolve();
    }));
    const pod = kubectl(env, ['get', 'pods', '-A', '-l', 'loadctl.dev/runner=1', '-o', 'jsonpath={.items[0].metadata.namespace} {.items[0].metadata.name}']).split(' ');
    kubectl(env, ['delete', 'pod', '-n', pod[0]!, pod[1]!, '--wait=false']);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/runner 1 \(pod [^)]+\) ended before its test did: the pod was deleted/);
    expect(leftovers()).toBe('');
  }, 300_000);
});

describe('kubernetes faults', () => {
  it('a scale fault survives a SIGKILL of loadctl in its journal; chaos revert restores the replicas', async () => {
    const ns = env.LOADCTL_K8S_NAMESPACE!;
    const image = kubectl(env, ['-n', ns, 'get', 'deployment/target', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    kubectl(env, ['-n', ns, 'create', 'deployment', 'scale-me', `--image=${image}`, '--replicas=1']);
    const project = tempProject({
      'profiles/cluster.yaml': [
        `baseUrl: ${env.LOADCTL_K8S_TARGET}`,
        'workload: { requests: [{ name: root, path: / }] }',
        `chaos: { provider: kubernetes, kubernetes: { namespace: ${ns}, deployment: scale-me }, faults: [{ kind: scale, replicas: 3, at: 2s, duration: 50s }] }`,
        '',
      ].join('\n'),
    });
    const child = spawn(process.execPath, [cliPath, 'run', 'sustained', '-t', 'cluster', '--vus', '1', '-d', '60s', ...ARGS], { cwd: project, env: { ...process.env, ...runEnv(), NO_COLOR: '1', LOADCTL_K6: realK6 } });
    let stderr = '';
    await new Promise<void>((resolve) => child.stderr.on('data', (d) => {
      stderr += String(d);
      if (/f1-scale .* injected/.test(stderr)) resolve();
    }));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(kubectl(env, ['-n', ns, 'get', 'deployment/scale-me', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    const run = readdirSync(join(project, 'reports')).find((d) => d.includes('sustained'))!;
    const journal = JSON.parse(readFileSync(join(project, 'reports', run, 'chaos-journal.json'), 'utf8')) as { provider: { name: string }; active: { id: string }[] };
    expect(journal.provider.name).toBe('kubernetes');
    expect(journal.active.map((f) => f.id)).toEqual(['f1-scale']);
    const revert = await runCli(['chaos', 'revert', '--run', join('reports', run)], { cwd: project, env: runEnv() });
    expect(revert.exitCode, revert.stderr).toBe(0);
    expect(kubectl(env, ['-n', ns, 'get', 'deployment/scale-me', '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
    expect(kubectl(env, ['-n', ns, 'get', 'deployment/scale-me', '-o', 'jsonpath={.metadata.annotations}'])).not.toContain('loadctl.dev/replicas-before');
    kubectl(env, ['-n', ns, 'delete', 'deployment', 'scale-me']);
  }, 300_000);
});

describe('the autoscale-and-kill example', () => {
  it('replicas rise under load, the reaction matches the Deployment\'s scaling event, the killed pod\'s recovery is reported', async () => {
    const project = tempProject();
    const r = await execa('bash', [join(repoRoot, 'examples', 'k8s', 'autoscale-and-kill.sh')], { cwd: project, env: { ...process.env, ...runEnv(), NO_COLOR: '1', LOADCTL_K6: realK6 }, reject: false, timeout: 600_000 });
    expect([0, 1], r.stderr).toContain(r.exitCode);
    const resultFile = r.stdout.trim().split('\n').at(-1)!;
    const result = JSON.parse(readFileSync(join(project, resultFile), 'utf8')) as RunResult;
    expect(result.status).toBe(r.exitCode === 0 ? 'pass' : 'fail');
    const risen = result.scaling!.reactions!.filter((x) => x.risenAtMs !== null);
    expect(risen.length, JSON.stringify(result.scaling!.reactions)).toBeGreaterThan(0);
    const first = risen[0]!;
    expect(first.replicasAfter!).toBeGreaterThan(first.replicasBefore!);
    // The Deployment's own record of it: the ScalingReplicaSet event (second resolution).
    const events = JSON.parse(kubectl(env, ['-n', env.LOADCTL_K8S_NAMESPACE!, 'get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=target,reason=ScalingReplicaSet', '-o', 'json'])) as { items: { message: string; lastTimestamp?: string; eventTime?: string }[] };
    const up = events.items
      .filter((e) => new RegExp(`Scaled up replica set \\S+ from ${first.replicasBefore} to ${first.replicasAfter}`).test(e.message))
      .map((e) => Date.parse(e.lastTimestamp ?? e.eventTime!))
      .sort((a, b) => Math.abs(a - first.risenAtMs!) - Math.abs(b - first.risenAtMs!));
    expect(up.length, JSON.stringify(events.items.map((e) => e.message))).toBeGreaterThan(0);
    expect(Math.abs(first.risenAtMs! - up[0]!), `probe saw the rise at ${first.risenAtMs}, the event says ${up[0]}`).toBeLessThanOrEqual(2000);
    const kill = result.faults!.find((f) => f.kind === 'pod-kill')!;
    expect(kill.status).toBe('reverted');
    expect(kill.pods).toHaveLength(1);
    expect(kill.podsReadyAgainMs).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/replacement Ready after \d+\.\d s/);
    expect(r.stdout).toMatch(/autoscaler reaction: \d+\.\d s/);
  }, 900_000);
});

describe('down', () => {
  it('leaves no process, mount, namespace, link, chain, route or changed sysctl', async () => {
    await execa('bash', [clusterScript, 'down'], { stdio: 'inherit' });
    expect(snapshot()).toBe(before);
  }, 300_000);
});
