// The pieces result.json's schema (schema.ts) is built from: stats, checks, faults, steps, probes.

const num = { type: 'number' } as const;
export const nonNeg = { type: 'number', minimum: 0 } as const;
export const count = { type: 'integer', minimum: 0 } as const;

const latency = {
  type: 'object',
  required: ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'],
  properties: { min: nonNeg, mean: nonNeg, p50: nonNeg, p90: nonNeg, p95: nonNeg, p99: nonNeg, max: nonNeg },
  additionalProperties: false,
} as const;

export const httpStats = {
  type: 'object',
  required: ['requests', 'failed', 'rps', 'errorRate', 'latencyMs'],
  properties: {
    requests: count,
    failed: count,
    rps: nonNeg,
    errorRate: { type: 'number', minimum: 0, maximum: 1 },
    latencyMs: latency,
  },
} as const;

export const check = {
  type: 'object',
  required: ['name', 'kind', 'scope', 'metric', 'status', 'limit', 'limitValue', 'measured', 'unit'],
  properties: {
    name: { type: 'string' },
    kind: { enum: ['sla', 'baseline', 'safety', 'chaos', 'drift'] },
    scope: { type: 'string' },
    metric: { type: 'string' },
    status: { enum: ['pass', 'fail', 'inconclusive'] },
    limit: { type: 'string' },
    limitValue: num,
    measured: { type: ['number', 'null'] },
    unit: { enum: ['ms', 'ratio', 'req/s', 'count', 'B', '/s'] },
    reason: { type: 'string' },
    drift: {
      type: 'object',
      required: ['startMs', 'endMs', 'from', 'to', 'slopePerMin', 'points', 'pValue', 'varianceFactor', 'direction', 'method'],
      properties: {
        startMs: nonNeg,
        endMs: nonNeg,
        from: num,
        to: num,
        slopePerMin: num,
        points: count,
        pValue: { type: 'number', minimum: 0, maximum: 1 },
        varianceFactor: { type: 'number', minimum: 1 },
        direction: { enum: ['rising', 'falling', 'flat'] },
        method: { type: 'string' },
      },
    },
  },
  additionalProperties: true,
} as const;

const windowStats = {
  type: ['object', 'null'],
  required: ['buckets', 'requests', 'failed', 'errorRate', 'rps', 'p95', 'p95Peak'],
  properties: { buckets: count, requests: count, failed: count, errorRate: { type: 'number', minimum: 0, maximum: 1 }, rps: nonNeg, p95: { type: ['number', 'null'] }, p95Peak: { type: ['number', 'null'] } },
} as const;
const epochOrNull = { type: ['number', 'null'] } as const;

// One fault as it happened (chaos/types.ts FaultAnalysis): epoch ms for inject/revert, offsets on
// the series clock for the window.
export const fault = {
  type: 'object',
  required: ['id', 'kind', 'params', 'provider', 'plannedStartMs', 'plannedEndMs', 'injectedAt', 'revertedAt', 'status', 'window', 'baseline', 'during', 'healthy', 'timeToImpactMs', 'recovery', 'errorBudget'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    params: { type: 'object' },
    provider: { enum: ['toxiproxy', 'chaos-mesh', 'command', 'kubernetes'] },
    plannedStartMs: nonNeg,
    plannedEndMs: nonNeg,
    injectedAt: epochOrNull,
    revertedAt: epochOrNull,
    status: { enum: ['reverted', 'skipped', 'inject-failed', 'revert-failed'] },
    endedBy: { enum: ['schedule', 'stop'] },
    error: { type: 'string' },
    pods: { type: 'array', items: { type: 'string' } },
    podsReadyAgainMs: { type: ['number', 'null'] },
    window: { type: ['object', 'null'], required: ['startMs', 'endMs'], properties: { startMs: num, endMs: num } },
    baseline: windowStats,
    during: windowStats,
    healthy: { type: 'object', required: ['p95', 'errorRate'], properties: { p95: { type: ['number', 'null'] }, errorRate: { type: ['number', 'null'] } } },
    timeToImpactMs: { type: ['number', 'null'] },
    recovery: {
      type: 'object',
      required: ['status', 'timeToRecoverMs', 'recoveredAtMs'],
      properties: { status: { enum: ['recovered', 'not-recovered', 'unknown'] }, timeToRecoverMs: { type: ['number', 'null'] }, recoveredAtMs: { type: ['number', 'null'] }, reason: { type: 'string' } },
    },
    errorBudget: {
      type: 'object',
      required: ['failed', 'excessFailed', 'budget', 'spent'],
      properties: { failed: count, excessFailed: count, budget: { type: ['number', 'null'] }, spent: { type: ['number', 'null'] } },
    },
  },
} as const;

export const stepRow = {
  type: 'object',
  required: ['name', 'offered', 'achievedRps', 'errorRate', 'verdict', 'seconds', 'requests', 'failed', 'dropped', 'latency'],
  properties: {
    name: { type: 'string' },
    offered: nonNeg,
    achievedRps: nonNeg,
    errorRate: { type: 'number', minimum: 0, maximum: 1 },
    verdict: { enum: ['sustained', 'sla-broken', 'rate-not-kept', 'no-data', 'too-short'] },
    reason: { type: 'string' },
    seconds: nonNeg,
    requests: count,
    failed: count,
    dropped: { type: ['number', 'null'] },
    latency: {
      type: ['object', 'null'],
      required: ['p50', 'p90', 'p95', 'p99'],
      properties: { p50: nonNeg, p90: { type: ['number', 'null'] }, p95: nonNeg, p99: nonNeg },
    },
  },
} as const;

export const probeSeries = {
  type: 'object',
  required: ['name', 'type', 'intervalMs', 'points'],
  properties: {
    name: { type: 'string' },
    type: { enum: ['command', 'http-json', 'prometheus', 'promql', 'kubernetes'] },
    intervalMs: nonNeg,
    points: {
      type: 'array',
      items: { type: 'object', required: ['atMs', 'value'], properties: { atMs: nonNeg, value: { type: ['number', 'null'] }, error: { type: 'string' } } },
    },
  },
} as const;
