// The profile schema's parts for capacity and scaling: demo capacity and autoscaler, probes, the
// scaling SLA and the capacity search. Typed against their interfaces like the rest (schema.ts).
import type { JSONSchemaType } from 'ajv';
import type { AutoscalerSettings, CapacitySettings, ProbeSettings, ScalingSla, SearchSettings } from './types.js';
import { NAME_PATTERN, int, num, stringMap } from './schema-parts.js';

type Optional<T> = JSONSchemaType<T> & { nullable: true };

export const demoCapacitySchema: Optional<CapacitySettings> = {
  type: 'object',
  nullable: true,
  description: 'A worker pool with a queue: latency climbs near the limit, then requests get 503.',
  additionalProperties: false,
  required: ['rps'],
  properties: {
    rps: { type: 'number', exclusiveMinimum: 0, description: 'Requests per second one replica serves.' },
    concurrency: int('Requests in service at once per replica (default 10).', { minimum: 1 }),
    queue: int('Requests that may wait for a worker (default 5 x concurrency).', { minimum: 0 }),
  },
};

export const demoAutoscalerSchema: Optional<AutoscalerSettings> = {
  type: 'object',
  nullable: true,
  description: 'Adds a replica (each + capacity.rps) when offered load stays high; needs capacity.',
  additionalProperties: false,
  required: ['reactionSeconds'],
  properties: {
    reactionSeconds: { type: 'number', minimum: 0, description: 'How long load must stay high before a replica is added.' },
    threshold: num('Offered load / capacity that counts as high (default 0.8).', { exclusiveMinimum: 0 }),
    maxReplicas: int('Most replicas (default 4).', { minimum: 1 }),
    scaleDownSeconds: num('Remove a replica after load stays below half the threshold this long (off when unset).', { minimum: 0 }),
  },
};

export const scalingSlaSchema: Optional<ScalingSla> = {
  type: 'object',
  nullable: true,
  description: 'Autoscaler limits, judged from a probe of the replica count.',
  additionalProperties: false,
  required: ['maxReactionSeconds'],
  properties: {
    maxReactionSeconds: { type: 'number', exclusiveMinimum: 0, description: 'Longest accepted time from a load step to the replica count rising.' },
    probe: { type: 'string', nullable: true, pattern: NAME_PATTERN, description: 'The probe holding the replica count (default "replicas").' },
  },
};

export const searchSchema: Optional<SearchSettings> = {
  type: 'object',
  nullable: true,
  description: 'Capacity search: short runs at one rate each, growing until one fails, then bisecting.',
  additionalProperties: false,
  required: ['ceiling'],
  properties: {
    ceiling: { type: 'number', exclusiveMinimum: 0, description: 'Never try above this rate (iterations/s).' },
    start: num('First rate tried (default ceiling / 16).', { exclusiveMinimum: 0 }),
    factor: num('Growth factor while every trial holds (default 2).', { exclusiveMinimum: 1 }),
    precision: num('Stop when highest sustained and lowest failed rate are this close, as a fraction (default 0.05).', { exclusiveMinimum: 0, maximum: 1 }),
    stepSeconds: num('Load per trial in seconds (default 10).', { minimum: 1 }),
    budgetSeconds: num('Wall time for the whole search in seconds (default 600).', { exclusiveMinimum: 0 }),
  },
};

export const probeSchema: JSONSchemaType<ProbeSettings> = {
  type: 'object',
  description: 'Samples one number from the system under test every intervalSeconds.',
  additionalProperties: false,
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', pattern: NAME_PATTERN, description: 'Unique name of the series.' },
    type: { type: 'string', enum: ['command', 'http-json', 'prometheus', 'promql', 'kubernetes'], description: 'Where the number comes from.' },
    intervalSeconds: num('Seconds between samples (default 1).', { minimum: 0.1 }),
    timeoutMs: int('Give up on one sample after this long (default: the interval, at most 10000).', { minimum: 1 }),
    command: { type: 'string', nullable: true, minLength: 1, description: 'type command: shell command whose stdout is one number.' },
    url: { type: 'string', nullable: true, minLength: 1, description: 'http-json: the URL; prometheus: the /metrics URL; promql: the Prometheus server URL. A path (/metrics) is the target\'s own.' },
    pointer: { type: 'string', nullable: true, pattern: '^(/.*)?$', description: 'http-json: JSON pointer (RFC 6901) to the number, e.g. /status/replicas; kubernetes: into the object (default /spec/replicas of a Deployment, /status/desiredReplicas of an HPA).' },
    metric: { type: 'string', nullable: true, pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$', description: 'prometheus: the metric name.' },
    labels: stringMap('prometheus: labels the series must have (equality matchers).'),
    aggregate: { type: 'string', nullable: true, enum: ['sum', 'max', 'min', 'avg'], description: 'prometheus: how to combine several matching series (default: exactly one must match).' },
    query: { type: 'string', nullable: true, minLength: 1, description: 'promql: an instant query giving one number.' },
    resource: { type: 'string', nullable: true, pattern: '^[a-z][a-z0-9.]*/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', description: 'kubernetes: the object read through the API (kubectl get), kind/name, e.g. deployment/api or hpa/api.' },
    namespace: { type: 'string', nullable: true, minLength: 1, description: 'kubernetes: the namespace of resource (default: kubectl\'s).' },
    context: { type: 'string', nullable: true, minLength: 1, description: 'kubernetes: the kubectl context (default: the current one).' },
  },
};
