// `loadctl run --executor k8s` through a fake kubectl on PATH (test/helpers/fake-kubectl-k6.mjs)
// that plays k6-operator: the manifests checked against the fields of k6-operator's published
// TestRun CRD (test/fixtures/k6-operator/testrun-crd.json), the exact kubectl argv, the runners'
// recorded output (the streams of a real local `--instances 2` run, test/fixtures/instances)
// merged into the same result the local run gave, deletion at the end and on Ctrl-C, and the
// settings refused with exit 2. Build first (`npm run build`).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { k8sManifests, RUNNER_IMAGE, runnerArguments, runnerIndex } from '../src/executors/k8s/manifests.js';
import { kubectlArgs } from '../src/executors/k8s/kubectl-args.js';
import { classifyRunnerLine, parseExitCodes } from '../src/executors/k8s/runner-logs.js';
import { runnerMajor } from '../src/executors/k8s/run.js';
import { k6Invocation } from '../src/k6/args.js';
import { segmentsFor } from '../src/plan/segments.js';
import type { Plan } from '../src/plan/types.js';
import type { RunResult } from '../src/results/types.js';
import { cliPath, realK6, repoRoot, runCli, tempProject } from './helpers/cli.js';

const fixtures = join(repoRoot, 'test', 'fixtures');
const crd = JSON.parse(readFileSync(join(fixtures, 'k6-operator', 'testrun-crd.json'), 'utf8')) as { group: string; version: string; kind: string; spec: Schema };
const local = JSON.parse(readFileSync(join(fixtures, 'instances-json', 'local-result.json'), 'utf8')) as RunResult;

interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  additionalProperties?: Schema | boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

/** What the API server would refuse or silently prune: wrong types, missing required fields, unknown fields, values off the enum. */
function schemaProblems(s: Schema, v: unknown, path: string): string[] {
  const out: string[] = [];
  const t = s.type;
  const isType = t === undefined || s['x-kubernetes-int-or-string'] ||
    (t === 'object' && typeof v === 'object' && v !== null && !Array.isArray(v)) || (t === 'array' && Array.isArray(v)) ||
    (t === 'string' && typeof v === 'string') || (t === 'integer' && Number.isInteger(v)) || (t === 'boolean' && typeof v === 'boolean') || (t === 'number' && typeof v === 'number');
  if (!isType) return [`${path}: expected ${t}, got ${JSON.stringify(v)}`];
  if (s.enum && !s.enum.includes(v)) out.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
  if (Array.isArray(v) && s.items) v.forEach((x, i) => out.push(...schemaProblems(s.items!, x, `${path}[${i}]`)));
  if (t === 'object' && typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) out.push(`${path}.${r}: required`);
    for (const [k, x] of Object.entries(o)) {
      const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (sub) out.push(...schemaProblems(sub, x, `${path}.${k}`));
      else if (s.properties) out.push(`${path}.${k}: not in the CRD (the API server would prune it)`);
    }
  }
  return out;
}

const plan = {
  planVersion: 1,
  scenario: { name: 'sustained', file: 'scenarios/sustained.ts', kind: 'scenario', summary: 's' },
  target: { name: 'remote', profileFile: 'profiles/remote.yaml', baseUrl: 'http://shop.internal:8080', managed: 'none' },
  shape: null,
  k6Scenarios: null,
  phases: [],
  durationMs: 4000,
  workload: {},
  envRefs: ['SHOP_TOKEN'],
  sla: {},
  safety: {},
  baseline: {},
  overrides: {},
  k6: {},
  bucketMs: 1000,
  metricTags: ['name', 'status'],
  distribution: { executor: 'k8s', instances: 3 },
} as unknown as Plan;

describe('k6-operator manifests', () => {
  const inv = k6Invocation({ plan, script: '/test/script.js', samplesPath: '/dev/stdout', format: 'json', runId: 'r-1', k6Major: runnerMajor(undefined), keepRestApi: true });
  const m = k8sManifests({ plan, runId: 'r-1', script: 'export default function () {}', invocation: inv, parallelism: 3, namespace: 'load' }, '/test/script.js');

  it('the TestRun has what the CRD requires and nothing it would prune', () => {
    expect(m.testRun.apiVersion).toBe(`${crd.group}/${crd.version}`);
    expect(m.testRun.kind).toBe(crd.kind);
    expect(crd.spec.required).toEqual(['parallelism', 'script']);
    expect(schemaProblems(crd.spec, m.testRun.spec, 'spec')).toEqual([]);
    // The checker itself refuses what the API server would.
    expect(schemaProblems(crd.spec, { parallelism: '3', script: {}, cleanp: 'post' }, 'spec')).toEqual(['spec.parallelism: expected integer, got "3"', 'spec.cleanp: not in the CRD (the API server would prune it)']);
    expect(schemaProblems(crd.spec, { script: { configMap: { file: 'x' } } }, 'spec')).toEqual(['spec.parallelism: required', 'spec.script.configMap.name: required']);
  });

  it('runners: the pinned image, the script and plan from the ConfigMap, secrets by name, k6 thresholds off, the stream on stdout', () => {
    const spec = m.testRun.spec as { parallelism: number; script: unknown; arguments: string; paused: string; runner: { image: string; env: { name: string; value?: string; valueFrom?: unknown }[] } };
    expect(m.name).toMatch(/^loadctl-[0-9a-f]{10}$/);
    expect(m.testRun.metadata).toMatchObject({ name: m.name, namespace: 'load', labels: { 'app.kubernetes.io/managed-by': 'loadctl', 'loadctl.dev/run': 'r-1' } });
    expect(spec.parallelism).toBe(3);
    expect(spec.script).toEqual({ configMap: { name: m.name, file: 'script.js' } });
    expect(spec.paused).toBe('true');
    expect(spec.runner.image).toBe(RUNNER_IMAGE);
    expect(RUNNER_IMAGE).toBe('grafana/k6:1.1.0'); // the stock image of the k6 this repo tests with, never :latest
    expect(spec.arguments).toBe('--quiet --no-color --no-summary --no-usage-report --out json=/dev/stdout --no-thresholds --tag testid=r-1');
    const env = Object.fromEntries(spec.runner.env.map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual({
      GOGC: '200',
      BASE_URL: 'http://shop.internal:8080',
      K6_NO_USAGE_REPORT: 'true',
      NO_COLOR: '1',
      LOADCTL_PLAN: { configMapKeyRef: { name: m.name, key: 'plan.json' } },
      SHOP_TOKEN: { secretKeyRef: { name: 'loadctl-env', key: 'SHOP_TOKEN' } },
    });
    const data = m.configMap.data as Record<string, string>;
    expect(m.configMap).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: m.name, namespace: 'load' } });
    expect(data['script.js']).toBe('export default function () {}');
    expect(JSON.parse(data['plan.json']!)).toEqual(plan);
  });

  it('segments as k6-operator gives its runners (runner i of N: (i-1)/N:i/N); runner pods by name', () => {
    expect(segmentsFor(3).map((s) => s.segment)).toEqual(['0:1/3', '1/3:2/3', '2/3:1']);
    expect(runnerIndex('loadctl-abc', 'pod/loadctl-abc-2-x7k2p')).toBe(2);
    expect(runnerIndex('loadctl-abc', 'loadctl-abc-starter-x7k2p')).toBeUndefined();
    expect(() => runnerArguments({ ...inv, args: ['run', '--tag', 'a b'] }, 'x')).toThrow(/space/);
  });

  it('kubectl argv, exactly', () => {
    const t = { context: 'kind-dev', namespace: 'load' };
    expect(kubectlArgs.apply(t)).toEqual(['--context', 'kind-dev', '--namespace', 'load', 'apply', '-f', '-']);
    expect(kubectlArgs.stage({}, 'n')).toEqual(['get', 'testrun/n', '-o', 'jsonpath={.status.stage}']);
    expect(kubectlArgs.runnerPods({}, 'n')).toEqual(['get', 'pods', '-l', 'k6_cr=n,runner=true', '-o', 'name']);
    expect(kubectlArgs.logs({ namespace: 'load' }, 'n-1-abc')).toEqual(['--namespace', 'load', 'logs', '--follow', 'n-1-abc']);
    expect(kubectlArgs.delete({}, 'n')).toEqual(['delete', 'testrun/n', 'configmap/n', '--ignore-not-found', '--wait=false']);
  });

  it('runner logs: the stream told from k6\'s lines; exit codes by pod', () => {
    expect(classifyRunnerLine('{"v":2,"slots":[]}\r')).toEqual({ kind: 'stream', line: '{"v":2,"slots":[]}' });
    expect(classifyRunnerLine('{"type":"Metric","data":{"name":"vus"},"metric":"vus"}')).toMatchObject({ kind: 'stream' });
    expect(classifyRunnerLine('{"metric":"vus","type":"Point","data":{}}')).toMatchObject({ kind: 'stream' });
    expect(runnerMajor('grafana/k6:2.2.0')).toBe(2);
    expect(runnerMajor('registry.example:5000/k6:v1.3.0-slim')).toBe(1);
    expect(runnerMajor('grafana/k6:latest')).toBe(1);
    expect(classifyRunnerLine('time="x" level=info msg="y"').kind).toBe('k6');
    expect(parseExitCodes('n-1-a 0\nn-2-b 107\nn-3-c \n')).toEqual(new Map([['n-1-a', 0], ['n-2-b', 107], ['n-3-c', null]]));
  });
});

function fakeCluster(): { bin: string; calls: () => { argv: string[]; stdin: string }[]; dir: string } {
  const dir = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'test', 'helpers', 'fake-kubectl-k6.mjs')}" "$@"\n`);
  chmodSync(join(bin, 'kubectl'), 0o755);
  const calls = () => (existsSync(join(dir, 'calls.jsonl')) ? readFileSync(join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; stdin: string }) : []);
  return { bin, calls, dir };
}

const REMOTE = 'baseUrl: http://127.0.0.1:9\nworkload:\n  requests:\n    - { name: read-item, path: /items/42 }\nsla: { p95: 300, errorRate: 0.01 }\n';
const ARGS = ['run', 'sustained', '-t', 'remote', '--vus', '4', '-d', '4s', '--executor', 'k6-operator', '--parallelism', '2', '--namespace', 'load', '--context', 'kind-dev', '--report', 'json', '--progress', 'none'];

describe('loadctl run --executor k6-operator (fake kubectl)', () => {
  it('applies, follows, merges the runners\' streams into the local run\'s result, judges once and deletes', async () => {
    const k = fakeCluster();
    const project = tempProject({ 'profiles/remote.yaml': REMOTE });
    const env = { PATH: `${k.bin}:/usr/bin:/bin`, FAKE_KUBECTL_DIR: k.dir, FAKE_K6_STREAMS: join(fixtures, 'instances-json'), LOADCTL_K8S_POLL_MS: '20' };
    const r = await runCli([...ARGS, '--out', 'out'], { cwd: project, env, timeoutMs: 120_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/^PASS/gm)).toHaveLength(1);
    expect(r.stderr).toContain('[runner 1/2] time="2026-01-01T00:00:00Z" level=info msg="runner 1 waiting to be resumed"');

    const result = JSON.parse(readFileSync(join(project, 'out', 'result.json'), 'utf8')) as RunResult;
    expect(result.metrics).toEqual(local.metrics);
    expect(result.series).toEqual(local.series);
    expect(result.histograms).toEqual(local.histograms);
    expect(result.samples).toEqual(local.samples);
    expect(result.instances!.map((i) => [i.segment, i.requests, i.exitCode])).toEqual(local.instances!.map((i) => [i.segment, i.requests, 0]));

    const calls = k.calls();
    const name = (JSON.parse(calls[0]!.stdin) as { items: { metadata: { name: string } }[] }).items[0]!.metadata.name;
    const ctx = ['--context', 'kind-dev', '--namespace', 'load'];
    const argvs = calls.map((c) => c.argv);
    expect(argvs[0]).toEqual([...ctx, 'apply', '-f', '-']);
    const stage = [...ctx, 'get', `testrun/${name}`, '-o', 'jsonpath={.status.stage}'];
    const pods = [...ctx, 'get', 'pods', '-l', `k6_cr=${name},runner=true`, '-o', 'name'];
    // The logs are followed from the stage `started` (the second read) until the runners end.
    expect(argvs.filter((a) => JSON.stringify(a) === JSON.stringify(stage))).toHaveLength(3);
    expect(argvs[1]).toEqual(stage);
    expect(argvs[2]).toEqual(stage);
    expect(argvs[3]).toEqual(pods);
    expect(argvs.filter((a) => a.includes('logs')).sort()).toEqual([[...ctx, 'logs', '--follow', `${name}-1-x0z`], [...ctx, 'logs', '--follow', `${name}-2-x1z`]]);
    expect(argvs[7]).toEqual(kubectlArgs.exitCodes({ context: 'kind-dev', namespace: 'load' }, name));
    expect(argvs[8]).toEqual([...ctx, 'delete', `testrun/${name}`, `configmap/${name}`, '--ignore-not-found', '--wait=false']);
    expect(argvs).toHaveLength(9);
    const items = (JSON.parse(calls[0]!.stdin) as { items: { kind: string; spec?: unknown; data?: Record<string, string> }[] }).items;
    expect(items.map((i) => i.kind)).toEqual(['ConfigMap', 'TestRun']);
    expect(schemaProblems(crd.spec, items[1]!.spec, 'spec')).toEqual([]);
    expect(items[0]!.data!['script.js']).toContain('k6/http'); // the bundled scenario
    expect(JSON.parse(items[0]!.data!['plan.json']!)).toMatchObject({ distribution: { executor: 'k6-operator', instances: 2 }, target: { baseUrl: 'http://127.0.0.1:9' } });
  }, 180_000);

  it('Ctrl-C deletes the TestRun and ConfigMap and exits 130', async () => {
    const k = fakeCluster();
    const project = tempProject({ 'profiles/remote.yaml': REMOTE });
    const run = execa(process.execPath, [cliPath, ...ARGS, '--out', 'out'], {
      cwd: project,
      env: { NO_COLOR: '1', LOADCTL_K6: realK6, PATH: `${k.bin}:/usr/bin:/bin`, FAKE_KUBECTL_DIR: k.dir, FAKE_K6_HANG: '1', FAKE_K6_STAGES: 'started', LOADCTL_K8S_POLL_MS: '20' },
      reject: false,
      timeout: 120_000,
    });
    // Await both runners' logs being followed.
    for (;;) {
      if (k.calls().filter((c) => c.argv.includes('logs')).length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    run.kill('SIGINT');
    const r = await run;
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(r.stdout).toContain('INTERRUPTED');
    expect(k.calls().filter((c) => c.argv.includes('delete'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(k.dir, 'state.json'), 'utf8')).objects).toEqual({});
  }, 180_000);

  it('--dry-run prints the manifests and calls no kubectl', async () => {
    const k = fakeCluster();
    const project = tempProject({ 'profiles/remote.yaml': REMOTE });
    const r = await runCli([...ARGS, '--dry-run'], { cwd: project, env: { PATH: `${k.bin}:/usr/bin:/bin`, FAKE_KUBECTL_DIR: k.dir } });
    expect(r.exitCode, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: { kind: string; spec?: { parallelism: number } }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.kind)).toEqual(['ConfigMap', 'TestRun']);
    expect(list.items[1]!.spec!.parallelism).toBe(2);
    expect(k.calls()).toEqual([]);
  }, 60_000);

  it('--executor k8s --dry-run prints the ConfigMap and one Job per runner, and calls no kubectl', async () => {
    const k = fakeCluster();
    const project = tempProject({ 'profiles/remote.yaml': REMOTE });
    const args = ARGS.map((a) => (a === 'k6-operator' ? 'k8s' : a));
    const r = await runCli([...args, '--dry-run'], { cwd: project, env: { PATH: `${k.bin}:/usr/bin:/bin`, FAKE_KUBECTL_DIR: k.dir } });
    expect(r.exitCode, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { items: { kind: string; metadata: { name: string; namespace?: string }; spec?: { template: { spec: { containers: { args: string[] }[] } } } }[] };
    expect(list.items.map((i) => i.kind)).toEqual(['ConfigMap', 'Job', 'Job']);
    expect(list.items.every((i) => i.metadata.namespace === 'load')).toBe(true);
    const segments = list.items.slice(1).map((j) => { const a = j.spec!.template.spec.containers[0]!.args; return a[a.indexOf('--execution-segment') + 1]; });
    expect(segments).toEqual(['0:1/2', '1/2:1']);
    expect(k.calls()).toEqual([]);
  }, 60_000);

  it('bad settings exit 2 naming the flag: no kubectl, a local demo target, --instances with k8s, parallelism over the VUs', async () => {
    const project = tempProject({ 'profiles/remote.yaml': REMOTE });
    const noKubectl = await runCli(ARGS, { cwd: project, env: { PATH: '/nonexistent' } });
    expect(noKubectl.exitCode).toBe(2);
    expect(noKubectl.stderr).toMatch(/--executor k6-operator needs kubectl on PATH/);
    const demo = await runCli(['run', 'sustained', '-t', 'local', '--executor', 'k8s', '--parallelism', '2'], { cwd: project });
    expect(demo.exitCode).toBe(2);
    expect(demo.stderr).toMatch(/--executor k8s: .*local\.yaml has loadctl start its target/);
    const mixed = await runCli(['run', 'sustained', '-t', 'remote', '--executor', 'k8s', '--instances', '2'], { cwd: project });
    expect(mixed.exitCode).toBe(2);
    expect(mixed.stderr).toMatch(/--instances is for local runs/);
    const many = await runCli(['run', 'sustained', '-t', 'remote', '--vus', '2', '--executor', 'k8s', '--parallelism', '3'], { cwd: project });
    expect(many.exitCode).toBe(2);
    expect(many.stderr).toMatch(/--parallelism 3: more instances than the 2 VUs/);
    const where = await runCli(['run', 'sustained', '-t', 'remote', '--executor', 'cloud'], { cwd: project });
    expect(where.exitCode).toBe(2);
    expect(where.stderr).toMatch(/--executor cloud: expected local, k8s or k6-operator/);
  }, 60_000);
});
