// The profile's `outputs:` list: k6 outputs that run next to loadctl's own (Prometheus remote
// write, OpenTelemetry, any other k6 output by name). Its type, schema and the rules the schema
// cannot say. Secrets are never written here: auth fields name environment variables, and `env`
// values may hold ${NAME} references; both are resolved only when k6 starts (k6/outputs.ts).
import type { JSONSchemaType } from 'ajv';
import type { EnvRef } from './env.js';
import { str } from './schema-parts.js';

export const PROMETHEUS_RW = 'experimental-prometheus-rw';
export const OPENTELEMETRY = 'opentelemetry';

/**
 * One k6 output. One flat shape (`type` says which fields apply, checked by outputsProblem) so a
 * schema error stays one per mistake, as for probes.
 */
export interface OutputSettings {
  type: string; // a k6 output name: experimental-prometheus-rw, opentelemetry, json, influxdb, an extension's
  // experimental-prometheus-rw
  url?: string; // remote-write endpoint, e.g. http://127.0.0.1:9090/api/v1/write
  trendStats?: string[]; // e.g. ["p(95)", "p(99)", "avg"] → k6_<trend>_p95 series
  nativeHistograms?: boolean; // Trends as Prometheus native histograms instead of trendStats
  pushInterval?: string; // e.g. "5s" (k6's default)
  staleMarkers?: boolean; // mark every series stale when the run ends
  bearerTokenEnv?: string; // name of the env var holding the bearer token
  usernameEnv?: string; // basic auth: env var holding the user
  passwordEnv?: string; // basic auth: env var holding the password
  // opentelemetry
  endpoint?: string; // host:port of the collector, no scheme
  protocol?: 'grpc' | 'http'; // default grpc (k6's default)
  insecure?: boolean; // plain text instead of TLS
  serviceName?: string; // default k6
  exportInterval?: string; // e.g. "10s" (k6's default)
  headersEnv?: string; // env var holding OTLP headers ("k1=v1,k2=v2"), often an API key
  // any output
  args?: string; // what follows `type=` in k6's --out (other outputs only)
  env?: Record<string, string>; // extra K6_* variables for the output; values may hold ${NAME}
}

const ENV_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const DURATION = '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$';
const envName = (what: string) => ({ type: 'string', nullable: true, pattern: ENV_NAME, description: `Name of the environment variable holding ${what} (never the value itself).` }) as const;
const flag = (description: string) => ({ type: 'boolean', nullable: true, description }) as const;
const duration = (description: string) => ({ type: 'string', nullable: true, pattern: DURATION, description }) as const;

export const outputSchema: JSONSchemaType<OutputSettings> = {
  type: 'object',
  description: 'A k6 output next to loadctl\'s own: `type` is the k6 output name; fields below say which type they belong to.',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', description: `k6 output name: ${PROMETHEUS_RW}, ${OPENTELEMETRY}, or any other output this k6 has (json, influxdb, an extension's).` },
    url: str(`${PROMETHEUS_RW}: remote-write URL, e.g. http://127.0.0.1:9090/api/v1/write (k6's default: http://localhost:9090/api/v1/write).`),
    trendStats: {
      type: 'array',
      nullable: true,
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^(avg|min|max|med|count|sum|p\\([0-9]+(\\.[0-9]+)?\\))$' },
      description: `${PROMETHEUS_RW}: Trend stats written as k6_<metric>_<stat> series, e.g. ["p(95)", "p(99)", "avg"] (k6's default: ["p(99)"]).`,
    },
    nativeHistograms: flag(`${PROMETHEUS_RW}: write Trends as Prometheus native histograms (the server must accept them) instead of trendStats.`),
    pushInterval: duration(`${PROMETHEUS_RW}: time between pushes, e.g. 5s (k6's default).`),
    staleMarkers: flag(`${PROMETHEUS_RW}: mark every series stale when the run ends.`),
    bearerTokenEnv: envName(`${PROMETHEUS_RW}: the bearer token`),
    usernameEnv: envName(`${PROMETHEUS_RW}: the basic-auth user`),
    passwordEnv: envName(`${PROMETHEUS_RW}: the basic-auth password`),
    endpoint: str(`${OPENTELEMETRY}: collector host:port without a scheme (k6's default: localhost:4317 for grpc, localhost:4318 for http).`),
    protocol: { type: 'string', nullable: true, enum: ['grpc', 'http'], description: `${OPENTELEMETRY}: OTLP over grpc (k6's default) or http (protobuf).` },
    insecure: flag(`${OPENTELEMETRY}: connect without TLS.`),
    serviceName: str(`${OPENTELEMETRY}: service.name of the metrics (k6's default: k6).`),
    exportInterval: duration(`${OPENTELEMETRY}: time between exports, e.g. 10s (k6's default).`),
    headersEnv: envName(`${OPENTELEMETRY}: OTLP headers, "key=value,key2=value2"`),
    args: str('Other outputs: what follows `type=` in k6\'s --out, e.g. a file name for json.'),
    env: {
      type: 'object',
      nullable: true,
      description: 'Extra K6_* environment variables for this output; values may hold ${NAME} (resolved when k6 starts, never stored).',
      propertyNames: { pattern: '^K6_[A-Z0-9_]+$' },
      additionalProperties: { type: 'string' },
      required: [],
    },
  },
};

export const outputsSchema: JSONSchemaType<OutputSettings[] | undefined> & { nullable: true } = {
  type: 'array',
  nullable: true,
  description: 'k6 outputs to send every run to, next to loadctl\'s own (e.g. Prometheus remote write); each run is tagged testid=<run id>.',
  items: outputSchema,
};

const PROMETHEUS_FIELDS = ['url', 'trendStats', 'nativeHistograms', 'pushInterval', 'staleMarkers', 'bearerTokenEnv', 'usernameEnv', 'passwordEnv'] as const;
const OTEL_FIELDS = ['endpoint', 'protocol', 'insecure', 'serviceName', 'exportInterval', 'headersEnv'] as const;
type TypedField = (typeof PROMETHEUS_FIELDS)[number] | (typeof OTEL_FIELDS)[number] | 'args';

/** Which type-specific fields each type takes; every other type takes only `args` and `env`. */
function fieldsOf(type: string): readonly TypedField[] {
  if (type === PROMETHEUS_RW) return PROMETHEUS_FIELDS;
  if (type === OPENTELEMETRY) return OTEL_FIELDS;
  return ['args'];
}

/** k6 outputs that are gone from k6 v2 (k6 refuses them with a pointer to an extension). */
const REMOVED: Record<string, string> = {
  statsd: 'k6 v2 dropped the statsd output: build k6 with the xk6-output-statsd extension, or use opentelemetry',
  kafka: 'k6 dropped the kafka output: build k6 with the xk6-output-kafka extension',
  datadog: 'k6 dropped the datadog output: use opentelemetry, or the statsd extension',
};

export interface OutputProblem {
  pointer: string;
  detail: string;
  hint: string;
}

/** The first rule the schema cannot say that `outputs` breaks, or undefined. Pure. */
export function outputsProblem(outputs: readonly OutputSettings[] | undefined): OutputProblem | undefined {
  const typedSeen = new Map<string, number>();
  for (const [i, o] of (outputs ?? []).entries()) {
    const at = `/outputs/${i}`;
    if (o.type === 'loadctl') {
      return { pointer: `${at}/type`, detail: '"loadctl" is loadctl\'s own output, always on', hint: 'remove this entry' };
    }
    const removed = REMOVED[o.type];
    if (removed) return { pointer: `${at}/type`, detail: `"${o.type}" is not an output of k6 v2`, hint: removed };
    const allowed = fieldsOf(o.type);
    for (const field of [...PROMETHEUS_FIELDS, ...OTEL_FIELDS, 'args'] as const) {
      if (o[field] === undefined || allowed.includes(field)) continue;
      const owner = (PROMETHEUS_FIELDS as readonly string[]).includes(field) ? PROMETHEUS_RW : (OTEL_FIELDS as readonly string[]).includes(field) ? OPENTELEMETRY : 'other outputs';
      const why = field === 'args' ? `k6 reads ${o.type}'s settings from the environment only` : `it belongs to ${owner}`;
      return { pointer: `${at}/${field}`, detail: `does not apply to type ${o.type} (${why})`, hint: field === 'args' ? `use the ${o.type} fields of this entry, or env` : `remove it, or set type: ${owner}` };
    }
    if (o.type === PROMETHEUS_RW || o.type === OPENTELEMETRY) {
      // k6 configures these outputs through environment variables, one set per k6 process.
      const first = typedSeen.get(o.type);
      if (first !== undefined) {
        return { pointer: `${at}/type`, detail: `a second ${o.type} output (the first is /outputs/${first})`, hint: `k6 configures ${o.type} through environment variables, so a run sends to one ${o.type} endpoint` };
      }
      typedSeen.set(o.type, i);
    }
    if (o.url !== undefined && !o.url.includes('${') && !/^https?:\/\/[^/]/i.test(o.url)) {
      return { pointer: `${at}/url`, detail: `"${o.url}" is not an http(s) URL`, hint: 'write the full remote-write URL, e.g. http://127.0.0.1:9090/api/v1/write' };
    }
    if (o.endpoint !== undefined && /^[a-z]+:\/\//i.test(o.endpoint)) {
      return { pointer: `${at}/endpoint`, detail: `"${o.endpoint}" has a scheme; k6 wants host:port`, hint: 'write e.g. collector.example.com:4317, and insecure: true for plain text' };
    }
    if (o.passwordEnv !== undefined && o.usernameEnv === undefined) {
      return { pointer: `${at}/passwordEnv`, detail: 'a basic-auth password needs a user', hint: 'add usernameEnv: the environment variable holding the user' };
    }
    for (const key of Object.keys(o.env ?? {})) {
      if (key.startsWith('K6_LOADCTL_') || key === 'K6_OUT' || key === 'K6_NO_USAGE_REPORT') {
        return { pointer: `${at}/env/${key}`, detail: `${key} is set by loadctl itself`, hint: 'remove it (list outputs under outputs:, not K6_OUT)' };
      }
    }
  }
  return undefined;
}

/**
 * The `…Env` fields as references, so the loader checks each variable is set (an error names the
 * field) and every run redacts their values, like ${NAME} references.
 */
export function outputEnvNameRefs(outputs: readonly OutputSettings[] | undefined): EnvRef[] {
  const refs: EnvRef[] = [];
  for (const [i, o] of (outputs ?? []).entries()) {
    for (const field of ['bearerTokenEnv', 'usernameEnv', 'passwordEnv', 'headersEnv'] as const) {
      const name = o[field];
      if (name !== undefined) refs.push({ name, pointer: `/outputs/${i}/${field}` });
    }
  }
  return refs;
}
