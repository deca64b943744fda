// Chaos Mesh: the manifests meet what the published CRDs require (facts in
// test/fixtures/chaos-mesh-crd-required.json), and the provider drives kubectl with the exact argv
// — through a fake kubectl on PATH that records its calls and answers like the real one.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChaosMeshProvider } from '../src/chaos/chaos-mesh.js';
import { chaosManifest, type ChaosManifest } from '../src/chaos/chaos-mesh-manifest.js';
import { KINDS } from '../src/chaos/kinds.js';
import { FAULT_KINDS, type ChaosMeshSettings, type FaultKind, type FaultParams, type PlannedFault } from '../src/chaos/types.js';
import { RuntimeError } from '../src/util/errors.js';
import { repoRoot, tempProject } from './helpers/cli.js';

interface KindFacts {
  required: Record<string, string[]>;
  requiredWhen?: Record<string, Record<string, string>>;
  enums: Record<string, string[]>;
  patterns: Record<string, string>;
  types: Record<string, string>;
}
const crd = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/chaos-mesh-crd-required.json'), 'utf8')) as { apiVersion: string; kinds: Record<string, KindFacts> };

const settings: ChaosMeshSettings = { context: 'kind-dev', namespace: 'shop', selector: { labelSelectors: { app: 'api' } } };
const PARAMS: Record<FaultKind, FaultParams> = {
  latency: { latencyMs: 800, jitterMs: 100 },
  'network-delay': { latencyMs: 200, direction: 'both' },
  bandwidth: { rateKBps: 64 },
  'network-loss': { lossPercent: 20, direction: 'to' },
  'network-partition': { direction: 'to' },
  down: {},
  'pod-kill': {},
  'cpu-stress': { workers: 2, loadPercent: 80 },
  'memory-stress': { workers: 1, size: '256MB' },
  reset: { timeoutMs: 0 },
  timeout: { timeoutMs: 0 },
  scale: { replicas: 0 },
};
const fault = (kind: FaultKind): PlannedFault => ({ id: `f1-${kind}`, kind, params: PARAMS[kind], at: 'fault', startMs: 40_000, endMs: 60_000, source: 'test' });

const get = (obj: unknown, path: string): unknown => (path === '' ? obj : path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj));
const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

describe('Chaos Mesh manifests against the published CRDs', () => {
  const kinds = FAULT_KINDS.filter((k) => KINDS[k].providers.includes('chaos-mesh'));

  it.each(kinds)('%s: required fields, enums, patterns and types hold', (kind) => {
    const m = chaosManifest(fault(kind), settings, 'ab12cd34') as ChaosManifest;
    expect(m.apiVersion).toBe(crd.apiVersion);
    const facts = crd.kinds[m.kind]!;
    expect(facts, m.kind).toBeDefined();
    for (const [parent, fields] of Object.entries(facts.required)) {
      const node = get(m, parent);
      if (node === undefined) continue; // an optional block loadctl does not write
      for (const field of fields) expect(get(node, field), `${m.kind} ${parent}.${field}`).toBeDefined();
    }
    for (const [field, when] of Object.entries(facts.requiredWhen ?? {})) {
      const [cond, value] = Object.entries(when)[0]!;
      if (get(m, cond) === value) expect(get(m, field), `${field} when ${cond}=${value}`).toBeDefined();
    }
    for (const [field, values] of Object.entries(facts.enums)) {
      const v = get(m, field);
      if (v !== undefined) expect(values, `${field}=${String(v)}`).toContain(v);
    }
    for (const [field, pattern] of Object.entries(facts.patterns)) {
      const v = get(m, field);
      if (v !== undefined) expect(String(v)).toMatch(new RegExp(pattern));
    }
    for (const [field, type] of Object.entries(facts.types)) {
      const v = get(m, field);
      if (v !== undefined) expect(typeOf(v), field).toBe(type);
    }
    expect(m.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(m.metadata.name.length).toBeLessThanOrEqual(63);
    expect(m.metadata.namespace).toBe('shop');
  });

  it('selects the profile pods, and lets Chaos Mesh end a fault itself should loadctl die', () => {
    const m = chaosManifest(fault('latency'), { ...settings, mode: 'fixed', value: '1' }, 'ab12cd34')!;
    expect(m.kind).toBe('NetworkChaos');
    expect(m.spec).toMatchObject({ action: 'delay', mode: 'fixed', value: '1', selector: { namespaces: ['shop'], labelSelectors: { app: 'api' } }, delay: { latency: '800ms', jitter: '100ms' }, duration: '20s' });
    expect(chaosManifest(fault('down'), settings, 'x')!.spec).toMatchObject({ action: 'pod-failure', duration: '20s' });
    expect(chaosManifest(fault('pod-kill'), settings, 'x')!.spec).not.toHaveProperty('duration');
    expect(chaosManifest(fault('memory-stress'), settings, 'x')!.spec).toMatchObject({ stressors: { memory: { workers: 1, size: '256MB' } } });
    expect(chaosManifest(fault('reset'), settings, 'x')).toBeNull();
  });
});

function fakeKubectl(env: Record<string, string> = {}) {
  const dir = tempProject({}, { scenarios: false, localProfile: false });
  const bin = join(dir, 'kubectl');
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'test/helpers/fake-kubectl.mjs')}" "$@"\n`);
  chmodSync(bin, 0o755);
  const calls = () =>
    readFileSync(join(dir, 'calls.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[]; stdin: string });
  return { env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}`, FAKE_KUBECTL_DIR: dir, ...env }, calls };
}

describe('Chaos Mesh provider through kubectl', () => {
  it('applies, waits for AllInjected, reports status and deletes, with the exact argv', async () => {
    const k = fakeKubectl({ FAKE_KUBECTL_INJECT_AFTER: '3' });
    const p = new ChaosMeshProvider({ name: 'chaos-mesh', settings, runId: 'ab12cd34' }, { env: k.env, pollMs: 10 });
    const f = fault('network-loss');
    const ref = 'networkchaos.chaos-mesh.org/loadctl-ab12cd34-f1-network-loss';
    const base = ['--context', 'kind-dev', '--namespace', 'shop'];
    await p.inject(f);
    expect(await p.status(f)).toBe('active');
    await p.revert(f);
    expect(await p.status(f)).toBe('inactive');
    await p.revert(f); // idempotent: already gone
    const get = [...base, 'get', ref, '-o', 'json'];
    const del = [...base, 'delete', ref, '--ignore-not-found', '--wait=true', '--timeout=60s'];
    expect(k.calls().map((c) => c.argv)).toEqual([[...base, 'apply', '-f', '-'], get, get, get, get, del, get, del]);
    const applied = JSON.parse(k.calls()[0]!.stdin) as ChaosManifest;
    expect(applied).toEqual(chaosManifest(f, settings, 'ab12cd34'));
  });

  it('without a context uses kubectl’s current one; a fault never injected times out with a hint', async () => {
    const k = fakeKubectl({ FAKE_KUBECTL_INJECT_AFTER: 'never' });
    const p = new ChaosMeshProvider({ name: 'chaos-mesh', settings: { namespace: 'shop', selector: settings.selector, injectTimeoutMs: 200 }, runId: 'r' }, { env: k.env, pollMs: 20 });
    const e = await p.inject(fault('pod-kill')).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/did not report podchaos\.chaos-mesh\.org\/loadctl-r-f1-pod-kill injected within 0\.2 s/);
    expect(k.calls()[0]!.argv).toEqual(['--namespace', 'shop', 'apply', '-f', '-']);
  });

  it('a kubectl error (unknown context) is a RuntimeError carrying kubectl’s words', async () => {
    const k = fakeKubectl();
    const p = new ChaosMeshProvider({ name: 'chaos-mesh', settings: { ...settings, context: 'prod' }, runId: 'r' }, { env: k.env });
    const e = await p.inject(fault('cpu-stress')).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe('kubectl apply failed (exit 1): error: context "prod" does not exist');
  });
});
