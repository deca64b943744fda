// Every k6 metric of a run, as loadctl aggregates it: one series per metric and combination of the
// tags loadctl tracks (`name`, `group`, `scenario`, `check`, `expected_response`, `status`, plus the
// tags a profile's SLA or a script's thresholds filter on). A submetric such as
// `http_req_duration{group:::wizard}` is the merge of every series whose tags match.

export const K6_METRIC_TYPES = ['trend', 'rate', 'counter', 'gauge'] as const;
export type K6MetricType = (typeof K6_METRIC_TYPES)[number];

/** The tags every run tracks; a profile's `metricTags` and the selectors it judges add more. */
export const DEFAULT_TRACKED_TAGS = ['name', 'group', 'scenario', 'check', 'expected_response', 'status', 'method'] as const;

/** One metric with one combination of tracked tags, aggregated over the whole run. */
export interface MetricSeries {
  metric: string;
  type: K6MetricType;
  contains?: 'time' | 'data' | 'default'; // k6's value type: time values are in ms
  tags: Record<string, string>; // only the tracked tags the samples carried
  count: number; // samples (a counter's samples, not its total)
  sum: number; // sum of values (a counter's total)
  min: number;
  max: number;
  nonZero: number; // samples whose value was not 0 (a rate's passes)
  last: number; // value of the latest sample (a gauge's value)
  lastAt: number; // its time, epoch ms
  hist?: string; // trend: HDR histogram of round(|value| × 1000) for values ≥ 0, encoded
  histNeg?: string; // trend: the same for values < 0 (rare; custom trends may hold them)
}

export interface K6Metrics {
  tags: string[]; // the tags tracked in this run
  durationMs: number; // k6's test run duration as loadctl measured it (a counter's rate divides by it)
  series: MetricSeries[];
  overflow: number; // samples counted in a metric's overflow series (no tags) past the per-metric cap
  untyped?: string[]; // metrics the csv stream carried without saying their type: not aggregated
}

/** What a selector (metric plus tag filter) adds up to, in k6's terms. */
export interface MetricValues {
  type: K6MetricType;
  contains: 'time' | 'data' | 'default';
  series: number; // how many series matched
  count: number;
  // trend
  avg: number;
  min: number;
  max: number;
  med: number;
  percentile(p: number): number; // p in 0..100, k6's p(N)
  // rate: nonZero / count; counter: total per second of the run
  rate: number;
  // counter total (k6's `count` for a counter is the sum of its values)
  total: number;
  passes: number;
  fails: number;
  // gauge: the latest value
  value: number;
}

/** `metric{tag:value,…}` parsed: what a threshold key or an SLA metric key names. */
export interface MetricSelector {
  metric: string;
  tags: Record<string, string>;
}

// Types of k6's built-in metrics (go.k6.io/k6/v2 metrics/builtin.go and the grpc module): known
// before any sample arrives; the csv stream carries no types, so only these can be read from it.
const BUILT_IN: Record<string, [K6MetricType, 'time' | 'data' | 'default']> = {
  vus: ['gauge', 'default'], vus_max: ['gauge', 'default'], iterations: ['counter', 'default'],
  iteration_duration: ['trend', 'time'], dropped_iterations: ['counter', 'default'], checks: ['rate', 'default'],
  group_duration: ['trend', 'time'], http_reqs: ['counter', 'default'], http_req_failed: ['rate', 'default'],
  http_req_duration: ['trend', 'time'], http_req_blocked: ['trend', 'time'], http_req_connecting: ['trend', 'time'],
  http_req_tls_handshaking: ['trend', 'time'], http_req_sending: ['trend', 'time'], http_req_waiting: ['trend', 'time'],
  http_req_receiving: ['trend', 'time'], ws_sessions: ['counter', 'default'], ws_msgs_sent: ['counter', 'default'],
  ws_msgs_received: ['counter', 'default'], ws_ping: ['trend', 'time'], ws_session_duration: ['trend', 'time'],
  ws_connecting: ['trend', 'time'], grpc_req_duration: ['trend', 'time'], grpc_streams: ['counter', 'default'],
  grpc_streams_msgs_sent: ['counter', 'default'], grpc_streams_msgs_received: ['counter', 'default'],
  data_sent: ['counter', 'data'], data_received: ['counter', 'data'],
};

export function builtInType(metric: string): { type: K6MetricType; contains: 'time' | 'data' | 'default' } | undefined {
  const t = BUILT_IN[metric];
  return t ? { type: t[0], contains: t[1] } : undefined;
}

export const BUILT_IN_METRICS: readonly string[] = Object.keys(BUILT_IN);
