// The pure parts of `--executor k8s` (stock k6 runner Jobs, no operator): the Jobs and ConfigMap,
// the log cursor that picks a broken-off log up again without losing or repeating a line, and the
// reading of the runner pods' state. The run itself on a real cluster: test/k8s-cluster/*.test.ts.
import { describe, expect, it } from 'vitest';
import { jobManifests, jobName, JOB_SCRIPT_PATH } from '../src/executors/k8s/job-manifests.js';
import { LogCursor } from '../src/executors/k8s/log-cursor.js';
import { runnerPods, exitCodeOf } from '../src/executors/k8s/runner-pods.js';
import { k6Invocation } from '../src/k6/args.js';
import { segmentsFor } from '../src/plan/segments.js';
import type { Plan } from '../src/plan/types.js';

const plan = {
  planVersion: 1,
  scenario: { name: 'sustained', file: 'scenarios/sustained.ts', kind: 'scenario', summary: 's' },
  target: { name: 'remote', baseUrl: 'http://198.19.0.10', managed: 'none' },
  durationMs: 20_000,
  envRefs: ['SHOP_TOKEN'],
  outputs: [],
  overrides: {},
  k6: {},
  bucketMs: 1000,
  metricTags: ['name', 'status'],
  distribution: { executor: 'k8s', instances: 2 },
} as unknown as Plan;

type Container = { image: string; args: string[]; env: { name: string; value?: string; valueFrom?: unknown }[]; ports: unknown[] };
type JobSpec = { backoffLimit: number; activeDeadlineSeconds: number; ttlSecondsAfterFinished: number; template: { metadata: { labels: Record<string, string> }; spec: { restartPolicy: string; containers: Container[]; volumes: unknown[] } } };

describe('runner Jobs', () => {
  const segments = segmentsFor(2);
  const m = jobManifests({
    plan,
    runId: 'r-1',
    script: 'export default function () {}',
    segments,
    namespace: 'load',
    invocation: (seg) => k6Invocation({ plan, script: JOB_SCRIPT_PATH, samplesPath: '/dev/stdout', format: 'json', runId: 'r-1', k6Major: 1, instance: { segment: seg.segment, sequence: seg.sequence, address: '0.0.0.0:6565' } }),
  });

  it('one Job per runner, its segment paused and lingering, never retried, bounded in time', () => {
    expect(m.jobs.map((j) => j.metadata.name)).toEqual([jobName(m.name, 0), jobName(m.name, 1)]);
    for (const [i, job] of m.jobs.entries()) {
      const spec = job.spec as JobSpec;
      expect(spec.backoffLimit).toBe(0);
      expect(spec.activeDeadlineSeconds).toBe(20 + 600);
      expect(spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
      expect(spec.template.spec.restartPolicy).toBe('Never');
      expect(spec.template.metadata.labels).toMatchObject({ 'loadctl.dev/run': m.name, 'loadctl.dev/runner': String(i + 1) });
      const c = spec.template.spec.containers[0]!;
      expect(c.image).toBe('grafana/k6:1.1.0');
      const a = c.args;
      expect(a[0]).toBe('run');
      expect(a.at(-1)).toBe(JOB_SCRIPT_PATH);
      expect(a.at(-2)).toBe('--linger');
      expect(a.slice(a.indexOf('--execution-segment'), a.indexOf('--execution-segment') + 2)).toEqual(['--execution-segment', segments[i]!.segment]);
      expect(a).toContain('--paused');
      expect(a.slice(a.indexOf('--address'), a.indexOf('--address') + 2)).toEqual(['--address', '0.0.0.0:6565']);
      expect(a.slice(a.indexOf('--out'), a.indexOf('--out') + 2)).toEqual(['--out', 'json=/dev/stdout']);
      const env = Object.fromEntries(c.env.map((e) => [e.name, e.value ?? e.valueFrom]));
      expect(env.SHOP_TOKEN).toEqual({ secretKeyRef: { name: 'loadctl-env', key: 'SHOP_TOKEN' } });
      expect(env.LOADCTL_PLAN).toEqual({ configMapKeyRef: { name: m.name, key: 'plan.json' } });
      expect(env.BASE_URL).toBe('http://198.19.0.10');
    }
    expect(m.configMap.data).toMatchObject({ 'script.js': 'export default function () {}' });
  });
});

describe('the log cursor', () => {
  const line = (ts: string, text: string) => `${ts} ${text}`;

  it('passes every line once across a reconnect that replays the last second', () => {
    const c = new LogCursor();
    const first = ['2026-12-02T21:00:00.100Z a', '2026-12-02T21:00:00.5Z b', '2026-12-02T21:00:00.500000000Z c', '2026-12-02T21:00:01.000000001Z d'];
    expect(first.map((l) => c.accept(l))).toEqual(['a', 'b', 'c', 'd']);
    expect(c.reconnect()).toBe('2026-12-02T21:00:01.000000001Z');
    // The API replays from 21:00:01 (its --since-time is whole seconds): d again, then new lines.
    const replay = [line('2026-12-02T21:00:01Z', 'x-before'), line('2026-12-02T21:00:01.000000001Z', 'd'), line('2026-12-02T21:00:01.2Z', 'e')];
    expect(replay.map((l) => c.accept(l))).toEqual([undefined, undefined, 'e']);
    expect(c.skipped).toBe(2);
  });

  it('two lines with the same stamp: a replay skips only as many as were passed', () => {
    const c = new LogCursor();
    expect(c.accept('2026-12-02T21:00:00.1Z a')).toBe('a');
    expect(c.accept('2026-12-02T21:00:00.1Z b')).toBe('b');
    c.reconnect();
    expect(c.accept('2026-12-02T21:00:00.1Z a')).toBeUndefined();
    expect(c.accept('2026-12-02T21:00:00.1Z b')).toBeUndefined();
    expect(c.accept('2026-12-02T21:00:00.1Z c')).toBe('c');
  });

  it('a first connection reads from the start; an unstamped line is passed and counted', () => {
    const c = new LogCursor();
    expect(c.reconnect()).toBeUndefined();
    expect(c.accept('no stamp here')).toBe('no stamp here');
    expect(c.unstamped).toBe(1);
  });
});

describe('runner pods', () => {
  const pod = (runner: string, status: object, metadata: object = {}) => ({ metadata: { name: `p-${runner}`, labels: { 'loadctl.dev/runner': runner }, ...metadata }, status });

  it('running, waiting on its image, deleted, ended', () => {
    const pods = runnerPods(JSON.stringify({
      items: [
        pod('1', { phase: 'Running', containerStatuses: [{ state: { running: {} } }] }),
        pod('2', { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ErrImageNeverPull', message: 'image not present' } } }] }),
        pod('3', { phase: 'Running', containerStatuses: [{ state: { running: {} } }] }, { deletionTimestamp: '2026-12-02T21:00:00Z' }),
        pod('4', { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }),
        pod('5', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/1 nodes: insufficient cpu' }] }),
        { metadata: { name: 'other' }, status: {} },
      ],
    }));
    expect(pods.map((p) => [p.runner, p.running, p.gone ?? null, p.waiting ?? null])).toEqual([
      [1, true, null, null],
      [2, false, 'its k6 container cannot start: ErrImageNeverPull (image not present)', null],
      [3, true, 'the pod was deleted', null],
      [4, false, 'its k6 container ended (exit code 137, OOMKilled)', null],
      [5, false, null, 'not scheduled: 0/1 nodes: insufficient cpu'],
    ]);
    expect(exitCodeOf(pods[3]!.gone)).toBe(137);
    expect(exitCodeOf(pods[2]!.gone)).toBeNull();
  });
});
