// The profile's `sla.metrics` (judge/metric-sla.ts: limits on any k6 metric) and `metricTags`
// (tags every k6 metric is split by, besides loadctl's defaults).
import type { JSONSchemaType } from 'ajv';
import type { MetricLimits } from './types.js';

export const metricLimitsSchema: JSONSchemaType<Record<string, MetricLimits> | undefined> & { nullable: true } = {
  type: 'object',
  nullable: true,
  description:
    'Limits on any k6 metric, built-in or custom, keyed by k6 metric name with an optional tag filter (e.g. "http_req_duration{group:::wizard}"). ' +
    'Each maps aggregations (avg, min, max, med, p95 or p(99.9), count, rate, value) to a number (an upper bound; for checks\' rate a lower bound) or a comparison such as ">= 0.99".',
  required: [],
  additionalProperties: {
    type: 'object',
    minProperties: 1,
    required: [],
    additionalProperties: { type: ['number', 'string'] } as unknown as JSONSchemaType<number | string>,
  },
};

export const metricTagsSchema: JSONSchemaType<string[] | undefined> & { nullable: true } = {
  type: 'array',
  nullable: true,
  uniqueItems: true,
  description: 'Tags every k6 metric is also split by (loadctl always splits by name, group, scenario, check, expected_response, status and method); keep them low-cardinality.',
  items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' },
};
