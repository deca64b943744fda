// The shape of a target profile (profiles/<name>.yaml). One type per shape; the JSON Schema in
// config/schema.ts mirrors it exactly (additionalProperties: false everywhere a user writes).
// Strings anywhere in a profile may reference environment variables as ${NAME}: the loader checks
// they are set; those under `workload` stay references until k6 resolves them, so secret values
// never travel through argv, bundles, plans or reports.
import type { OutputSettings } from './schema-outputs.js';
import type { ChaosMeshSettings, CommandSettings, FaultKind, KubernetesSettings, ProviderName, ToxiproxySettings } from '../chaos/types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface RequestSpec {
  name: string;
  method?: HttpMethod; // default GET
  path: string; // joined to baseUrl; may hold {{var}} (journey captures) and ${ENV}
  headers?: Record<string, string>;
  body?: string | Record<string, unknown> | unknown[]; // objects are sent as JSON
  expect?: number | number[]; // expected status(es); default any 2xx/3xx
  weight?: number; // default 1
}

export interface StepSpec extends Omit<RequestSpec, 'weight'> {
  /** var name -> dotted path into the JSON response body, e.g. { jobId: "id" } */
  capture?: Record<string, string>;
  /** repeat this step until the JSON body at `path` equals `equals` */
  until?: { path: string; equals: string | number | boolean };
  pollIntervalMs?: number; // default 200
  maxPolls?: number; // default 50
}

export interface JourneySpec {
  name: string;
  weight?: number; // default 1
  steps: StepSpec[];
}

export interface Workload {
  thinkTimeMs?: number; // sleep between iterations, default 0
  headers?: Record<string, string>; // sent with every request
  requests?: RequestSpec[];
  journeys?: JourneySpec[];
}

export interface LatencyLimits {
  p50?: number; // ms
  p90?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

export interface SlaLimits extends LatencyLimits {
  errorRate?: number; // fraction, 0..1
  minRps?: number;
}

export interface Sla extends SlaLimits {
  requests?: Record<string, SlaLimits>; // per request name
  chaos?: ChaosSla;
  minCapacity?: number; // lowest accepted capacity (iterations/s) of a capacity-finding run
  scaling?: ScalingSla;
  drift?: DriftSettings; // trends within the run (judge/drift.ts); on by default for `soak`
  metrics?: Record<string, MetricLimits>; // limits on any k6 metric (judge/metric-sla.ts)
}

/** `sla.metrics` entry: aggregation (avg, p95, p(99.9), rate, …) → a number (an upper bound) or a comparison (">= 0.99"). */
export type MetricLimits = Record<string, number | string>;

/** How faults are judged (defaults in judge/chaos.ts). */
export interface ChaosSla {
  maxRecoverySeconds?: number; // from revert until p95 and error rate are back, default 30
  maxErrorRateDuringFault?: number; // fraction 0..1, default 0.05
}

/** One fault as written in a profile (`chaos.faults[]`) or by `--fault`. */
export interface FaultSpec {
  kind: FaultKind;
  at: string; // "60s" from the start of load, a phase ("fault"), or a phase plus an offset ("fault+10s")
  duration?: string; // "20s"; default: the rest of the phase `at` names
  scenarios?: string[]; // profile faults only: inject during these scenarios alone (default: every run)
  latency?: string; // latency, network-delay
  jitter?: string; // latency, network-delay
  rate?: number; // bandwidth, KB/s
  timeout?: string; // timeout (0 = blackhole), reset (delay before the reset)
  loss?: number; // network-loss, percent
  direction?: 'to' | 'from' | 'both'; // network-* kinds
  workers?: number; // cpu-stress, memory-stress
  load?: number; // cpu-stress, percent per worker
  size?: string; // memory-stress, per worker, e.g. 256MB
  replicas?: number; // scale: the replicas the Deployment is scaled to
}

/** The profile's `chaos:` block. */
export interface ChaosProfile {
  provider?: ProviderName; // default toxiproxy
  toxiproxy?: ToxiproxySettings;
  chaosMesh?: ChaosMeshSettings;
  command?: CommandSettings;
  kubernetes?: KubernetesSettings;
  faults?: FaultSpec[];
}

/** How fast the autoscaler must react: from a load step's start to the probed replica count rising. */
export interface ScalingSla {
  maxReactionSeconds: number;
  probe?: string; // the probe holding the replica count, default "replicas"
}

/** Capacity search: rates tried grow ×factor from start until one fails, then bisect. */
export interface SearchSettings {
  ceiling: number; // never try above this rate (iterations/s)
  start?: number; // first rate tried, default ceiling / 16
  factor?: number; // growth factor, default 2
  precision?: number; // stop when the bracket is within this fraction, default 0.05
  stepSeconds?: number; // load per trial, default 10
  budgetSeconds?: number; // wall time for the whole search, default 600
}

/**
 * A sampler of the system under test, run every intervalSeconds during a run. One flat shape
 * (`type` says which fields apply; validate.ts checks the combination) so schema errors stay
 * one per mistake; src/probes/ normalises it into a union keyed on `type`.
 */
export interface ProbeSettings {
  name: string;
  type: 'command' | 'http-json' | 'prometheus' | 'promql' | 'kubernetes';
  intervalSeconds?: number; // default 1
  timeoutMs?: number; // default: the interval, at most 10 s
  command?: string; // command: run through the shell; stdout must be one number
  url?: string; // http-json, prometheus (/metrics URL), promql (Prometheus server base URL)
  pointer?: string; // http-json: RFC 6901 JSON pointer into the body, e.g. /status/replicas
  metric?: string; // prometheus: metric name
  labels?: Record<string, string>; // prometheus: label matchers (equality)
  aggregate?: 'sum' | 'max' | 'min' | 'avg'; // prometheus: how to combine several matching series
  query?: string; // promql: an instant query whose result is one number
  resource?: string; // kubernetes: kind/name read through the API, e.g. deployment/api or hpa/api
  namespace?: string; // kubernetes: its namespace (default: kubectl's)
  context?: string; // kubernetes: kubectl context (default: the current one)
}

/** The metrics drift watches besides probe series. */
export const DRIFT_METRICS = ['p95', 'p99', 'errorRate', 'rps'] as const;
export type DriftMetric = (typeof DRIFT_METRICS)[number];

/** Drift within a run: a significant trend whose size over the run passes a tolerance fails. */
export interface DriftSettings {
  enabled?: boolean; // default: true for the `soak` scenario, false for the others
  tolerancePct?: number; // change of the fitted line from start to end, default 20 (%)
  errorRateIncrease?: number; // absolute rise of the error rate tolerated, default 0.01
  alpha?: number; // significance level of each trend test, default 0.01
  warmupSeconds?: number; // left out at the start; default: the `warm-up` phase, else 10 % of the run
  metrics?: DriftMetric[]; // default all; probe series are always watched when present
}

export interface Safety {
  maxVUs?: number;
  maxRPS?: number;
  protected?: boolean; // refuse to run without --yes
  abort?: AbortRule; // stop early when the target is clearly in trouble
}

/** How runs of this target are judged against their stored baseline pool. */
export interface BaselinePolicy {
  poolSize?: number; // accepted runs kept per scenario, default 10
  tolerances?: { latencyPct?: number; rpsPct?: number; errorRatePct?: number }; // practical thresholds
  maxErrorRateIncrease?: number; // absolute rule, default 0.01
  alpha?: number; // family-wise significance level, default 0.01
  minPool?: number; // fewer runs than this → inconclusive, default 3
  inconclusive?: 'pass' | 'fail'; // what an inconclusive verdict does to the exit code, default pass
}

/** Each limit must be breached in every time bucket of the last `forSeconds` (default 10). */
export interface AbortRule {
  errorRate?: number;
  p95?: number; // ms
  p99?: number; // ms
  forSeconds?: number;
}

export interface DemoSettings {
  delayMs?: number; // added latency per request
  jitterMs?: number; // uniform extra 0..jitterMs
  errorRate?: number; // fraction of requests answered 500
  capacity?: CapacitySettings; // a worker pool with a queue: latency climbs, then 503s
  autoscaler?: AutoscalerSettings; // adds replicas (each + capacity.rps) when load stays high
  leakPctPerMin?: number; // a slow leak: latency and reported memory grow by this % a minute (demo/leak.ts)
}

/** The demo target's limit: concurrency × replicas requests in service, each for concurrency / rps s. */
export interface CapacitySettings {
  rps: number; // requests per second one replica serves
  concurrency?: number; // requests in service at once per replica, default 10
  queue?: number; // requests waiting beyond those in service (all replicas), default 5 × concurrency
}

export interface AutoscalerSettings {
  reactionSeconds: number; // how long load must stay high before a replica is added
  threshold?: number; // offered load / capacity that counts as high, default 0.8
  maxReplicas?: number; // default 4
  scaleDownSeconds?: number; // remove a replica after load stays low this long; off when unset
}

export interface StartSettings {
  command: string; // run through the shell; its process group is stopped after the run
  readyUrl: string; // polled until it answers 2xx
  timeoutMs?: number; // default 30000
}

export interface Profile {
  description?: string;
  baseUrl?: string; // required unless `demo` is set
  scale?: number; // multiplies every VU count and arrival rate of a shape; default 1
  demo?: DemoSettings; // loadctl starts its built-in demo target and aims at it
  start?: StartSettings; // loadctl starts the user's service and waits for readyUrl
  workload: Workload;
  sla?: Sla;
  safety?: Safety;
  baseline?: BaselinePolicy;
  chaos?: ChaosProfile; // faults injected during the run
  probes?: ProbeSettings[]; // sampled during every run, kept in result.json
  outputs?: OutputSettings[]; // k6 outputs next to loadctl's own (config/schema-outputs.ts)
  search?: SearchSettings; // capacity search mode (short runs: grow, then bisect)
  metricTags?: string[]; // tags every k6 metric is split by, besides loadctl's defaults
  /** per-scenario shape parameter overrides, e.g. { spike: { factor: 5 } } */
  scenarios?: Record<string, Record<string, number>>;
}

/** A profile as loaded: where it came from and which env vars it references. */
export interface LoadedProfile {
  name: string;
  file: string | null; // null for an ad-hoc --target URL
  profile: Profile;
  envRefs: string[]; // names referenced as ${NAME}, all present in the environment
  /** `validate` only: referenced names that were unset and got a stand-in value. */
  standIns?: string[];
}
