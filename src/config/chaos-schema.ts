// The JSON Schema of a profile's `chaos:` block and of `sla.chaos`, typed against their types so the
// two cannot drift; config/schema.ts mounts them. Semantic rules (which parameters a kind takes,
// phases that exist, windows inside the run) are checked by chaos/timeline.ts with the plan at hand.
import type { JSONSchemaType } from 'ajv';
import { FAULT_KINDS, PROVIDER_NAMES } from '../chaos/types.js';
import type { ChaosProfile, ChaosSla, FaultSpec } from './types.js';

// "800ms", "1s", "1m30s": the forms plan/duration.ts reads.
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

// Optional blocks: ajv's type for an optional key wants `nullable: true` (removed again on publishing).
type Optional<T> = JSONSchemaType<T> & { nullable: true };

const duration = (description: string) => ({ type: 'string', nullable: true, pattern: DURATION_PATTERN, description }) as const;
const optNum = <L extends object>(description: string, limits: L) => ({ type: 'number', nullable: true, description, ...limits }) as const;
const optInt = <L extends object>(description: string, limits: L) => ({ type: 'integer', nullable: true, description, ...limits }) as const;

const faultSchema: JSONSchemaType<FaultSpec> = {
  type: 'object',
  description: 'One fault: what, when (at) and for how long (duration).',
  additionalProperties: false,
  required: ['kind', 'at'],
  properties: {
    kind: { type: 'string', enum: [...FAULT_KINDS], description: 'What goes wrong.' },
    at: {
      type: 'string',
      minLength: 1,
      description: 'When it starts: an offset from the start of load ("60s"), a phase ("fault") or a phase plus an offset ("fault+10s").',
    },
    duration: duration('How long it lasts, e.g. 20s (default: the rest of the phase named by `at`).'),
    scenarios: { type: 'array', nullable: true, minItems: 1, items: { type: 'string', minLength: 1 }, description: 'Inject only during runs of these scenarios (default: every run).' },
    latency: duration('latency, network-delay: the added delay, e.g. 800ms.'),
    jitter: duration('latency, network-delay: random extra delay, e.g. 100ms.'),
    rate: optNum('bandwidth: KB/s the responses are throttled to.', { minimum: 0 }),
    timeout: duration('timeout: close connections after this (0s = hold them open, a blackhole); reset: wait this long before the reset.'),
    loss: optNum('network-loss: percent of packets dropped.', { minimum: 0, maximum: 100 }),
    direction: { type: 'string', nullable: true, enum: ['to', 'from', 'both'], description: 'network-*: which traffic of the selected pods (default to).' },
    workers: optInt('cpu-stress, memory-stress: stress workers (default 1).', { minimum: 1 }),
    load: optInt('cpu-stress: percent load per worker (default 100).', { minimum: 0, maximum: 100 }),
    size: { type: 'string', nullable: true, pattern: '^[0-9]+(B|KB|MB|GB|%)$', description: 'memory-stress: memory per worker, e.g. 256MB or 50%.' },
    replicas: optInt('scale: the replicas the Deployment is scaled to for the fault (0 takes it down).', { minimum: 0 }),
  },
};

export const chaosProfileSchema: Optional<ChaosProfile> = {
  type: 'object',
  nullable: true,
  description: 'Faults injected during the run, and the provider that injects them.',
  additionalProperties: false,
  required: [],
  properties: {
    provider: { type: 'string', nullable: true, enum: [...PROVIDER_NAMES], description: 'Who injects the faults (default toxiproxy).' },
    toxiproxy: {
      type: 'object',
      nullable: true,
      description: 'Use an existing Toxiproxy (without this block loadctl starts its own in front of baseUrl, on loopback).',
      additionalProperties: false,
      required: [],
      properties: {
        url: { type: 'string', nullable: true, pattern: '^https?://', description: 'Its API, e.g. http://127.0.0.1:8474.' },
        proxy: { type: 'string', nullable: true, minLength: 1, description: 'The proxy that carries the target traffic.' },
      },
    },
    chaosMesh: {
      type: 'object',
      nullable: true,
      description: 'Chaos Mesh resources (chaos-mesh.org/v1alpha1) applied with kubectl.',
      additionalProperties: false,
      required: ['namespace', 'selector'],
      properties: {
        context: { type: 'string', nullable: true, minLength: 1, description: 'kubectl context (default: the current one).' },
        namespace: { type: 'string', minLength: 1, description: 'Namespace the chaos resources are created in.' },
        selector: {
          type: 'object',
          description: 'The pods a fault hits.',
          additionalProperties: false,
          required: ['labelSelectors'],
          properties: {
            namespaces: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 }, description: 'Namespaces of the pods (default: namespace).' },
            labelSelectors: { type: 'object', required: [], additionalProperties: { type: 'string' }, description: 'Pod labels, e.g. { app: api }.' },
          },
        },
        mode: { type: 'string', nullable: true, enum: ['one', 'all', 'fixed', 'fixed-percent', 'random-max-percent'], description: 'How many selected pods (default all).' },
        value: { type: 'string', nullable: true, description: 'The number or percent for fixed / fixed-percent / random-max-percent.' },
        injectTimeoutMs: optInt('How long to wait for Chaos Mesh to report a fault injected (default 60000).', { minimum: 1 }),
      },
    },
    command: {
      type: 'object',
      nullable: true,
      description: 'Your own shell commands; each gets the fault as LOADCTL_FAULT_ID, _KIND and _PARAMS (JSON).',
      additionalProperties: false,
      required: ['inject', 'revert'],
      properties: {
        inject: { type: 'string', minLength: 1, description: 'Injects the fault.' },
        revert: { type: 'string', minLength: 1, description: 'Reverts it; must succeed when nothing is injected.' },
        status: { type: 'string', nullable: true, minLength: 1, description: 'Exits 0 while the fault is active.' },
        timeoutMs: optInt('Longest a command may take (default 30000).', { minimum: 1 }),
      },
    },
    kubernetes: {
      type: 'object',
      nullable: true,
      description: 'Faults through the cluster\'s own API with kubectl (no Chaos Mesh): pod-kill by label selector, scale a Deployment.',
      additionalProperties: false,
      required: ['namespace'],
      properties: {
        context: { type: 'string', nullable: true, minLength: 1, description: 'kubectl context (default: the current one).' },
        namespace: { type: 'string', minLength: 1, description: 'Namespace of the pods and the Deployment.' },
        selector: {
          type: 'object',
          nullable: true,
          description: 'pod-kill: the pods one is picked from.',
          additionalProperties: false,
          required: ['labelSelectors'],
          properties: { labelSelectors: { type: 'object', required: [], additionalProperties: { type: 'string' }, description: 'Pod labels, e.g. { app: api }.' } },
        },
        deployment: { type: 'string', nullable: true, minLength: 1, description: 'scale: the Deployment scaled.' },
        mode: { type: 'string', nullable: true, enum: ['one', 'all'], description: 'pod-kill: one selected pod (default) or all.' },
      },
    },
    faults: { type: 'array', nullable: true, description: 'The fault timeline.', items: faultSchema },
  },
};

export const chaosSlaSchema: Optional<ChaosSla> = {
  type: 'object',
  nullable: true,
  description: 'How faults are judged; the ordinary latency limits are not judged inside fault windows.',
  additionalProperties: false,
  required: [],
  properties: {
    maxRecoverySeconds: optNum('Longest time from revert until p95 and error rate are back (default 30).', { minimum: 0 }),
    maxErrorRateDuringFault: optNum('Highest error rate during a fault, 0..1 (default 0.05).', { minimum: 0, maximum: 1 }),
  },
};
