// The fault model: `--fault` syntax, the profile's chaos block (schema and semantic checks) and the
// timeline in the plan, with errors that name the file and field or the flag.
import { describe, expect, it } from 'vitest';
import { parseFaultFlag } from '../src/chaos/fault-flag.js';
import { KINDS } from '../src/chaos/kinds.js';
import { planChaos } from '../src/chaos/timeline.js';
import { toxiproxyAction } from '../src/chaos/toxiproxy.js';
import { canChaosMesh } from '../src/chaos/chaos-mesh-manifest.js';
import { FAULT_KINDS } from '../src/chaos/types.js';
import type { ChaosProfile, LoadedProfile } from '../src/config/types.js';
import { validateProfile } from '../src/config/validate.js';
import { ConfigError, UsageError } from '../src/util/errors.js';
import { buildPlan } from '../src/plan/plan.js';
import type { ShapeSpec } from '../src/plan/types.js';

const chaosShape: ShapeSpec = {
  summary: 'chaos',
  model: 'arrival',
  params: { rate: 10 },
  stages: (p) => [
    { phase: 'warm-up', duration: '10s', target: p.rate! },
    { phase: 'baseline', duration: '30s', target: p.rate! },
    { phase: 'fault', duration: '20s', target: p.rate! },
    { phase: 'recovery', duration: '30s', target: p.rate! },
  ],
};

function loaded(chaos?: ChaosProfile): LoadedProfile {
  return { name: 'shop', file: 'profiles/shop.yaml', envRefs: [], profile: { baseUrl: 'http://127.0.0.1:1', workload: { requests: [{ name: 'r', path: '/' }] }, ...(chaos ? { chaos } : {}) } };
}

const plan = (chaos?: ChaosProfile, faults?: string[], spec: ShapeSpec | null = chaosShape) =>
  buildPlan({ scenario: { name: 'chaos', file: 'scenarios/chaos.ts', spec }, profile: loaded(chaos), flags: { faults } });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('--fault syntax', () => {
  it('reads kind, parameters, start and duration', () => {
    expect(parseFaultFlag('latency=800ms@60s+30s')).toEqual({ kind: 'latency', latency: '800ms', at: '60s', duration: '30s' });
    expect(parseFaultFlag('latency=1s,jitter=100ms@fault+20s')).toEqual({ kind: 'latency', latency: '1s', jitter: '100ms', at: 'fault', duration: '20s' });
    expect(parseFaultFlag('down@fault')).toEqual({ kind: 'down', at: 'fault' });
    expect(parseFaultFlag('reset@fault+5s+10s')).toEqual({ kind: 'reset', at: 'fault+5s', duration: '10s' });
    expect(parseFaultFlag('blackhole@10s+5s')).toEqual({ kind: 'timeout', timeout: '0s', at: '10s', duration: '5s' });
    expect(parseFaultFlag('bandwidth=64KB/s@10s+5s')).toMatchObject({ kind: 'bandwidth', rate: 64 });
    expect(parseFaultFlag('network-loss=20%,direction=both@fault')).toMatchObject({ kind: 'network-loss', loss: 20, direction: 'both' });
    expect(parseFaultFlag('cpu-stress=2,load=80@fault')).toMatchObject({ kind: 'cpu-stress', workers: 2, load: 80 });
    expect(parseFaultFlag('memory-stress=256MB@fault')).toMatchObject({ kind: 'memory-stress', size: '256MB' });
  });

  it.each([
    ['latency=800ms', /no "@"/],
    ['lag=1s@10s+5s', /unknown fault kind "lag"/],
    ['latency=fast@10s+5s', /latency=fast is not a duration/],
    ['down=1@10s+5s', /down takes no value/],
    ['latency=1s,rate=5@10s+5s', /latency has no parameter "rate"/],
    ['latency=1s@60s', /gives a start but no duration/],
    ['latency=1s@60s+soon', /"soon" is not a duration/],
    ['network-loss=120@fault', /over 100%/],
  ])('refuses %s with a UsageError naming the flag', (text, message) => {
    const e = thrown(() => parseFaultFlag(text));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toContain(`--fault ${text}`);
    expect(e.message).toMatch(message);
    expect((e as UsageError).hint).toBeTruthy();
  });
});

describe('fault timeline in the plan', () => {
  it('places profile faults on the run clock: offsets, phases, phase+offset, phase length by default', () => {
    const p = plan({
      faults: [
        { kind: 'latency', latency: '1s', at: 'fault', duration: '20s' },
        { kind: 'down', at: 'recovery+5s', duration: '3s' },
        { kind: 'reset', at: '15s', duration: '2s' },
        { kind: 'bandwidth', rate: 32, at: 'baseline' },
      ],
    });
    expect(p.chaos?.provider).toBe('toxiproxy');
    expect(p.chaos?.faults.map((f) => [f.id, f.startMs, f.endMs])).toEqual([
      ['f1-latency', 40_000, 60_000],
      ['f2-down', 65_000, 68_000],
      ['f3-reset', 15_000, 17_000],
      ['f4-bandwidth', 10_000, 40_000],
    ]);
    expect(p.chaos?.faults[0]).toMatchObject({ params: { latencyMs: 1000 }, source: 'profiles/shop.yaml: /chaos/faults/0' });
    expect(p.chaos?.faults[2]?.params).toEqual({ timeoutMs: 0 });
  });

  it('--fault replaces the profile faults for one run and keeps the provider settings', () => {
    const p = plan({ provider: 'toxiproxy', toxiproxy: { url: 'http://127.0.0.1:8474', proxy: 'db' }, faults: [{ kind: 'down', at: 'fault' }] }, ['latency=800ms@60s+30s']);
    expect(p.chaos).toMatchObject({ toxiproxy: { proxy: 'db' }, faults: [{ id: 'f1-latency', startMs: 60_000, endMs: 90_000, source: '--fault latency=800ms@60s+30s' }] });
  });

  it('a profile fault limited to some scenarios is injected only in their runs', () => {
    const chaos: ChaosProfile = { faults: [{ kind: 'latency', latency: '1s', at: 'fault', scenarios: ['chaos'] }, { kind: 'down', at: '5s', duration: '1s' }] };
    expect(plan(chaos).chaos?.faults.map((f) => f.id)).toEqual(['f1-latency', 'f2-down']);
    const other = buildPlan({ scenario: { name: 'sustained', file: 'scenarios/sustained.ts', spec: chaosShape }, profile: loaded(chaos), flags: {} });
    expect(other.chaos?.faults.map((f) => [f.id, f.source])).toEqual([['f1-down', 'profiles/shop.yaml: /chaos/faults/1']]);
  });

  it('works for plain scripts with offsets, and is absent when nothing is injected', () => {
    const script = buildPlan({ scenario: { name: 's', file: 's.js', spec: null }, profile: loaded(), flags: { durationMs: 20_000, faults: ['latency=200ms@5s+5s'] } });
    expect(script.chaos?.faults[0]).toMatchObject({ startMs: 5000, endMs: 10_000 });
    expect(plan().chaos).toBeUndefined();
    expect('chaos' in plan()).toBe(false);
  });

  it.each<[ChaosProfile, string, RegExp]>([
    [{ faults: [{ kind: 'latency', latency: '1s', at: 'chaos' }] }, '/chaos/faults/0/at', /neither an offset .* phases are warm-up, baseline, fault, recovery/],
    [{ faults: [{ kind: 'latency', latency: '1s', at: '80s', duration: '20s' }] }, '/chaos/faults/0/duration', /end at 1m40s, after the load ends at 1m30s/],
    [{ faults: [{ kind: 'latency', at: 'fault' }] }, '/chaos/faults/0/latency', /latency needs "latency"/],
    [{ faults: [{ kind: 'down', at: 'fault', latency: '1s' }] }, '/chaos/faults/0/latency', /down has no parameter "latency"/],
    [{ faults: [{ kind: 'down', at: 'fault+25s' }] }, '/chaos/faults/0/at', /after the phase "fault" has ended/],
    [{ faults: [{ kind: 'pod-kill', at: 'fault' }] }, '/chaos/faults/0/kind', /toxiproxy cannot inject "pod-kill"/],
    [{ provider: 'chaos-mesh', faults: [{ kind: 'pod-kill', at: 'fault' }] }, '/chaos/chaosMesh', /needs a chaosMesh block/],
    [{ toxiproxy: { url: 'http://127.0.0.1:8474' }, faults: [{ kind: 'down', at: 'fault' }] }, '/chaos/toxiproxy/proxy', /needs both url and proxy/],
  ])('a bad chaos block is a ConfigError naming the field (%#)', (chaos, pointer, message) => {
    const e = thrown(() => plan(chaos));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain(`profiles/shop.yaml: ${pointer}:`);
    expect(e.message).toMatch(message);
    expect((e as ConfigError).hint).toBeTruthy();
  });

  it('a phase fault on a plain script says the script has no phases; --fault errors name the flag', () => {
    const e = thrown(() => buildPlan({ scenario: { name: 's', file: 's.js', spec: null }, profile: loaded(), flags: { faults: ['down@fault'] } }));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(/^--fault down@fault: .*no phases \(a plain k6 script\)/);
  });
});

describe('profile schema for chaos', () => {
  it('accepts a full chaos block and sla.chaos', () => {
    const p = validateProfile(
      {
        baseUrl: 'http://127.0.0.1:1',
        workload: { requests: [{ name: 'r', path: '/' }] },
        sla: { p95: 300, chaos: { maxRecoverySeconds: 10, maxErrorRateDuringFault: 0.02 } },
        chaos: { provider: 'chaos-mesh', chaosMesh: { context: 'kind', namespace: 'shop', selector: { labelSelectors: { app: 'api' } }, mode: 'one' }, faults: [{ kind: 'pod-kill', at: 'fault' }] },
      },
      'profiles/k8s.yaml',
    );
    expect(p.chaos?.chaosMesh?.namespace).toBe('shop');
  });

  it.each([
    [{ chaos: { faults: [{ kind: 'lag', at: '1s' }] } }, /\/chaos\/faults\/0\/kind/],
    [{ chaos: { faults: [{ kind: 'latency', latency: 'slow', at: '1s' }] } }, /\/chaos\/faults\/0\/latency/],
    [{ chaos: { faults: [{ kind: 'down', at: '1s', durationn: '5s' }] } }, /durationn/],
    [{ sla: { chaos: { maxErrorRateDuringFault: 2 } } }, /\/sla\/chaos\/maxErrorRateDuringFault/],
    [{ chaos: { provider: 'litmus' } }, /\/chaos\/provider/],
  ])('rejects %j naming the field', (extra, message) => {
    const e = thrown(() => validateProfile({ baseUrl: 'http://127.0.0.1:1', workload: {}, ...extra }, 'profiles/x.yaml'));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toMatch(/^profiles\/x\.yaml: /);
    expect(e.message).toMatch(message);
  });
});

describe('kinds and providers agree', () => {
  it('a kind lists a provider exactly when that provider has a case for it', () => {
    for (const kind of FAULT_KINDS) {
      const f = { id: 'f1', kind, params: {}, at: '0s', startMs: 0, endMs: 1000, source: 't' };
      expect(KINDS[kind].providers.includes('toxiproxy'), kind).toBe(toxiproxyAction(f) !== null);
      expect(KINDS[kind].providers.includes('chaos-mesh'), kind).toBe(canChaosMesh(kind));
      expect(KINDS[kind].providers).toContain('command');
    }
  });
});
