// The JSON Schema for profiles/<name>.yaml. Typed against Profile so the compiler keeps the two in
// step; published as schemas/profile.schema.json for editors (test/config.test.ts keeps the file
// in step with this module). Every object a user writes rejects unknown keys, so a typo such as
// `p96` fails loudly instead of silently not being enforced.
import type { JSONSchemaType } from 'ajv';
import { chaosProfileSchema, chaosSlaSchema } from './chaos-schema.js';
import type { Profile, RequestSpec, SlaLimits, StepSpec } from './types.js';
import { driftSchema } from './schema-drift.js';
import { metricLimitsSchema, metricTagsSchema } from './schema-metrics.js';
import { outputsSchema } from './schema-outputs.js';
import { NAME_PATTERN, PATH_PATTERN, VAR_PATTERN, fraction, int, ms, num, str, stringMap } from './schema-parts.js';
import { demoAutoscalerSchema, demoCapacitySchema, probeSchema, scalingSlaSchema, searchSchema } from './schema-scaling.js';

export const PROFILE_SCHEMA_ID = 'https://loadctl.dev/schemas/profile.schema.json';

export { NAME_PATTERN, PATH_PATTERN, VAR_PATTERN } from './schema-parts.js';

// The looser typing for the two union-typed request fields (see `body` below).
type Loose<T> = JSONSchemaType<T> & { nullable: true };

// The request/step fields both shapes share; `weight` is added by requests only.
const requestFields = {
  name: {
    type: 'string',
    pattern: NAME_PATTERN,
    description: 'Unique name; becomes the k6 `name` tag and the key for per-request SLA limits.',
  },
  method: {
    type: 'string',
    enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    nullable: true,
    description: 'HTTP method (default GET).',
  },
  path: {
    type: 'string',
    pattern: PATH_PATTERN,
    description: 'Path joined to baseUrl, starting with "/". May hold {{var}} (journey captures) and ${ENV}.',
  },
  headers: stringMap('Headers for this request, added to workload.headers.'),
  // `body` and `expect` are unions JSONSchemaType cannot express; a `type` list keeps one
  // error per mistake (anyOf would report every branch).
  body: {
    type: ['string', 'object', 'array'],
    nullable: true,
    description: 'Request body: a string is sent as is, an object or array as JSON.',
  } as unknown as Loose<RequestSpec['body']>,
  expect: {
    type: ['integer', 'array'],
    minimum: 100,
    maximum: 599,
    items: { type: 'integer', minimum: 100, maximum: 599 },
    minItems: 1,
    nullable: true,
    description: 'Expected status code or codes (default: any 2xx or 3xx).',
  } as unknown as Loose<RequestSpec['expect']>,
} as const;

const weight = num('Relative share of iterations (default 1).', { exclusiveMinimum: 0 });

const requestSchema: JSONSchemaType<RequestSpec> = {
  type: 'object',
  description: 'One HTTP request, picked at random by weight.',
  additionalProperties: false,
  required: ['name', 'path'],
  properties: { ...requestFields, weight },
};

const stepSchema: JSONSchemaType<StepSpec> = {
  type: 'object',
  description: 'One request of a journey; steps run in order and share captured variables.',
  additionalProperties: false,
  required: ['name', 'path'],
  properties: {
    ...requestFields,
    capture: {
      type: 'object',
      nullable: true,
      description: 'Variable name -> dotted path into the JSON response body, e.g. { jobId: id }.',
      propertyNames: { pattern: VAR_PATTERN },
      additionalProperties: { type: 'string', minLength: 1 },
      required: [],
    },
    until: {
      type: 'object',
      nullable: true,
      description: 'Repeat this step until the JSON body at `path` equals `equals`.',
      additionalProperties: false,
      required: ['path', 'equals'],
      properties: {
        path: { type: 'string', minLength: 1, description: 'Dotted path into the JSON body.' },
        equals: { type: ['string', 'number', 'boolean'], description: 'The value that ends the polling.' },
      },
    },
    pollIntervalMs: ms('Pause between polls, default 200'),
    maxPolls: int('Give up (and fail the step) after this many polls (default 50).', { minimum: 1 }),
  },
};

const latency = (what: string) => num(`${what} latency limit (ms).`, { exclusiveMinimum: 0 });
const slaLimitFields = {
  p50: latency('Median'),
  p90: latency('90th percentile'),
  p95: latency('95th percentile'),
  p99: latency('99th percentile'),
  max: latency('Maximum'),
  errorRate: fraction('Highest accepted fraction of failed requests, 0..1 (0.01 = 1%).'),
  minRps: num('Lowest accepted throughput in requests per second.', { minimum: 0 }),
} as const;

const slaLimitsSchema: JSONSchemaType<SlaLimits> = {
  type: 'object',
  description: 'Limits for one request or step.',
  additionalProperties: false,
  required: [],
  properties: slaLimitFields,
};

const typedProfileSchema: JSONSchemaType<Profile> = {
  type: 'object',
  title: 'loadctl target profile',
  description: 'One target of loadctl: where to aim, what to send, what counts as passing.',
  additionalProperties: false,
  required: ['workload'],
  properties: {
    description: str('Shown by `loadctl list`.'),
    baseUrl: str('http(s) URL of the target; required unless `demo` is set. May hold ${ENV}.'),
    scale: num('Multiplies every VU count and arrival rate of a scenario (default 1).', {
      exclusiveMinimum: 0,
      maximum: 100,
    }),
    demo: {
      type: 'object',
      nullable: true,
      description: 'Run against the built-in demo target, which loadctl starts itself.',
      additionalProperties: false,
      required: [],
      properties: {
        delayMs: ms('Latency added to every response'),
        jitterMs: ms('Uniform extra latency, 0..jitterMs'),
        errorRate: fraction('Fraction of requests answered with 500.'),
        capacity: demoCapacitySchema,
        autoscaler: demoAutoscalerSchema,
        leakPctPerMin: num('A slow leak: latency and the reported memory grow by this percent a minute (default 0).', { minimum: 0, maximum: 1000 }),
      },
    },
    start: {
      type: 'object',
      nullable: true,
      description: 'Start your service before the run and stop it after.',
      additionalProperties: false,
      required: ['command', 'readyUrl'],
      properties: {
        command: { type: 'string', minLength: 1, description: 'Shell command; its process group is stopped after the run.' },
        readyUrl: { type: 'string', minLength: 1, description: 'Polled until it answers 2xx before load starts.' },
        timeoutMs: int('How long to wait for readyUrl, in ms (default 30000).', { minimum: 1 }),
      },
    },
    workload: {
      type: 'object',
      description: 'What each virtual user sends: single requests and multi-step journeys.',
      additionalProperties: false,
      required: [],
      properties: {
        thinkTimeMs: ms('Pause between iterations, default 0'),
        headers: stringMap('Headers sent with every request; use ${ENV} for secrets.'),
        requests: { type: 'array', nullable: true, description: 'Single requests.', items: requestSchema },
        journeys: {
          type: 'array',
          nullable: true,
          description: 'Multi-step flows.',
          items: {
            type: 'object',
            description: 'Steps run in order by one VU, picked at random by weight.',
            additionalProperties: false,
            required: ['name', 'steps'],
            properties: {
              name: { type: 'string', pattern: NAME_PATTERN, description: 'Unique name; becomes the k6 `journey` tag.' },
              weight,
              steps: { type: 'array', minItems: 1, description: 'Run in order.', items: stepSchema },
            },
          },
        },
      },
    },
    sla: {
      type: 'object',
      nullable: true,
      description: 'Absolute limits; a run that breaks one fails (exit 1).',
      additionalProperties: false,
      required: [],
      properties: {
        ...slaLimitFields,
        requests: {
          type: 'object',
          nullable: true,
          description: 'Limits per request or step name.',
          additionalProperties: slaLimitsSchema,
          required: [],
        },
        chaos: chaosSlaSchema,
        minCapacity: num('Lowest accepted capacity (iterations/s) found by a scaling run.', { exclusiveMinimum: 0 }),
        scaling: scalingSlaSchema,
        drift: driftSchema,
        metrics: metricLimitsSchema,
      },
    },
    metricTags: metricTagsSchema,
    safety: {
      type: 'object',
      nullable: true,
      description: 'Guard rails checked before a run starts.',
      additionalProperties: false,
      required: [],
      properties: {
        maxVUs: int('Refuse plans that would use more virtual users.', { minimum: 1 }),
        maxRPS: num('Refuse plans that would exceed this arrival rate.', { exclusiveMinimum: 0 }),
        protected: { type: 'boolean', nullable: true, description: 'Refuse to run without --yes (production).' },
        abort: {
          type: 'object',
          nullable: true,
          description: 'Stop the run early (status fail) when the target is clearly in trouble.',
          additionalProperties: false,
          required: [],
          properties: {
            errorRate: num('Stop when the error rate stays above this fraction (0..1) for forSeconds.', { minimum: 0, maximum: 1 }),
            p95: num('Stop when p95 latency (ms) stays above this for forSeconds.', { exclusiveMinimum: 0 }),
            p99: num('Stop when p99 latency (ms) stays above this for forSeconds.', { exclusiveMinimum: 0 }),
            forSeconds: num('How long a breach must last before the run stops (default 10).', { exclusiveMinimum: 0 }),
          },
        },
      },
    },
    baseline: {
      type: 'object',
      nullable: true,
      description: 'How runs are judged against the stored baseline pool (baselines/<profile>/<scenario>.json).',
      additionalProperties: false,
      required: [],
      properties: {
        poolSize: int('Accepted runs kept per scenario (default 10).', { minimum: 1 }),
        tolerances: {
          type: 'object',
          nullable: true,
          description: 'Practical thresholds in percent: smaller changes never fail, whatever the statistics say.',
          additionalProperties: false,
          required: [],
          properties: {
            latencyPct: num('Latency change tolerated (default 10).', { minimum: 0 }),
            rpsPct: num('Throughput drop tolerated (default 10).', { minimum: 0 }),
            errorRatePct: num('Relative error-rate change tolerated (default 50).', { minimum: 0 }),
          },
        },
        maxErrorRateIncrease: num('Absolute error-rate increase that always fails (default 0.01).', { minimum: 0, maximum: 1 }),
        alpha: num('Family-wise significance level (default 0.01).', { exclusiveMinimum: 0, maximum: 0.5 }),
        minPool: int('Fewer baseline runs than this give "inconclusive" (default 3).', { minimum: 2 }),
        inconclusive: { type: 'string', nullable: true, enum: ['pass', 'fail'], description: 'Whether an inconclusive baseline verdict fails the run (default pass).' },
      },
    },
    chaos: chaosProfileSchema,
    search: searchSchema,
    probes: { type: 'array', nullable: true, description: 'Samplers of the system under test, run during every run.', items: probeSchema },
    scenarios: {
      type: 'object',
      nullable: true,
      description: 'Per-scenario shape parameter overrides, e.g. { spike: { factor: 5 } }.',
      required: [],
      additionalProperties: { type: 'object', required: [], additionalProperties: { type: 'number' } },
    },
    outputs: outputsSchema,
  },
};
// JSONSchemaType insists on ajv's `nullable: true` for optional keys, which would accept
// `sla: null` (an empty YAML key) as a valid Profile. Optional is expressed by `required`
// alone, so drop it (and the empty `required: []` it also insists on): null then fails with a
// clear type error, and the published schema is plain JSON Schema.
function plainJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plainJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const empty = key === 'required' && Array.isArray(value) && value.length === 0;
    if (key !== 'nullable' && !empty) out[key] = plainJsonSchema(value);
  }
  return out;
}

/** The schema ajv compiles and the one published for editors. */
export const profileSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: PROFILE_SCHEMA_ID,
  ...(plainJsonSchema(typedProfileSchema) as object),
} as const satisfies Record<string, unknown>;

/** The text of schemas/profile.schema.json. */
export function profileSchemaJson(): string {
  return `${JSON.stringify(profileSchema, null, 2)}\n`;
}
