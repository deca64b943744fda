// JSON Schema of result.json (schemaVersion 1), published as schemas/result.schema.json.
// Fields may be added in later minor versions (series, histograms); the ones here are the contract.

import { SAMPLE_FORMATS } from './types.js';

import { check, count, fault, httpStats, nonNeg, probeSeries, stepRow } from './schema-parts.js';

export const RESULT_SCHEMA_ID = 'https://loadctl.dev/schemas/result.schema.json';

// Every k6 metric per series of tracked tags (results/k6-metric-types.ts).
const k6Metrics = {
  type: 'object',
  required: ['tags', 'durationMs', 'series', 'overflow'],
  properties: {
    tags: { type: 'array', items: { type: 'string' } },
    durationMs: nonNeg,
    overflow: count,
    untyped: { type: 'array', items: { type: 'string' } },
    series: {
      type: 'array',
      items: {
        type: 'object',
        required: ['metric', 'type', 'tags', 'count', 'sum', 'min', 'max', 'nonZero', 'last', 'lastAt'],
        properties: {
          metric: { type: 'string' },
          type: { enum: ['trend', 'rate', 'counter', 'gauge'] },
          contains: { enum: ['time', 'data', 'default'] },
          tags: { type: 'object', additionalProperties: { type: 'string' } },
          count: count,
          sum: { type: 'number' },
          min: { type: 'number' },
          max: { type: 'number' },
          nonZero: count,
          last: { type: 'number' },
          lastAt: { type: 'number' },
          hist: { type: 'string' },
          histNeg: { type: 'string' },
        },
      },
    },
  },
} as const;

export const resultSchema = {
  $id: RESULT_SCHEMA_ID,
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'loadctl run result',
  type: 'object',
  required: ['schemaVersion', 'runId', 'status', 'scenario', 'target', 'baseUrl', 'startedAt', 'durationMs', 'meta', 'phases', 'checks', 'metrics', 'samples', 'k6', 'bucketMs', 'series', 'histograms'],
  properties: {
    schemaVersion: { const: 1 },
    runId: { type: 'string', minLength: 1 },
    status: { enum: ['pass', 'fail', 'inconclusive', 'error', 'interrupted'] },
    reason: { type: 'string' },
    scenario: { type: 'string' },
    target: { type: 'string' },
    baseUrl: { type: 'string' },
    startedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}' },
    durationMs: nonNeg,
    meta: {
      type: 'object',
      required: ['loadctlVersion', 'k6Version', 'node', 'planHash'],
      properties: {
        loadctlVersion: { type: 'string' },
        k6Version: { type: 'string' },
        node: { type: 'string' },
        planHash: { type: 'string' },
        gitSha: { type: 'string' },
        host: { type: 'string' },
      },
    },
    phases: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'startMs', 'endMs'],
        properties: { name: { type: 'string' }, startMs: nonNeg, endMs: nonNeg },
      },
    },
    checks: { type: 'array', items: check },
    metrics: {
      type: 'object',
      required: ['http', 'iterations', 'droppedIterations', 'checks', 'vusMax', 'dataSentBytes', 'dataReceivedBytes'],
      properties: {
        http: {
          allOf: [httpStats],
          type: 'object',
          required: ['byName'],
          properties: { byName: { type: 'object', additionalProperties: httpStats } },
        },
        iterations: count,
        droppedIterations: count,
        checks: { type: 'object', required: ['passes', 'fails'], properties: { passes: count, fails: count } },
        vusMax: count,
        dataSentBytes: nonNeg,
        dataReceivedBytes: nonNeg,
        k6: k6Metrics,
      },
    },
    samples: { type: 'object', required: ['parsed', 'malformed'], properties: { parsed: count, malformed: count, format: { enum: [...SAMPLE_FORMATS] } } },
    bucketMs: { type: 'number', exclusiveMinimum: 0 },
    baselinePolicy: { type: 'object' },
    faults: { type: 'array', items: fault },
    capacity: nonNeg,
    scaling: {
      type: 'object',
      required: ['analysis'],
      properties: {
        analysis: {
          type: 'object',
          required: ['unit', 'steps', 'capacity', 'capacityRps', 'atCeiling', 'knee', 'resolution', 'requestsPerIteration'],
          properties: {
            unit: { const: 'iterations/s' },
            steps: { type: 'array', items: stepRow },
            capacity: { type: ['number', 'null'] },
            capacityRps: { type: ['number', 'null'] },
            atCeiling: { type: 'boolean' },
            knee: { type: ['number', 'null'] },
            resolution: { type: ['number', 'null'] },
            requestsPerIteration: nonNeg,
          },
        },
        reactions: { type: 'array', items: { type: 'object', required: ['step', 'stepAtMs', 'reactionMs'] } },
      },
    },
    probes: { type: 'array', items: probeSeries },
    instances: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['index', 'segment', 'requests', 'failed', 'rps', 'samples', 'exitCode'],
        additionalProperties: false,
        properties: {
          index: count,
          segment: { type: 'string', pattern: '^[0-9/]+:[0-9/]+$' },
          requests: count,
          failed: count,
          rps: nonNeg,
          samples: count,
          exitCode: { type: ['integer', 'null'] },
          signal: { type: 'string' },
        },
      },
    },
    series: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tMs', 'rps', 'errorRate', 'p50', 'p95', 'p99', 'vus', 'requests', 'failed'],
        properties: {
          tMs: nonNeg,
          rps: nonNeg,
          errorRate: { type: 'number', minimum: 0, maximum: 1 },
          p50: { type: ['number', 'null'] },
          p95: { type: ['number', 'null'] },
          p99: { type: ['number', 'null'] },
          vus: nonNeg,
          requests: count,
          failed: count,
          metrics: { type: 'object', additionalProperties: { type: 'number' } },
        },
      },
    },
    histograms: {
      type: 'object',
      required: ['unit', 'overall', 'byName'],
      properties: {
        unit: { const: 'us' },
        overall: { type: 'string' },
        byName: { type: 'object', additionalProperties: { type: 'string' } },
        waiting: { type: 'string' },
        connecting: { type: 'string' },
        buckets: { type: 'array', items: { type: ['string', 'null'] } },
      },
    },
    k6: {
      type: 'object',
      required: ['exitCode'],
      properties: { exitCode: { type: ['integer', 'null'] }, signal: { type: 'string' } },
    },
  },
} as const;

/** The text of schemas/result.schema.json (regenerate with `node scripts/write-schemas.mjs`). */
export function resultSchemaJson(): string {
  return `${JSON.stringify(resultSchema, null, 2)}\n`;
}
